import { roleNames } from '@aal/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'usage_events';
const APP_ROLE = roleNames(SCHEMA).appRole;

/**
 * The deployment directory: which employer each deployment belongs to, as deployment-approval's
 * events say, fed from Kafka. Never written by a request, only by the directory's consumer.
 * `updated_at` is the time of the event that last changed the row, `last_event_id` and
 * `last_partition`/`last_offset` name that event and where it was read, and `applied_event_ids`
 * every event applied to the row (a deployment has a handful), so a copy of one is applied once.
 */
export class DeploymentDirectory1734000000000 implements MigrationInterface {
  name = 'DeploymentDirectory1734000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ${SCHEMA}.deployments (
        deployment_id uuid PRIMARY KEY,
        employer_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'active', 'suspended', 'revoked', 'expired')),
        updated_at timestamptz NOT NULL,
        last_event_id text NOT NULL,
        last_partition integer NOT NULL,
        last_offset bigint NOT NULL,
        applied_event_ids text[] NOT NULL
      )`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON ${SCHEMA}.deployments TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${SCHEMA}.deployments`);
  }
}
