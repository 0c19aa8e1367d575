import { roleNames } from '@aal/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'usage_events';
const APP_ROLE = roleNames(SCHEMA).appRole;

/**
 * Responses stored per (organisation, Idempotency-Key), written in the same transaction as the
 * state change and events they answer. `response_body` is text, not jsonb, so a replay sends
 * the very bytes first sent (jsonb would reorder keys). The service only reads and inserts; rows
 * are kept at least 24 hours (today: indefinitely; see docs/decisions.md, "Idempotency keys").
 */
export class IdempotencyKeys1733000000000 implements MigrationInterface {
  name = 'IdempotencyKeys1733000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ${SCHEMA}.idempotency_keys (
       organisation_id text NOT NULL,
       idempotency_key text NOT NULL CHECK (idempotency_key ~ '^[\\x21-\\x7e]{1,200}$'),
       request_hash text NOT NULL CHECK (request_hash ~ '^[0-9a-f]{64}$'),
       response_status integer NOT NULL,
       response_body text NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (organisation_id, idempotency_key)
     )`);
    await q.query(`CREATE INDEX idempotency_keys_by_age ON ${SCHEMA}.idempotency_keys (created_at)`);
    await q.query(`GRANT SELECT, INSERT ON ${SCHEMA}.idempotency_keys TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${SCHEMA}.idempotency_keys`);
  }
}
