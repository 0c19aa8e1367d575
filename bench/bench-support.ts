import type { ServiceSchema } from '@aal/database';
import type { KafkaSettings } from '@aal/kafka';
import { createTestDatabase, createTestKafka, testCheckpointSettings, type TestDatabase } from '@aal/testing';

// Benchmarks use the test kit (libs/testing, compiled into dist/ with them) against the local
// Kafka and PostgreSQL, unless the usual variables name others.

/** A fresh database with `schemas` migrated, dropped by the bench when it ends. */
export function benchDatabase(schemas: readonly ServiceSchema[]): Promise<TestDatabase> {
  process.env['DATABASE_URL'] ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  return createTestDatabase(schemas);
}

/** Kafka settings with a topic prefix of this run's own, and the topics created. */
export async function benchKafka(clientId: string): Promise<KafkaSettings> {
  process.env['KAFKA_BROKERS'] ??= '127.0.0.1:9092';
  return (await createTestKafka(clientId)).settings;
}

export function quiet(): void {}

/** Checkpoint settings at a production-like pace (tests checkpoint faster). */
export function benchCheckpointSettings(origin = 'bench.local/aal') {
  return testCheckpointSettings(origin, { minIntervalMs: 1000, idleIntervalMs: 2000 }).settings;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function report(title: string, rows: Array<[string, string]>): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`\n${title}\n${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}\n`);
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Runs a bench's `main` and exits: 0 when it finished, 1 with the stack when it failed. */
export function runBench(main: () => void | Promise<void>): void {
  Promise.resolve()
    .then(main)
    .then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
        process.exit(1);
      },
    );
}
