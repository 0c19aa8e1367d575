import { dropDatabase, ensureDatabase, provisionSchema, withDatabase, type DatabaseSettings, type ServiceSchema } from '@aal/database';
import { createKafka, ensureTopics, systemTopicSpecs, type KafkaSettings } from '@aal/kafka';
import { ed25519Signer, eventSigningKey, parseEventKeySet, publicEventJwk, type EventKeySet, type EventSigningKey } from '@aal/ledger-core';
import { generateKeyPairSync, randomBytes } from 'node:crypto';

/** Benchmarks talk only to the local Kafka and PostgreSQL named by the usual variables. */
export async function benchDatabase(schemas: readonly ServiceSchema[]): Promise<{ settings: DatabaseSettings; drop(): Promise<void> }> {
  const server = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const adminUrl = withDatabase(server, `aal_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`);
  await ensureDatabase(adminUrl);
  const settings = { adminUrl, appPassword: 'aal-bench-only' };
  for (const schema of schemas) await provisionSchema(adminUrl, schema, settings.appPassword);
  return { settings, drop: () => dropDatabase(adminUrl) };
}

export async function benchKafka(clientId: string): Promise<KafkaSettings> {
  const settings: KafkaSettings = {
    brokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','),
    clientId,
    topicPrefix: `bench${Date.now().toString(36)}.`,
    partitions: 3,
    replicationFactor: 1,
    minInsyncReplicas: 1,
  };
  await ensureTopics(createKafka(settings, quiet), systemTopicSpecs(settings));
  return settings;
}

export function quiet(): void {}

export function benchCheckpointSettings(origin = 'bench.local/aal') {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { origin, signer: ed25519Signer(origin, privateKey), minIntervalMs: 1000, idleIntervalMs: 2000 };
}

/**
 * Event signing keys for a bench run: one per producer (`benchSigningKey`), and the ledger
 * settings that trust them (spread into the ledger's config).
 */
export function benchEventKeys(): { readonly eventKeys: EventKeySet } {
  return { eventKeys: benchKeys().keySet };
}

export function benchSigningKey(producer: 'model-registry' | 'deployment-approval' | 'usage-events' | 'ledger'): EventSigningKey {
  return benchKeys().signing[producer];
}

let keys: { signing: Record<string, EventSigningKey>; keySet: EventKeySet } | null = null;
function benchKeys(): { signing: Record<string, EventSigningKey>; keySet: EventKeySet } {
  if (keys) return keys;
  const producers = ['model-registry', 'deployment-approval', 'usage-events', 'ledger'];
  const signing = Object.fromEntries(producers.map((p) => [p, eventSigningKey(generateKeyPairSync('ed25519').privateKey)]));
  keys = { signing, keySet: parseEventKeySet(Object.fromEntries(producers.map((p) => [p, { keys: [publicEventJwk(signing[p]!.privateKey)] }]))) };
  return keys;
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
