import { roleNames } from '@aal/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'ledger';
const { appRole: APP } = roleNames(SCHEMA);

/**
 * Retention (docs/retention.md): the service role may DELETE from the two tables its retention
 * job purges, refused events and published case events already in the log, and from no other.
 * The log's tables stay SELECT and INSERT only.
 */
export class Retention1735200000001 implements MigrationInterface {
  name = 'Retention1735200000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`GRANT DELETE ON ${SCHEMA}.rejections, ${SCHEMA}.outbox TO ${APP}`);
    await q.query(`CREATE INDEX rejections_by_age ON ${SCHEMA}.rejections (rejected_at)`);
    await q.query(`CREATE INDEX outbox_published_by_age ON ${SCHEMA}.outbox (published_at) WHERE published_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ${SCHEMA}.outbox_published_by_age, ${SCHEMA}.rejections_by_age`);
    await q.query(`REVOKE DELETE ON ${SCHEMA}.rejections, ${SCHEMA}.outbox FROM ${APP}`);
  }
}
