import { eventually, type SpawnedService } from '@aal/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { spawnableLedger, steadyProducer } from '../testing/spawned-ledger';

/**
 * Issue #16, "Scale past one machine": two ledger instances on one database and one consumer
 * group. Appends are serialised by the append lock, so only one sequences at a time; each reads
 * its share of the partitions. The one appending is killed (SIGKILL) under a steady load; the
 * other is given its partitions by Kafka, resumes them from the positions stored with the
 * entries, and signs the checkpoints from then on. Nothing produced is lost or doubled, the
 * sequence has no hole, and an independent verifier accepts the whole log from the survivor.
 */
describe('fail-over between two ledger instances', () => {
  const cleanups: Array<() => Promise<void>> = [];

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it('keeps every event exactly once when the appending instance is killed under load and the other takes over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aal-fail-over-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const spawnable = await spawnableLedger('fail-over-test', 'fail-over.test/aal', dir, {
      CHECKPOINT_MIN_INTERVAL_MS: '200',
      CHECKPOINT_IDLE_INTERVAL_MS: '1000',
    });
    const { db, kafka, settings } = spawnable;
    cleanups.push(() => db.drop());

    const producer = steadyProducer(kafka, settings);
    const { produced } = producer;
    cleanups.push(() => producer.stop());

    const admin = new Client({ connectionString: db.adminUrl });
    await admin.connect();
    cleanups.push(() => admin.end());
    const count = async () => Number((await admin.query('SELECT count(*) AS n FROM ledger.entries')).rows[0].n);

    // The first instance applies the migrations; the second starts once they are in place.
    const first: SpawnedService = spawnable.spawn();
    cleanups.push(() => first.stop());
    await eventually(count, (n) => n >= 200, 60000, 'the first instance appending');
    const second = await spawnable.spawnInstance();
    cleanups.push(() => second.service.stop());
    await eventually(
      () =>
        fetch(`${second.baseUrl}/health/ready`).then(
          (r) => r.status,
          () => 0,
        ),
      (status) => status === 200,
      60000,
      'the second instance ready',
    );
    await eventually(count, (n) => n >= 1500, 60000, 'appends with both instances in the group');

    await first.crash();
    const atCrash = await count();
    await eventually(count, (n) => n >= atCrash + 1000, 60000, 'the second instance appending after the kill');
    await producer.stop();

    await eventually(count, (n) => n >= produced.length, 90000, `all ${produced.length} events produced`);
    await new Promise((r) => setTimeout(r, 2000));
    const rows = await admin.query(
      `SELECT count(*) AS n, count(DISTINCT event_id) AS ids, count(*) FILTER (WHERE event_id = ANY($1)) AS ours,
              min(seq) AS lo, max(seq) AS hi FROM ledger.entries`,
      [produced],
    );
    const n = String(produced.length);
    expect(rows.rows[0]).toEqual({ n, ids: n, ours: n, lo: '0', hi: String(produced.length - 1) });
    const result = await spawnable.verifyWholeLog(produced.length, second.baseUrl);
    expect(result).toMatchObject({ ok: true, entries: produced.length });
  });
});
