import type { MigrationInterface } from 'typeorm';
import type { RetentionTable } from './retention';

/**
 * A service's private schema: its owner role (which runs migrations and owns every table), and
 * its login role (what the running service uses: only the privileges migrations grant it).
 */
export interface ServiceSchema {
  /** PostgreSQL schema, e.g. `ledger`. */
  readonly schema: string;
  readonly ownerRole: string;
  readonly appRole: string;
  readonly migrations: ReadonlyArray<new () => MigrationInterface>;
  /** How long each of its tables keeps its rows (docs/retention.md); a test holds it to the migrated tables. */
  readonly retention: RetentionTable;
}

/** Role names follow from the schema name, so migrations and provisioning agree on them. */
export function roleNames(schema: string): { ownerRole: string; appRole: string } {
  return { ownerRole: `aal_${schema}_owner`, appRole: `aal_${schema}_app` };
}

export function serviceSchema(schema: string, migrations: ServiceSchema['migrations'], retention: RetentionTable): ServiceSchema {
  if (retention.schema !== schema) throw new Error(`the retention table of ${retention.schema} was given to schema ${schema}`);
  return { schema, ...roleNames(schema), migrations, retention };
}
