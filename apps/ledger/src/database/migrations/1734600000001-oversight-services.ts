import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'ledger';
const TABLES = ['outputs', 'actions', 'incidents', 'pending', 'people', 'cells', 'weeks'].map((t) => `${SCHEMA}.oversight_${t}`);

/**
 * The oversight projection keeps the clinical service of each output (output.generated v2
 * `service`; `''` when it states none), so that GET /deployments/{id}/oversight can say in which
 * services a deployment was used (`usage.services`), beside the sites and roles. Per-entry rows
 * gain a column, and the day and week cells gain a key part. The rows already projected do not
 * know their service, and only the log does: the projection is emptied and its position reset, so
 * the projector (on start, from seq 0) or `ledger rebuild` fills it again from the log, through
 * the same code. Until it has caught up, questions about later entries answer PROJECTION.BEHIND.
 */
export class OversightServices1734600000001 implements MigrationInterface {
  name = 'OversightServices1734600000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`TRUNCATE ${TABLES.join(', ')}`);
    await q.query(`DELETE FROM ${SCHEMA}.projection_positions WHERE projection = 'oversight'`);
    for (const t of ['outputs', 'actions', 'cells', 'weeks'])
      await q.query(`ALTER TABLE ${SCHEMA}.oversight_${t} ADD COLUMN service text NOT NULL DEFAULT ''`);
    for (const [table, period] of [
      ['oversight_cells', 'day'],
      ['oversight_weeks', 'week'],
    ] as const) {
      await q.query(`ALTER TABLE ${SCHEMA}.${table} DROP CONSTRAINT ${table}_pkey`);
      await q.query(`ALTER TABLE ${SCHEMA}.${table} ADD PRIMARY KEY (deployment_id, ${period}, site, service, role, known_${period})`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    // The older key cannot hold cells that differ only by service: empty the projection, as `up` does.
    await q.query(`TRUNCATE ${TABLES.join(', ')}`);
    await q.query(`DELETE FROM ${SCHEMA}.projection_positions WHERE projection = 'oversight'`);
    for (const [table, period] of [
      ['oversight_cells', 'day'],
      ['oversight_weeks', 'week'],
    ] as const) {
      await q.query(`ALTER TABLE ${SCHEMA}.${table} DROP CONSTRAINT ${table}_pkey`);
      await q.query(`ALTER TABLE ${SCHEMA}.${table} ADD PRIMARY KEY (deployment_id, ${period}, site, role, known_${period})`);
    }
    for (const t of ['outputs', 'actions', 'cells', 'weeks']) await q.query(`ALTER TABLE ${SCHEMA}.oversight_${t} DROP COLUMN service`);
  }
}
