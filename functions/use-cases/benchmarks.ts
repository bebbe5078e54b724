import type { BenchmarkRepository } from '../adapters/benchmark-repository';
import type { StoreRepository } from '../adapters/store-repository';
import type { Access } from '../domain/access';
import { benchmarkIdOf } from '../domain/benchmarks';
import { ForbiddenError, NotFoundError, ValidationError } from '../domain/errors';
import { BenchmarkInput, type BenchmarkRecord, benchmarkId } from '../schemas/benchmark';
import { describeIssues } from '../schemas/common';

export interface BenchmarkDeps {
  readonly benchmarks: Pick<BenchmarkRepository, 'get' | 'listAll' | 'put' | 'remove'>;
  readonly stores: Pick<StoreRepository, 'get'>;
  readonly clock?: () => Date;
}

/** Benchmarks are chain-wide figures marketing keeps: only marketing and admins manage them. */
export const checkMayManageBenchmarks = (access: Access) => {
  if (access.kind !== 'all-stores')
    throw new ForbiddenError('Only marketing and admins may see and change benchmarks.');
};

const checkedId = (id: string) => {
  const parsed = benchmarkId().safeParse(id);
  if (!parsed.success)
    throw new ValidationError(`The benchmark id ${JSON.stringify(id)} ${parsed.error.issues[0]?.message}.`);
  return parsed.data;
};

const sameFigures = (a: BenchmarkRecord, b: Omit<BenchmarkRecord, 'updatedAt' | 'updatedBy'>) =>
  a.name === b.name &&
  a.value === b.value &&
  a.sampleSize === b.sampleSize &&
  a.date === b.date &&
  a.storeId === b.storeId;

export type BenchmarkOutcome = 'created' | 'updated' | 'unchanged';

/**
 * Sets a benchmark under `id`, or under the slug of its name when no id is given (`benchmarkIdOf`), so
 * entering the same figure again changes nothing and a new figure under the same name replaces the old
 * one. Its store, if any, must be in the registry (a typo would otherwise compare with nothing).
 */
export const putBenchmark = async (
  deps: BenchmarkDeps,
  access: Access,
  id: string | undefined,
  input: unknown,
): Promise<{ benchmark: BenchmarkRecord; outcome: BenchmarkOutcome }> => {
  checkMayManageBenchmarks(access);
  const parsed = BenchmarkInput.safeParse(input);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error.issues);
    throw new ValidationError(`The benchmark is not valid: ${issues.join('; ')}.`, issues);
  }
  const fields = parsed.data;
  const derived = id ?? benchmarkIdOf(fields.name);
  if (derived === undefined)
    throw new ValidationError(
      `The name ${JSON.stringify(fields.name)} has no Latin letter or digit to make an id of: give an id (lower-case letters, digits and hyphens).`,
    );
  const benchmarkIdChecked = checkedId(derived);
  if (fields.storeId !== undefined && (await deps.stores.get(fields.storeId)) === undefined)
    throw new ValidationError(`storeId: there is no store ${fields.storeId} in the registry.`);
  const wanted = {
    benchmarkId: benchmarkIdChecked,
    name: fields.name,
    value: fields.value,
    ...(fields.sampleSize !== undefined && { sampleSize: fields.sampleSize }),
    date: fields.date,
    ...(fields.storeId !== undefined && { storeId: fields.storeId }),
  };
  const existing = await deps.benchmarks.get(benchmarkIdChecked);
  if (existing !== undefined && sameFigures(existing, wanted))
    return { benchmark: existing, outcome: 'unchanged' };
  const benchmark: BenchmarkRecord = {
    ...wanted,
    updatedAt: (deps.clock ?? (() => new Date()))().toISOString(),
    updatedBy: access.user,
  };
  await deps.benchmarks.put(benchmark);
  return { benchmark, outcome: existing === undefined ? 'created' : 'updated' };
};

export const listBenchmarks = async (deps: Pick<BenchmarkDeps, 'benchmarks'>, access: Access) => {
  checkMayManageBenchmarks(access);
  return deps.benchmarks.listAll();
};

/** Removes a benchmark; an unknown id is a 404 (so a typo is not taken for success). */
export const removeBenchmark = async (
  deps: Pick<BenchmarkDeps, 'benchmarks'>,
  access: Access,
  id: string,
) => {
  checkMayManageBenchmarks(access);
  if (!(await deps.benchmarks.remove(checkedId(id)))) throw new NotFoundError(`There is no benchmark ${id}.`);
};
