import { dropDatabase, ensureDatabase, provisionSchema, withDatabase, type DatabaseSettings, type ServiceSchema } from '@aal/database';
import { createKafka, ensureTopics, systemTopicSpecs, type KafkaSettings } from '@aal/kafka';
import { ed25519Signer, eventSigningKey, parseEventKeySet, publicEventJwk, type EventKeySet, type EventSigningKey } from '@aal/ledger-core';
import { execFile, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

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

/** The repository root, from the compiled bench (`dist/bench/`). */
export const BENCH_REPO_ROOT = join(__dirname, '..', '..');

/**
 * A Kafka broker of the bench's own (scripts/kafka.sh, own ports and run folder), so a bench
 * may stop and restart it without disturbing the shared broker. libs/testing's privateKafka is
 * not compiled into dist/, hence this small second copy.
 */
export async function benchPrivateKafka(): Promise<{ brokers: string; start(): Promise<void>; stop(): Promise<void>; dispose(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'aal-bench-kafka-'));
  const env = { ...process.env, KAFKA_RUN_DIR: dir, KAFKA_PORT: String(await benchFreePort()), KAFKA_CONTROLLER_PORT: String(await benchFreePort()), KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m' };
  const script = (command: string) => run('bash', [join(BENCH_REPO_ROOT, 'scripts', 'kafka.sh'), command], { env, timeout: 120000 });
  const kafka = {
    brokers: `127.0.0.1:${env.KAFKA_PORT}`,
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

export function benchFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The bench's event keys as files for services run as processes: EVENT_KEYS_FILE (every
 * producer's public key) and one EVENT_SIGNING_KEY_FILE per producer.
 */
export function benchEventKeyFiles(dir: string): { keySetFile: string; signingKeyFile: (producer: string) => string } {
  const { signing } = benchKeys();
  const keySetFile = join(dir, 'event-keys.json');
  writeFileSync(keySetFile, JSON.stringify(Object.fromEntries(Object.entries(signing).map(([p, k]) => [p, { keys: [publicEventJwk(k.privateKey)] }]))));
  for (const [p, k] of Object.entries(signing)) writeFileSync(join(dir, `${p}.pem`), k.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return { keySetFile, signingKeyFile: (producer) => join(dir, `${producer}.pem`) };
}

export interface BenchProcess {
  /** SIGKILL: no shutdown hooks, like a crash. */
  crash(): Promise<void>;
  /** SIGTERM: a graceful shutdown. */
  stop(): Promise<void>;
  output(): string;
}

/** Runs a compiled service (`dist/apps/<name>/src/main.js`) as its own process. */
export function benchSpawn(name: string, env: Record<string, string>): BenchProcess {
  const child = spawn(process.execPath, ['-r', join(BENCH_REPO_ROOT, 'scripts', 'register-paths.js'), join(BENCH_REPO_ROOT, 'dist', 'apps', name, 'src', 'main.js')], {
    cwd: BENCH_REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', KAFKAJS_NO_PARTITIONER_WARNING: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-20000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return { crash: () => signal('SIGKILL'), stop: () => signal('SIGTERM'), output: () => output };
}
