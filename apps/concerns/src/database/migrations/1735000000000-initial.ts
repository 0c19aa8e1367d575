import { roleNames } from '@aal/database';
import { outboxMigrationSql } from '@aal/outbox';
import { aggregateMigrationSql } from '@aal/service-kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'concerns';
const APP_ROLE = roleNames(SCHEMA).appRole;

/**
 * Concerns as aggregates with their outbox; receipts, which hold only the SHA-256 of each receipt
 * code (the code itself is shown once, at intake, and never stored); and the directory of model
 * versions and deployments (vendor, employer) fed from model-registry's and deployment-approval's
 * events, never by a request. Receipts are never updated or deleted by the service.
 */
export class Initial1735000000000 implements MigrationInterface {
  name = 'Initial1735000000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [...aggregateMigrationSql(SCHEMA, APP_ROLE), ...outboxMigrationSql(SCHEMA, APP_ROLE)]) await q.query(sql);
    await q.query(`
      CREATE TABLE ${SCHEMA}.receipts (
        code_sha256 bytea PRIMARY KEY CHECK (length(code_sha256) = 32),
        concern_id uuid NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`GRANT SELECT, INSERT ON ${SCHEMA}.receipts TO ${APP_ROLE}`);
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
      `DROP TABLE ${SCHEMA}.deployments; DROP TABLE ${SCHEMA}.model_versions; DROP TABLE ${SCHEMA}.receipts;
       DROP TABLE ${SCHEMA}.outbox; DROP FUNCTION ${SCHEMA}.outbox_notify(); DROP TABLE ${SCHEMA}.aggregates`,
    );
  }
}
