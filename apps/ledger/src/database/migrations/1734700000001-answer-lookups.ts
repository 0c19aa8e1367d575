import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'ledger';

/**
 * Lookups whose cost grew with the log, not with what an answer reads (issue #16, docs/scaling.md):
 * - `facts_by_key`: GIN's pending list (up to `gin_pending_list_limit`, 4 MB by default) holds
 *   the keys inserted since the last clean-up and is read through on EVERY lookup, hundreds of
 *   pages under a busy projector. A 64 kB list keeps inserts batched and a lookup's extra reads
 *   to a few pages.
 * - an answer's oversight context counts the entries of its week learnt of on the day of
 *   `knownAt` (today, by default): indexed by (deployment, known day) alone, that read every entry
 *   of the deployment learnt of that day, then kept the week's. With the day in the index it reads
 *   only those entries.
 */
export class AnswerLookups1734700000001 implements MigrationInterface {
  name = 'AnswerLookups1734700000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER INDEX ${SCHEMA}.facts_by_key SET (gin_pending_list_limit = 64)`);
    await q.query(`SELECT gin_clean_pending_list('${SCHEMA}.facts_by_key')`);
    for (const table of ['outputs', 'actions']) {
      await q.query(`DROP INDEX ${SCHEMA}.oversight_${table}_by_known_day`);
      await q.query(`CREATE INDEX oversight_${table}_by_known_day ON ${SCHEMA}.oversight_${table} (deployment_id, known_day, day)`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['outputs', 'actions']) {
      await q.query(`DROP INDEX ${SCHEMA}.oversight_${table}_by_known_day`);
      await q.query(`CREATE INDEX oversight_${table}_by_known_day ON ${SCHEMA}.oversight_${table} (deployment_id, known_day)`);
    }
    await q.query(`ALTER INDEX ${SCHEMA}.facts_by_key RESET (gin_pending_list_limit)`);
  }
}
