import { EventPublisher } from '@aal/kafka';
import { asKafkaMessage, eventually, type SpawnedService } from '@aal/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { registeredModel } from '../testing/events';
import { spawnableLedger, type SpawnableLedger } from '../testing/spawned-ledger';

const DISTINCT = 20000;
const REPEATED = 2000;

/**
 * Exactly once across crashes: the ledger process is killed (SIGKILL, no shutdown) while it is
 * appending, twice, and restarted. Producers also send duplicates. In the end the log holds each
 * distinct event once, and an independent verifier accepts the whole log and its checkpoints.
 */
describe('crash and redelivery', () => {
  let spawnable: SpawnableLedger | undefined;
  let ledger: SpawnedService | undefined;

  afterAll(async () => {
    await ledger?.stop();
    await spawnable?.db.drop();
  });

  it('keeps exactly one entry per distinct event when the ledger is killed mid-stream', async () => {
    spawnable = await spawnableLedger('crash-test', 'crash.test/aal', mkdtempSync(join(tmpdir(), 'aal-key-')));
    const { db, kafka, settings } = spawnable;

    const events = Array.from({ length: DISTINCT }, (_, i) => registeredModel(`Model ${i}`));
    const publisher = new EventPublisher(kafka);
    const messages = [...events, ...events.slice(0, REPEATED)].map((e) => asKafkaMessage(e, settings.topicPrefix));
    for (let i = 0; i < messages.length; i += 1000) await publisher.publish(messages.slice(i, i + 1000));
    await publisher.disconnect();

    const admin = new Client({ connectionString: db.adminUrl });
    await admin.connect();
    const count = async () => Number((await admin.query('SELECT count(*) AS n FROM ledger.entries')).rows[0].n);
    try {
      for (const round of [1, 2]) {
        ledger = spawnable.spawn();
        const before = await count();
        await eventually(count, (n) => n > before, 60000, `round ${round}: appends to resume`);
        await ledger.crash();
        expect(await count()).toBeLessThan(DISTINCT);
      }
      ledger = spawnable.spawn();
      await eventually(count, (n) => n >= DISTINCT, 90000, 'every distinct event');
      await new Promise((r) => setTimeout(r, 2000));
      expect(await count()).toBe(DISTINCT);
      const distinctIds = await admin.query('SELECT count(DISTINCT event_id) AS n FROM ledger.entries');
      expect(Number(distinctIds.rows[0].n)).toBe(DISTINCT);

      const result = await spawnable.verifyWholeLog(DISTINCT);
      expect(result).toMatchObject({ ok: true, entries: DISTINCT });
    } finally {
      await admin.end();
    }
  });
});
