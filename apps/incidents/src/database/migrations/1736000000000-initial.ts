import { roleNames } from '@aal/database';
import { outboxMigrationSql } from '@aal/outbox';
import { aggregateMigrationSql } from '@aal/service-kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'incidents';
const APP_ROLE = roleNames(SCHEMA).appRole;

/**
 * Incidents as aggregates with their outbox, and the directory of model versions (vendor) and
 * deployments (deployer, version) fed from model-registry's and deployment-approval's events,
 * never by a request.
 */
export class Initial1736000000000 implements MigrationInterface {
  name = 'Initial1736000000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [...aggregateMigrationSql(SCHEMA, APP_ROLE), ...outboxMigrationSql(SCHEMA, APP_ROLE)]) await q.query(sql);
    await q.query(`
      CREATE TABLE ${SCHEMA}.model_versions (
        version_id uuid PRIMARY KEY,
        model_id uuid NOT NULL,
        vendor_id text NOT NULL,
        last_event_id text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE ${SCHEMA}.deployments (
        deployment_id uuid PRIMARY KEY,
        employer_id text NOT NULL,
        model_id uuid NOT NULL,
        version_id uuid NOT NULL,
        last_event_id text NOT NULL
      )`);
    await q.query(`GRANT SELECT, INSERT ON ${SCHEMA}.model_versions, ${SCHEMA}.deployments TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE ${SCHEMA}.deployments; DROP TABLE ${SCHEMA}.model_versions;
       DROP TABLE ${SCHEMA}.outbox; DROP FUNCTION ${SCHEMA}.outbox_notify(); DROP TABLE ${SCHEMA}.aggregates`,
    );
  }
}
