import { roleNames, urlForRole } from '@aal/database';
import { Metrics, RetentionJob, retentionSettingsFromEnv } from '@aal/service-kit';
import { createTestDatabase, type TestDatabase } from '@aal/testing';
import { Client } from 'pg';
import { USAGE_EVENTS_SCHEMA } from '../apps/usage-events/src/database/usage-events.schema';
import { ALL_SCHEMAS } from '../scripts/service-schemas';

// Retention against a real PostgreSQL with every service's schema migrated: the retention tables
// name exactly the tables there are, the login roles hold DELETE exactly where a rule needs it,
// and the job purges in bounded batches as the login role, never the log.

const now = new Date('2026-12-02T12:00:00.000Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

describe('retention on PostgreSQL', () => {
  let db: TestDatabase;
  let admin: Client;

  beforeAll(async () => {
    db = await createTestDatabase(ALL_SCHEMAS);
    admin = new Client({ connectionString: db.adminUrl });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    await db?.drop();
  });

  it.each(ALL_SCHEMAS.map((s) => [s.schema, s] as const))(
    'given the migrated %s schema, then its retention table names every table it has and no other',
    async (_name, schema) => {
      const { rows } = await admin.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name",
        [schema.schema],
      );
      expect(Object.keys(schema.retention.tables).sort()).toEqual(rows.map((r) => r.table_name));
    },
  );

  it.each(ALL_SCHEMAS.map((s) => [s.schema, s] as const))(
    'given the %s login role, then it may DELETE from the purged and rebuilt tables only, and change no log table',
    async (_name, schema) => {
      const { rows } = await admin.query<{ table_name: string; privilege_type: string }>(
        'SELECT table_name, privilege_type FROM information_schema.table_privileges WHERE table_schema = $1 AND grantee = $2',
        [schema.schema, schema.appRole],
      );
      const deletable = rows.filter((r) => r.privilege_type === 'DELETE').map((r) => r.table_name);
      const expected = Object.entries(schema.retention.tables)
        .filter(([, r]) => r.kind === 'purged' || r.kind === 'rebuilt')
        .map(([t]) => t);
      expect(deletable.sort()).toEqual(expected.sort());
      const logChanges = rows.filter(
        (r) => schema.retention.tables[r.table_name]?.kind === 'log' && !['SELECT', 'INSERT'].includes(r.privilege_type),
      );
      expect(logChanges).toEqual([]);
    },
  );

  it('given the ledger login role, when it tries to DELETE an entry, then PostgreSQL refuses', async () => {
    const ledger = ALL_SCHEMAS.find((s) => s.schema === 'ledger')!;
    const app = new Client({ connectionString: urlForRole(db.adminUrl, ledger.appRole, db.settings.appPassword) });
    await app.connect();
    try {
      await expect(app.query('DELETE FROM ledger.entries')).rejects.toMatchObject({ code: '42501' });
    } finally {
      await app.end();
    }
  });

  it('given expired and fresh Idempotency-Key responses, when the usage-events job runs with batches of 2, then it deletes only the expired ones, as the login role, and counts them', async () => {
    const insert = (key: string, at: Date) =>
      admin.query(
        `INSERT INTO usage_events.idempotency_keys (organisation_id, idempotency_key, request_hash, response_status, response_body, created_at)
         VALUES ('st-swithins', $1, $2, 201, '{}', $3)`,
        [key, 'a'.repeat(64), at],
      );
    for (let i = 0; i < 5; i += 1) await insert(`old-${i}`, daysAgo(8 + i));
    await insert('fresh', daysAgo(6));
    const metrics = new Metrics('usage-events');
    const job = new RetentionJob({
      schema: USAGE_EVENTS_SCHEMA,
      connectionString: urlForRole(db.adminUrl, roleNames('usage_events').appRole, db.settings.appPassword),
      settings: { ...retentionSettingsFromEnv(USAGE_EVENTS_SCHEMA, {}), batchSize: 2 },
      clock: { now: () => now },
      metrics,
    });

    expect(await job.runOnce()).toEqual([
      { table: 'idempotency_keys', days: 7, cutoff: daysAgo(7).toISOString(), purged: 5, batches: 3, complete: true },
    ]);
    const left = await admin.query<{ idempotency_key: string }>('SELECT idempotency_key FROM usage_events.idempotency_keys');
    expect(left.rows.map((r) => r.idempotency_key)).toEqual(['fresh']);
    expect(await metrics.registry.getSingleMetricAsString('retention_rows_purged_total')).toContain(
      'retention_rows_purged_total{table="idempotency_keys",service="usage-events"} 5',
    );
  });

  it('given a run bounded to one batch, when more rows are due, then it stops there and says it is incomplete; the next run goes on', async () => {
    for (let i = 0; i < 3; i += 1)
      await admin.query(
        `INSERT INTO usage_events.idempotency_keys (organisation_id, idempotency_key, request_hash, response_status, response_body, created_at)
         VALUES ('st-swithins', $1, $2, 201, '{}', $3)`,
        [`bounded-${i}`, 'b'.repeat(64), daysAgo(30)],
      );
    const job = new RetentionJob({
      schema: USAGE_EVENTS_SCHEMA,
      connectionString: urlForRole(db.adminUrl, roleNames('usage_events').appRole, db.settings.appPassword),
      settings: { ...retentionSettingsFromEnv(USAGE_EVENTS_SCHEMA, {}), batchSize: 2, maxBatches: 1 },
      clock: { now: () => now },
      metrics: new Metrics('usage-events'),
    });
    expect(await job.runOnce()).toMatchObject([{ purged: 2, batches: 1, complete: false }]);
    expect(await job.runOnce()).toMatchObject([{ purged: 1, batches: 1, complete: true }]);
  });
});
