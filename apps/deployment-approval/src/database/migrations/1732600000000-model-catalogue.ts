import { roleNames } from '@aal/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'deployment_approval';
const APP_ROLE = roleNames(SCHEMA).appRole;

/**
 * The model catalogue: this service's read model of model-registry's events (versions and safety
 * notices), fed from Kafka. It is never written by a request, only by the catalogue consumer;
 * `last_event_id` names the event that last changed each row.
 */
export class ModelCatalogue1732600000000 implements MigrationInterface {
  name = 'ModelCatalogue1732600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ${SCHEMA}.model_versions (
        version_id uuid PRIMARY KEY,
        model_id uuid NOT NULL,
        vendor_id text NOT NULL,
        version text NOT NULL,
        status text NOT NULL CHECK (status IN ('released', 'withdrawn')),
        released_at timestamptz NOT NULL,
        withdrawn_at timestamptz,
        last_event_id text NOT NULL,
        CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE ${SCHEMA}.safety_notices (
        notice_id uuid PRIMARY KEY,
        model_id uuid NOT NULL,
        severity text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
        affected_version_ids uuid[] NOT NULL,
        issued_at timestamptz NOT NULL,
        resolved_at timestamptz,
        last_event_id text NOT NULL
      )`);
    // "Which notices affect this version?" is asked on every approval, activation and reinstatement.
    await q.query(`CREATE INDEX safety_notices_by_version ON ${SCHEMA}.safety_notices USING gin (affected_version_ids)`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON ${SCHEMA}.model_versions, ${SCHEMA}.safety_notices TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${SCHEMA}.safety_notices; DROP TABLE ${SCHEMA}.model_versions`);
  }
}
