import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'ledger';

/**
 * The facts projection becomes an index: (seq, keys, recorded_at) to find entries, never a source
 * of facts. Answers decode the entries' hashed content instead (docs/decisions.md). The copied
 * columns stay (nullable, no longer written) so the change is additive and an older build can
 * still start; a rebuild after a rollback refills them.
 */
export class FactsAsIndex1734300000001 implements MigrationInterface {
  name = 'FactsAsIndex1734300000001';

  async up(q: QueryRunner): Promise<void> {
    for (const column of ['type', 'subject', 'event_time', 'data'])
      await q.query(`ALTER TABLE ${SCHEMA}.facts ALTER COLUMN ${column} DROP NOT NULL`);
  }

  async down(): Promise<void> {
    // Rows written since have no copies to restore NOT NULL over; a rebuild by the older build refills them.
  }
}
