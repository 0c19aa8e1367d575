import { eventually, type SpawnedService } from '@aal/testing';
import { dropDatabase, ensureDatabase } from '@aal/database';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { spawnableLedger, steadyProducer } from '../testing/spawned-ledger';

const run = promisify(execFile);

/**
 * Issue #11, item 8: the ledger's stored positions are authoritative, not Kafka's committed
 * offsets. PostgreSQL is restored from a dump taken under load (a backup, or a failed-over
 * replica that lost its last commits) while Kafka's committed offsets are already later; the
 * ledger must read again what the restored database lost, so in the end every event produced is
 * in the log exactly once, the sequence has no hole and the independent verifier accepts it.
 */
describe('a ledger whose database is restored to an earlier point', () => {
  const cleanups: Array<() => Promise<void>> = [];

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it('appends every event produced exactly once when it restarts on the restored database', async () => {
    await restoreUnderLoad('restart');
  });

  it('appends every event produced exactly once when the database is restored under the running ledger', async () => {
    // No new partition assignment here: only the intake's refusal to append across a gap (the
    // batch Kafka delivers next starts beyond the restored position) brings the lost part back.
    await restoreUnderLoad('while-running');
  });

  async function restoreUnderLoad(mode: 'restart' | 'while-running'): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'aal-restore-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const spawnable = await spawnableLedger('restore-test', 'restore.test/aal', dir, {
      CHECKPOINT_MIN_INTERVAL_MS: '200',
      CHECKPOINT_IDLE_INTERVAL_MS: '1000',
    });
    const { db, kafka, settings } = spawnable;
    cleanups.push(() => db.drop());

    // A signed producer publishing all along, across the dump, the stop and the restore.
    const producer = steadyProducer(kafka, settings);
    const { produced } = producer;

    let admin = new Client({ connectionString: db.adminUrl });
    await admin.connect();
    const count = async () => Number((await admin.query('SELECT count(*) AS n FROM ledger.entries')).rows[0].n);
    let ledger: SpawnedService | undefined = spawnable.spawn();
    cleanups.push(async () => ledger?.stop());
    try {
      await eventually(count, (n) => n >= 500, 60000, '500 entries before the dump');
      const dump = join(dir, 'ledger.dump');
      await run('pg_dump', ['--format=custom', `--file=${dump}`, db.adminUrl]);
      const atDump = await count();
      await eventually(count, (n) => n >= atDump + 1000, 60000, '1,000 entries after the dump');
      if (mode === 'restart') {
        // A graceful stop: Kafka's committed offsets are now well beyond the dump's positions.
        await ledger.stop();
        ledger = undefined;
      }

      await admin.end();
      await dropDatabase(db.adminUrl);
      await ensureDatabase(db.adminUrl);
      // One transaction: a running ledger sees either no schema (and retries) or all of it.
      await run('pg_restore', ['--exit-on-error', '--single-transaction', `--dbname=${db.adminUrl}`, dump]);
      admin = new Client({ connectionString: db.adminUrl });
      await admin.connect();
      const restored = await count();
      expect(restored).toBeLessThan(atDump + 1000);

      ledger ??= spawnable.spawn();
      await eventually(count, (n) => n > restored, 60000, 'appends to resume after the restore');
      await producer.stop();

      await eventually(count, (n) => n >= produced.length, 90000, `all ${produced.length} events produced`);
      await new Promise((r) => setTimeout(r, 2000));
      const rows = await admin.query(
        'SELECT count(*) AS n, count(DISTINCT event_id) AS ids, min(seq) AS lo, max(seq) AS hi FROM ledger.entries',
      );
      expect(rows.rows[0]).toEqual({ n: String(produced.length), ids: String(produced.length), lo: '0', hi: String(produced.length - 1) });
      const missing = await admin.query(
        'SELECT count(*) AS n FROM unnest($1::text[]) AS p(id) WHERE NOT EXISTS (SELECT 1 FROM ledger.entries e WHERE e.event_id = p.id)',
        [produced],
      );
      expect(Number(missing.rows[0].n)).toBe(0);

      const result = await spawnable.verifyWholeLog(produced.length);
      expect(result).toMatchObject({ ok: true, entries: produced.length });
    } finally {
      await producer.stop().catch(() => undefined);
      await admin.end().catch(() => undefined);
    }
  }
});
