import { createKafka, EventPublisher } from '@aal/kafka';
import {
  actors,
  asKafkaMessage,
  createTestDatabase,
  createTestKafka,
  eventually,
  freePort,
  makeEvent,
  privateKafka,
  spawnService,
  testCheckpointSettings,
  type PrivateKafka,
  type SpawnedService,
  type TestDatabase,
} from '@aal/testing';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { LEDGER_SCHEMA } from '../database/ledger.schema';

/**
 * Issue #11, item 6: after Kafka comes back, and after the ledger is killed and started again,
 * it consumes again by itself, without waiting out the session of a group member that went away
 * (30 s before the change). The bound, 20 s, is not a performance figure (bench/recovery-latency.ts
 * measures those against the 5 s target): it is four times the target so a loaded machine does
 * not fail it, and still tells "recovers as soon as the group can form" from "waits for the
 * departed member's session to expire".
 */
const RECOVERY_BOUND_MS = 20000;

describe('ledger recovery from a Kafka outage and a crash', () => {
  let kafka: PrivateKafka;
  let db: TestDatabase;
  let ledger: SpawnedService | undefined;
  let producing = true;
  let producer: Promise<void> = Promise.resolve();
  const dir = mkdtempSync(join(tmpdir(), 'aal-outage-'));

  afterAll(async () => {
    producing = false;
    await producer;
    await ledger?.stop();
    await kafka?.dispose();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends again after the broker returns, and after kill -9 and a restart', async () => {
    kafka = await privateKafka();
    db = await createTestDatabase([LEDGER_SCHEMA]);
    const { settings } = await createTestKafka('outage-test', { brokers: kafka.brokers, topicPrefix: 'outage.' });
    const { privateKey } = testCheckpointSettings('outage.test/aal');
    writeFileSync(join(dir, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const port = await freePort();
    const env = {
      DATABASE_URL: db.adminUrl,
      DATABASE_APP_PASSWORD: db.settings.appPassword,
      KAFKA_BROKERS: kafka.brokers,
      KAFKA_TOPIC_PREFIX: settings.topicPrefix,
      LEDGER_PORT: String(port),
      LEDGER_ORIGIN: 'outage.test/aal',
      LEDGER_SIGNING_KEY_FILE: join(dir, 'key.pem'),
    };

    // Events keep coming (a send fails while the broker is away and is simply made again).
    const publisher = new EventPublisher(createKafka(settings, () => undefined));
    producer = (async () => {
      while (producing) {
        const event = makeEvent('model.registered', {
          modelId: randomUUID(),
          vendorId: 'acme-ai',
          name: 'Outage',
          intendedPurpose: 'Outage test.',
          riskClass: 'uk-mdr-class-i',
          manufacturerSafetyOfficer: 'psn_acmecso00001',
          actor: actors.vendorAdmin,
        });
        await publisher.publish([asKafkaMessage(event, settings.topicPrefix)]).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 100));
      }
      await publisher.disconnect().catch(() => undefined);
    })();

    const admin = new Client({ connectionString: db.adminUrl });
    await admin.connect();
    const count = async () => Number((await admin.query('SELECT count(*) AS n FROM ledger.entries')).rows[0].n);
    const ready = async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status;
    try {
      ledger = spawnService('ledger', env);
      await eventually(count, (n) => n > 0, 60000, 'the first entries');

      await kafka.stop();
      await new Promise((r) => setTimeout(r, 10000));
      await kafka.start();
      const afterOutage = await count();
      await eventually(count, (n) => n > afterOutage, RECOVERY_BOUND_MS, 'appends after Kafka returned');

      await ledger.crash();
      ledger = spawnService('ledger', env);
      await eventually(ready, (status) => status === 200, RECOVERY_BOUND_MS, 'the restarted ledger to be ready');
      const afterRestart = await count();
      await eventually(count, (n) => n > afterRestart, RECOVERY_BOUND_MS, 'appends after the restart');
    } finally {
      await admin.end();
    }
  });
});
