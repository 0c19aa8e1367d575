import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './infrastructure';
import { freePort } from './spawn-service';

const run = promisify(execFile);

export interface PrivateKafka {
  readonly brokers: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the broker and removes its data. */
  dispose(): Promise<void>;
}

/**
 * A broker of this test's own (scripts/kafka.sh with its own ports and run folder), for fault
 * tests that stop and restart Kafka without disturbing the shared broker other tests use.
 */
export async function privateKafka(): Promise<PrivateKafka> {
  const dir = mkdtempSync(join(tmpdir(), 'aal-kafka-'));
  const port = await freePort();
  const env = {
    ...process.env,
    KAFKA_RUN_DIR: dir,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m',
  };
  const script = (command: string) => run('bash', [join(REPO_ROOT, 'scripts', 'kafka.sh'), command], { env, timeout: 120000 });
  const kafka: PrivateKafka = {
    brokers: `127.0.0.1:${port}`,
    start: async () => void (await script('start')),
    stop: async () => void (await script('stop')),
    dispose: async () => {
      await script('stop').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await kafka.start();
  return kafka;
}
