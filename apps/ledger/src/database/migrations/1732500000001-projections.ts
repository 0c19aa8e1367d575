import { roleNames } from '@aal/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'ledger';
const { appRole: APP } = roleNames(SCHEMA);

/**
 * Projections: disposable read models derived only from entries. Unlike the log, the service may
 * clear and rebuild them, so it holds every privilege on them.
 */
export class Projections1732500000001 implements MigrationInterface {
  name = 'Projections1732500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ${SCHEMA}.facts (
        seq bigint PRIMARY KEY,
        type text NOT NULL,
        subject text NOT NULL,
        event_time timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        keys text[] NOT NULL,
        data jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX facts_by_key ON ${SCHEMA}.facts USING gin (keys)`);
    await q.query(`
      CREATE TABLE ${SCHEMA}.projection_positions (
        projection text PRIMARY KEY,
        next_seq bigint NOT NULL
      )`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ${SCHEMA}.facts, ${SCHEMA}.projection_positions TO ${APP}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${SCHEMA}.projection_positions, ${SCHEMA}.facts`);
  }
}
