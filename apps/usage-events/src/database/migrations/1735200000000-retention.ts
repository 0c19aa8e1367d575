import { roleNames } from '@aal/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'usage_events';
const { appRole: APP } = roleNames(SCHEMA);

/** Retention (docs/retention.md): the service role may DELETE expired Idempotency-Key responses, and nothing else. */
export class Retention1735200000000 implements MigrationInterface {
  name = 'Retention1735200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`GRANT DELETE ON ${SCHEMA}.idempotency_keys TO ${APP}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`REVOKE DELETE ON ${SCHEMA}.idempotency_keys FROM ${APP}`);
  }
}
