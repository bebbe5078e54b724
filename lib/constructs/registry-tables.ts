import { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { type TableDefinition, tables } from '../../functions/resources/tables';
import { tableProps } from '../defaults/table-defaults';

/** Every table of `functions/resources/tables.ts`, created with `tableProps`. */
export class Tables extends Construct {
  private readonly byId = new Map<string, TableV2>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    for (const definition of tables) {
      this.byId.set(definition.id, new TableV2(this, definition.id, tableProps(definition)));
    }
  }

  get(definition: TableDefinition): TableV2 {
    const table = this.byId.get(definition.id);
    if (table === undefined)
      throw new Error(`table ${definition.id} is not declared in functions/resources/tables.ts`);
    return table;
  }

  get all(): ReadonlyArray<readonly [TableDefinition, TableV2]> {
    return tables.map((definition) => [definition, this.get(definition)] as const);
  }
}
