import { roleNames } from '@aal/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'ledger';
const { appRole: APP } = roleNames(SCHEMA);

/**
 * The oversight projection (issue #14): per deployment, day, site, role and the day the ledger
 * learnt of it, the counts and review-time histogram behind GET /deployments/{id}/oversight; the
 * distinct professionals of each such cell; and one row per output, action and incident, so the two
 * clocks' own days can be counted exactly and a bucket's entries listed. Disposable like the facts
 * index: rebuilt from the log by `ledger rebuild`.
 */
export class Oversight1734500000001 implements MigrationInterface {
  name = 'Oversight1734500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ${SCHEMA}.oversight_outputs (
        output_id text PRIMARY KEY,
        deployment_id text NOT NULL,
        site text NOT NULL,
        seq bigint NOT NULL,
        time timestamptz NOT NULL,
        day date NOT NULL,
        recorded_at timestamptz NOT NULL,
        known_day date NOT NULL
      )`);
    await q.query(`CREATE INDEX oversight_outputs_by_day ON ${SCHEMA}.oversight_outputs (deployment_id, day)`);
    await q.query(`CREATE INDEX oversight_outputs_by_known_day ON ${SCHEMA}.oversight_outputs (deployment_id, known_day)`);
    await q.query(`
      CREATE TABLE ${SCHEMA}.oversight_actions (
        seq bigint PRIMARY KEY,
        output_id text NOT NULL,
        deployment_id text NOT NULL,
        site text NOT NULL,
        role text NOT NULL,
        person_id text NOT NULL,
        action text NOT NULL,
        seconds integer NOT NULL,
        time timestamptz NOT NULL,
        day date NOT NULL,
        known_seq bigint NOT NULL,
        known_at timestamptz NOT NULL,
        known_day date NOT NULL
      )`);
    await q.query(`CREATE INDEX oversight_actions_by_day ON ${SCHEMA}.oversight_actions (deployment_id, day)`);
    await q.query(`CREATE INDEX oversight_actions_by_known_day ON ${SCHEMA}.oversight_actions (deployment_id, known_day)`);
    await q.query(`
      CREATE TABLE ${SCHEMA}.oversight_incidents (
        seq bigint NOT NULL,
        deployment_id text NOT NULL,
        site text NOT NULL,
        incident_id text NOT NULL,
        time timestamptz NOT NULL,
        day date NOT NULL,
        known_seq bigint NOT NULL,
        known_at timestamptz NOT NULL,
        known_day date NOT NULL,
        PRIMARY KEY (deployment_id, seq, site)
      )`);
    await q.query(`
      CREATE TABLE ${SCHEMA}.oversight_pending (
        output_id text NOT NULL,
        seq bigint NOT NULL,
        PRIMARY KEY (output_id, seq)
      )`);
    await q.query(`
      CREATE TABLE ${SCHEMA}.oversight_cells (
        deployment_id text NOT NULL,
        day date NOT NULL,
        site text NOT NULL,
        role text NOT NULL,
        known_day date NOT NULL,
        outputs integer NOT NULL,
        actions integer NOT NULL,
        accepted integer NOT NULL,
        overridden integer NOT NULL,
        review integer[] NOT NULL,
        PRIMARY KEY (deployment_id, day, site, role, known_day)
      )`);
    await q.query(`
      CREATE TABLE ${SCHEMA}.oversight_professionals (
        deployment_id text NOT NULL,
        day date NOT NULL,
        site text NOT NULL,
        role text NOT NULL,
        known_day date NOT NULL,
        person_id text NOT NULL,
        PRIMARY KEY (deployment_id, day, site, role, known_day, person_id)
      )`);
    await q.query(`
      CREATE FUNCTION ${SCHEMA}.oversight_add(a integer[], b integer[]) RETURNS integer[] LANGUAGE sql IMMUTABLE AS $$
        SELECT array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS u(x, y, i)
      $$`);
    const tables = ['outputs', 'actions', 'incidents', 'pending', 'cells', 'professionals']
      .map((t) => `${SCHEMA}.oversight_${t}`)
      .join(', ');
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ${tables} TO ${APP}`);
    await q.query(`GRANT EXECUTE ON FUNCTION ${SCHEMA}.oversight_add(integer[], integer[]) TO ${APP}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION ${SCHEMA}.oversight_add(integer[], integer[])`);
    for (const t of ['professionals', 'cells', 'pending', 'incidents', 'actions', 'outputs'])
      await q.query(`DROP TABLE ${SCHEMA}.oversight_${t}`);
  }
}
