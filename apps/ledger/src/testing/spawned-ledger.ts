import { EventPublisher, type KafkaClient, type KafkaSettings } from '@aal/kafka';
import {
  asKafkaMessage,
  createTestDatabase,
  createTestKafka,
  eventually,
  freePort,
  spawnService,
  testCheckpointSettings,
  type SpawnedService,
  type TestDatabase,
} from '@aal/testing';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LEDGER_SCHEMA } from '../database/ledger.schema';
import { verifyLedgerOverHttp } from '../log/testing/verify-over-http';
import { registeredModel } from './events';

/** What a test needs to run the ledger as a process that it kills, stops or restarts. */
export interface SpawnableLedger {
  readonly db: TestDatabase;
  readonly kafka: KafkaClient;
  readonly settings: KafkaSettings;
  /** The process environment: this database and these topics, a fresh checkpoint key, a free port. */
  readonly env: Record<string, string>;
  readonly baseUrl: string;
  /** Starts a ledger process (`bin/ledger.js`) with `env`. */
  spawn(): SpawnedService;
  /** Starts another ledger instance on the same database and topics, on a port of its own; returns it and its base URL. */
  spawnInstance(): Promise<{ readonly service: SpawnedService; readonly baseUrl: string }>;
  /**
   * Waits for a checkpoint of exactly `entries`, then verifies the log over HTTP (at `baseUrl`,
   * by default the first instance's) trusting only the checkpoint key.
   */
  verifyWholeLog(entries: number, baseUrl?: string): ReturnType<typeof verifyLedgerOverHttp>;
}

/**
 * A fresh database and topics (Kafka client `clientId`) for a ledger process signing checkpoints
 * as `origin`, its key written into `dir`; `extraEnv` adds settings. The caller drops `db`.
 */
export async function spawnableLedger(
  clientId: string,
  origin: string,
  dir: string,
  extraEnv: Record<string, string> = {},
): Promise<SpawnableLedger> {
  const db = await createTestDatabase([LEDGER_SCHEMA]);
  try {
    const { kafka, settings } = await createTestKafka(clientId);
    const { privateKey, settings: checkpoints } = testCheckpointSettings(origin);
    writeFileSync(join(dir, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const env = {
      DATABASE_URL: db.adminUrl,
      DATABASE_APP_PASSWORD: db.settings.appPassword,
      KAFKA_BROKERS: settings.brokers.join(','),
      KAFKA_TOPIC_PREFIX: settings.topicPrefix,
      LEDGER_PORT: String(port),
      LEDGER_ORIGIN: origin,
      LEDGER_SIGNING_KEY_FILE: join(dir, 'key.pem'),
      ...extraEnv,
    };
    return {
      db,
      kafka,
      settings,
      env,
      baseUrl,
      spawn: () => spawnService('ledger', env),
      async spawnInstance() {
        const instancePort = await freePort();
        return {
          service: spawnService('ledger', { ...env, LEDGER_PORT: String(instancePort) }),
          baseUrl: `http://127.0.0.1:${instancePort}`,
        };
      },
      async verifyWholeLog(entries, at = baseUrl) {
        await eventually(
          async () => (await fetch(`${at}/checkpoints/latest`)).json() as Promise<{ treeSize?: number }>,
          (c) => c.treeSize === entries,
          30000,
          'a checkpoint of the whole log',
        );
        return verifyLedgerOverHttp(at, checkpoints.signer);
      },
    };
  } catch (err) {
    await db.drop().catch(() => undefined);
    throw err;
  }
}

/** A signed producer publishing all along: 20 new models every 50 ms until `stop`. */
export interface SteadyProducer {
  /** The ids of every event published so far. */
  readonly produced: readonly string[];
  /** Stops publishing and waits for the last batch to be sent. */
  stop(): Promise<void>;
}

export function steadyProducer(kafka: KafkaClient, settings: KafkaSettings): SteadyProducer {
  const produced: string[] = [];
  const publisher = new EventPublisher(kafka);
  let producing = true;
  const running = (async () => {
    while (producing) {
      const events = Array.from({ length: 20 }, (_, i) => registeredModel(`Model ${produced.length + i}`));
      await publisher.publish(events.map((e) => asKafkaMessage(e, settings.topicPrefix)));
      produced.push(...events.map((e) => e.id));
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  let stopped: Promise<void> | undefined;
  return {
    produced,
    stop: () => {
      producing = false;
      stopped ??= running.then(() => publisher.disconnect());
      return stopped;
    },
  };
}
