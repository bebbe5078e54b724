import * as z from 'zod/mini';
import { customerEmailsTable, customersTable, storesTable, type TableDefinition } from '../resources/tables';

/** Raised at start-up when the environment lacks or garbles a setting; names every problem. */
export class ConfigError extends Error {}

/**
 * Reads and validates settings from the environment once. Call at module scope so a Lambda with a
 * broken configuration fails at cold start with a message naming the variable, not on first use.
 */
export const readConfig = <Shape extends z.core.$ZodLooseShape>(
  shape: Shape,
  env: Readonly<Record<string, string | undefined>> = process.env,
): z.infer<z.ZodMiniObject<Shape>> => {
  const parsed = z.object(shape).safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) =>
        `${issue.path.join('.')}: ${env[String(issue.path[0])] === undefined ? 'is not set' : issue.message}`,
    );
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data as z.infer<z.ZodMiniObject<Shape>>;
};

const name = () => z.string().check(z.minLength(1));

/** The registry tables' names, as every function and tool receives them. */
export const registryTablesShape = {
  [customersTable.envVar]: name(),
  [customerEmailsTable.envVar]: name(),
  [storesTable.envVar]: name(),
} as const;

export const registryTables = (env: Readonly<Record<string, string | undefined>> = process.env) => {
  const config = readConfig(registryTablesShape, env);
  return {
    customers: config[customersTable.envVar],
    customerEmails: config[customerEmailsTable.envVar],
    stores: config[storesTable.envVar],
  };
};

/**
 * The physical names of the given tables, from the variables their definitions name. A function
 * asks only for the tables it uses (and the stack grants only those).
 */
export const tableNamesFrom = <Key extends string>(
  definitions: Readonly<Record<Key, TableDefinition>>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Record<Key, string> => {
  const entries = Object.entries(definitions) as [Key, TableDefinition][];
  const config = readConfig(Object.fromEntries(entries.map(([, table]) => [table.envVar, name()])), env);
  return Object.fromEntries(entries.map(([key, table]) => [key, config[table.envVar]])) as Record<
    Key,
    string
  >;
};
