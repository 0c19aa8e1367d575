import { roleNames } from '@aal/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'ledger';
const { appRole: APP } = roleNames(SCHEMA);

/**
 * The oversight projection (issue #14): per deployment, day (and ISO week), site, role and the day
 * (week) the ledger learnt of it, the counts, review-time histogram and professionals behind
 * GET /deployments/{id}/oversight; and one row per output, action and incident, so the two clocks'
 * own days can be counted exactly and a bucket's entries listed. Disposable like the facts
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
    // A cell's review-time bins as little-endian 32-bit counts and its professionals as a bitmap over
    // the deployment's own numbering of them (oversight_people), both bytea: a year of weeks reads a
    // few hundred rows, decoded without parsing arrays. The projector merges cells itself.
    await q.query(`
      CREATE TABLE ${SCHEMA}.oversight_people (
        deployment_id text NOT NULL,
        person_id text NOT NULL,
        idx integer NOT NULL,
        PRIMARY KEY (deployment_id, person_id),
        UNIQUE (deployment_id, idx)
      )`);
    for (const [table, period] of [
      ['oversight_cells', 'day'],
      ['oversight_weeks', 'week'],
    ] as const) {
      await q.query(`
        CREATE TABLE ${SCHEMA}.${table} (
          deployment_id text NOT NULL,
          ${period} date NOT NULL,
          site text NOT NULL,
          role text NOT NULL,
          known_${period} date NOT NULL,
          ${period === 'day' ? 'week date NOT NULL, known_week date NOT NULL,' : ''}
          outputs integer NOT NULL,
          actions integer NOT NULL,
          accepted integer NOT NULL,
          overridden integer NOT NULL,
          review bytea NOT NULL,
          people bytea NOT NULL,
          PRIMARY KEY (deployment_id, ${period}, site, role, known_${period})
        )`);
    }
    await q.query(`CREATE INDEX oversight_cells_by_week ON ${SCHEMA}.oversight_cells (deployment_id, week)`);
    await q.query(`CREATE INDEX oversight_cells_by_known_week ON ${SCHEMA}.oversight_cells (deployment_id, known_week)`);
    const tables = ['outputs', 'actions', 'incidents', 'pending', 'people', 'cells', 'weeks']
      .map((t) => `${SCHEMA}.oversight_${t}`)
      .join(', ');
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ${tables} TO ${APP}`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['weeks', 'cells', 'people', 'pending', 'incidents', 'actions', 'outputs'])
      await q.query(`DROP TABLE ${SCHEMA}.oversight_${t}`);
  }
}
