import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'ledger';

/**
 * `knownAt=<time>` asks what the ledger had recorded by then: the last fact recorded at or before
 * a time. This index answers it without scanning the projection. The facts table stays a
 * disposable projection (the app role may already clear and rebuild it); the index is rebuilt
 * with it.
 */
export class FactsByRecordedTime1734000000001 implements MigrationInterface {
  name = 'FactsByRecordedTime1734000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX facts_by_recorded_at ON ${SCHEMA}.facts (recorded_at, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ${SCHEMA}.facts_by_recorded_at`);
  }
}
