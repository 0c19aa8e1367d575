import type { MigrationInterface } from 'typeorm';

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
}

/** Role names follow from the schema name, so migrations and provisioning agree on them. */
export function roleNames(schema: string): { ownerRole: string; appRole: string } {
  return { ownerRole: `aal_${schema}_owner`, appRole: `aal_${schema}_app` };
}

export function serviceSchema(schema: string, migrations: ServiceSchema['migrations']): ServiceSchema {
  return { schema, ...roleNames(schema), migrations };
}
