import type { KafkaSettings } from '@aal/kafka';
import { eventually, freePort, testCheckpointSettings, type TestDatabase } from '@aal/testing';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyLedgerOverHttp } from '../log/testing/verify-over-http';

/**
 * How to run the ledger as a process (`spawnService('ledger', env)`) on `db` and `kafka`, for
 * tests that kill, stop or restart it: its environment, with a fresh checkpoint key written into
 * `dir` and a free port, and where it answers.
 */
export async function spawnableLedger(
  db: TestDatabase,
  kafka: KafkaSettings,
  origin: string,
  dir: string,
  extraEnv: Record<string, string> = {},
): Promise<{
  readonly env: Record<string, string>;
  readonly baseUrl: string;
  verifyWholeLog(entries: number): ReturnType<typeof verifyLedgerOverHttp>;
}> {
  const { privateKey, settings } = testCheckpointSettings(origin);
  writeFileSync(join(dir, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    DATABASE_URL: db.adminUrl,
    DATABASE_APP_PASSWORD: db.settings.appPassword,
    KAFKA_BROKERS: kafka.brokers.join(','),
    KAFKA_TOPIC_PREFIX: kafka.topicPrefix,
    LEDGER_PORT: String(port),
    LEDGER_ORIGIN: origin,
    LEDGER_SIGNING_KEY_FILE: join(dir, 'key.pem'),
    ...extraEnv,
  };
  return {
    env,
    baseUrl,
    /** Waits for a checkpoint of exactly `entries`, then verifies the log over HTTP trusting only the checkpoint key. */
    async verifyWholeLog(entries) {
      await eventually(
        async () => (await fetch(`${baseUrl}/checkpoints/latest`)).json() as Promise<{ treeSize?: number }>,
        (c) => c.treeSize === entries,
        30000,
        'a checkpoint of the whole log',
      );
      return verifyLedgerOverHttp(baseUrl, settings.signer);
    },
  };
}
