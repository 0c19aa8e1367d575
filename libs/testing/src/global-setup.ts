import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { chooseMode, REPO_ROOT } from './infrastructure';

/** Jest global setup: makes sure Kafka and PostgreSQL are reachable and names them in env. */
export default async function globalSetup(): Promise<void> {
  const mode = chooseMode();
  process.env['AAL_TEST_INFRA'] = mode;
  if (mode === 'environment') return;
  if (mode === 'testcontainers') {
    const { startContainers } = await import('./containers');
    const started = await startContainers();
    process.env['KAFKA_BROKERS'] = started.kafkaBrokers;
    process.env['DATABASE_URL'] = started.databaseUrl;
    (globalThis as Record<string, unknown>)['__AAL_CONTAINERS__'] = started;
    return;
  }
  execFileSync('bash', [join(REPO_ROOT, 'scripts', 'kafka.sh'), 'start'], { stdio: 'inherit' });
  process.env['KAFKA_BROKERS'] ??= '127.0.0.1:9092';
  process.env['DATABASE_URL'] ??= 'postgres://postgres@127.0.0.1:5432/postgres';
}
