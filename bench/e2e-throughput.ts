import 'reflect-metadata';
import { subjectOf } from '@aal/contracts';
import { EventPublisher, type KafkaClient } from '@aal/kafka';
import { asKafkaMessage, createTestDatabase, spawnService, tokenFor, type SpawnedService } from '@aal/testing';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { spawnableLedger } from '../apps/ledger/src/testing/spawned-ledger';
import { USAGE_EVENTS_SCHEMA } from '../apps/usage-events/src/database/usage-events.schema';
import { deploymentEvent } from '../apps/usage-events/src/testing/usage-app';
import { clinicalSystem, hospitalDeployment, outputBody } from '../apps/usage-events/src/testing/usage.factories';
import { fmt, percentile, report, runBench } from './bench-support';
import { cpuMeter, pidsByCommandLine, profileByGroup } from './cpu-accounting';

/**
 * End to end (issue #16, target 1): the compiled usage-events and ledger services run as their own
 * processes on a fresh database each and a topic prefix of this run's own. BENCH_CLIENTS clients
 * post `POST /batches` of BENCH_BATCH output.generated items for BENCH_SECONDS; then the bench
 * waits until the ledger has appended every acknowledged event and a checkpoint covers them.
 * A paced run at BENCH_LAG_RATE events/s measures commit → ledger lag per event. The same run's
 * raw baseline is a plain node:http server doing one INSERT per item (one transaction per request),
 * driven by the same clients with the same bodies.
 *   npm run bench:e2e   (BENCH_SECONDS=60 BENCH_CLIENTS=4 BENCH_BATCH=500 BENCH_LAG_RATE=1000 BENCH_LAG_SECONDS=20)
 * BENCH_CPU_PROF=<folder> runs both services with --cpu-prof and prints their self time by
 * function group; BENCH_PORT_BASE (23200) gives the three ports used.
 */
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 60);
const BASELINE_SECONDS = Number(process.env['BENCH_BASELINE_SECONDS'] ?? 20);
const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 4);
const BATCH = Number(process.env['BENCH_BATCH'] ?? 500);
const LAG_RATE = Number(process.env['BENCH_LAG_RATE'] ?? 1000);
const LAG_SECONDS = Number(process.env['BENCH_LAG_SECONDS'] ?? 20);
const PORT_BASE = Number(process.env['BENCH_PORT_BASE'] ?? 23200);
const PROFILE_DIR = process.env['BENCH_CPU_PROF'];
const WAIT_MS = 120_000;
const TARGET_RATE = 5000;
const TARGET_LAG_P99_MS = 500;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  if (process.env['BENCH_ROLE'] === 'baseline') return baselineServer();
  const dir = mkdtempSync(join(tmpdir(), 'aal-bench-e2e-'));
  const profileArgs = (name: string): string[] => {
    if (!PROFILE_DIR) return [];
    mkdirSync(join(PROFILE_DIR, name), { recursive: true });
    return ['--cpu-prof', `--cpu-prof-dir=${join(PROFILE_DIR, name)}`];
  };
  const ports = { ledger: PORT_BASE, usage: PORT_BASE + 1, baseline: PORT_BASE + 2 };
  const ledgerSide = await spawnableLedger('bench-e2e', 'bench.local/aal', dir, {
    LEDGER_PORT: String(ports.ledger),
    LOG_LEVEL: 'error',
  });
  const usageDb = await createTestDatabase([USAGE_EVENTS_SCHEMA]);
  const ledgerDb = new Client({ connectionString: ledgerSide.db.adminUrl });
  await ledgerDb.connect();
  const services: SpawnedService[] = [];
  let baseline: ChildProcess | undefined;
  try {
    const ledger = spawnService('ledger', ledgerSide.env, profileArgs('ledger'));
    services.push(ledger);
    const usage = spawnService(
      'usage-events',
      {
        DATABASE_URL: usageDb.adminUrl,
        DATABASE_APP_PASSWORD: usageDb.settings.appPassword,
        KAFKA_BROKERS: ledgerSide.settings.brokers.join(','),
        KAFKA_TOPIC_PREFIX: ledgerSide.settings.topicPrefix,
        USAGE_EVENTS_PORT: String(ports.usage),
        LOG_LEVEL: 'error',
      },
      profileArgs('usage-events'),
    );
    services.push(usage);
    const usageUrl = `http://127.0.0.1:${ports.usage}`;
    await until(() => ready(`http://127.0.0.1:${ports.ledger}`), 'the ledger ready', ledger);
    await until(() => ready(usageUrl), 'usage-events ready', usage);
    await knowDeployment(ledgerSide.kafka, ledgerSide.settings.topicPrefix, usageDb.adminUrl, usage);
    const entries = async () => Number((await ledgerDb.query('SELECT coalesce(max(seq) + 1, 0) AS n FROM ledger.entries')).rows[0].n);
    const checkpointed = async () =>
      Number((await ledgerDb.query('SELECT coalesce(max(tree_size), 0) AS n FROM ledger.checkpoints')).rows[0].n);
    // The deployment event, and one output through the whole path: consumer groups formed, caches warm.
    const token = await tokenFor(clinicalSystem);
    await postBatch(usageUrl, token, 1);
    await until(async () => (await entries()) >= 2, 'the first output in the ledger', ledger);

    process.stdout.write(`baseline: ${CLIENTS} clients for ${BASELINE_SECONDS} s ...\n`);
    baseline = fork(__filename, [], {
      env: { ...process.env, BENCH_ROLE: 'baseline', BENCH_BASELINE_PORT: String(ports.baseline), BENCH_BASELINE_DB: usageDb.adminUrl },
      execArgv: process.execArgv,
    });
    const baselineUrl = `http://127.0.0.1:${ports.baseline}`;
    await until(() => ready(baselineUrl), 'the baseline server ready');
    const raw = await drive(baselineUrl, token, BASELINE_SECONDS);

    process.stdout.write(`end to end: ${CLIENTS} clients for ${SECONDS} s ...\n`);
    const kafkaPids = pidsByCommandLine('kafka.Kafka');
    const pgBackends = await postgresBackends(ledgerDb, [ledgerSide.db.adminUrl, usageDb.adminUrl]);
    const meter = cpuMeter({
      'usage-events': [usage.process.pid!],
      ledger: [ledger.process.pid!],
      'postgres (this run)': pgBackends,
      'kafka broker (shared)': kafkaPids,
      'bench clients': [process.pid],
    });
    const before = await entries();
    meter.start();
    const started = Date.now();
    const acked = await drive(usageUrl, token, SECONDS);
    const cpu = meter.stop();
    const windowSeconds = (Date.now() - started) / 1000;
    const inWindow = (await entries()) - before;
    const target = before + acked.items;
    await until(async () => (await entries()) >= target, 'the ledger to append every acknowledged event', ledger);
    const allSeconds = (Date.now() - started) / 1000;
    await until(async () => (await checkpointed()) >= target, 'a checkpoint covering them', ledger);
    const checkpointSeconds = (Date.now() - started) / 1000;

    const lag = LAG_SECONDS > 0 ? await measureLag(usageUrl, token, ledgerDb, ledger) : undefined;

    const rows: Array<[string, string]> = [
      [
        `raw baseline: HTTP → one INSERT per item`,
        `${fmt(raw.items / raw.seconds)} items/s (${fmt(raw.items)} in ${fmt(raw.seconds, 1)} s)`,
      ],
      ['usage-events: acknowledged', `${fmt(acked.items / acked.seconds)} items/s (${fmt(acked.items)} in ${fmt(acked.seconds, 1)} s)`],
      ['ledger: appended within the window', `${fmt(inWindow / windowSeconds)} entries/s`],
      ['ledger: until it holds every acknowledged event', `${fmt(acked.items / allSeconds)} entries/s (${fmt(allSeconds, 1)} s)`],
      ['ledger: until a checkpoint covers them', `${fmt(acked.items / checkpointSeconds)} entries/s (${fmt(checkpointSeconds, 1)} s)`],
      ['ratio acknowledged / baseline', fmt(acked.items / acked.seconds / (raw.items / raw.seconds), 2)],
      ['ratio ledger (until all) / baseline', fmt(acked.items / allSeconds / (raw.items / raw.seconds), 2)],
      ['batch latency p50 / p99 (end to end run)', `${fmt(percentile(acked.latencies, 50))} / ${fmt(percentile(acked.latencies, 99))} ms`],
      ['target', `≥ ${fmt(TARGET_RATE)} events/s end to end: ${acked.items / allSeconds >= TARGET_RATE ? 'met' : 'NOT met'}`],
    ];
    if (lag) {
      rows.push(
        [
          `lag at ${fmt(LAG_RATE)}/s, ack → ledger p50 / p99`,
          `${fmt(lag.fromAck.p50)} / ${fmt(lag.fromAck.p99)} ms (${fmt(lag.events)} events)`,
        ],
        [`lag at ${fmt(LAG_RATE)}/s, request sent → ledger p50 / p99`, `${fmt(lag.fromSend.p50)} / ${fmt(lag.fromSend.p99)} ms`],
        [
          'lag target',
          `p99 ≤ ${TARGET_LAG_P99_MS} ms: ${lag.fromSend.p99 <= TARGET_LAG_P99_MS ? 'met' : lag.fromAck.p99 <= TARGET_LAG_P99_MS ? 'met from the ack, not from the send' : 'NOT met'}`,
        ],
      );
    }
    report(`end to end, ${CLIENTS} clients × batches of ${fmt(BATCH)} output.generated items, ${fmt(SECONDS)} s`, rows);
    report(
      `core-seconds per second during the end-to-end window (${fmt(windowSeconds, 1)} s; 2 cores = 2.00)`,
      Object.entries(cpu).map(([name, seconds]) => [name === 'machine' ? 'machine, every process' : name, fmt(seconds / windowSeconds, 2)]),
    );
  } finally {
    baseline?.kill('SIGTERM');
    await Promise.all(services.map((s) => s.stop()));
    await ledgerDb.end();
    await usageDb.drop();
    await ledgerSide.db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
  if (PROFILE_DIR) printProfiles(PROFILE_DIR);
}

/** Every client posts batches back to back for `seconds`; the rate counts acknowledged items only. */
async function drive(url: string, token: string, seconds: number) {
  const deadline = Date.now() + seconds * 1000;
  const latencies: number[] = [];
  let items = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < deadline) {
        const sent = Date.now();
        const answer = await postBatch(url, token, BATCH);
        latencies.push(Date.now() - sent);
        items += answer.eventIds.length;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { items, seconds: (Date.now() - started) / 1000, latencies };
}

/** POST /batches of `count` output.generated items; throws unless 201. */
async function postBatch(url: string, token: string, count: number): Promise<{ eventIds: string[] }> {
  const occurredAt = new Date().toISOString();
  const body = { items: Array.from({ length: count }, () => ({ kind: 'output.generated', body: outputBody(occurredAt) })) };
  const res = await fetch(`${url}/batches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST /batches answered ${res.status}: ${text.slice(0, 500)}`);
  const answer = JSON.parse(text) as { items: Array<{ eventIds: string[] }> };
  return { eventIds: answer.items.flatMap((i) => i.eventIds) };
}

/**
 * Batches of a tenth of LAG_RATE every 100 ms for LAG_SECONDS; for each event, the ledger's
 * `recorded_at` minus the time its request was sent (an upper bound of commit → ledger) and minus
 * the time its acknowledgement arrived (a lower bound: the commit came just before).
 */
async function measureLag(url: string, token: string, ledgerDb: Client, ledger: SpawnedService) {
  process.stdout.write(`lag: ${fmt(LAG_RATE)} events/s for ${LAG_SECONDS} s ...\n`);
  const perTick = Math.max(1, Math.round(LAG_RATE / 10));
  const sentBatches: Array<Promise<{ sent: number; acked: number; eventIds: string[] }>> = [];
  const start = Date.now();
  for (let tick = 0; tick < LAG_SECONDS * 10; tick++) {
    await sleep(Math.max(0, start + tick * 100 - Date.now()));
    const sent = Date.now();
    sentBatches.push(postBatch(url, token, perTick).then((a) => ({ sent, acked: Date.now(), eventIds: a.eventIds })));
  }
  const batches = await Promise.all(sentBatches);
  const ids = batches.flatMap((b) => b.eventIds);
  const recorded = await until(
    async () => {
      const rows = await ledgerDb.query('SELECT event_id, recorded_at_text FROM ledger.entries WHERE event_id = ANY($1::text[])', [ids]);
      return rows.rows.length === ids.length ? new Map(rows.rows.map((r) => [r.event_id as string, Date.parse(r.recorded_at_text)])) : null;
    },
    'the ledger to append the paced events',
    ledger,
  );
  const fromAck: number[] = [];
  const fromSend: number[] = [];
  for (const b of batches) {
    for (const id of b.eventIds) {
      fromAck.push(recorded.get(id)! - b.acked);
      fromSend.push(recorded.get(id)! - b.sent);
    }
  }
  const summary = (values: number[]) => {
    values.sort((a, b) => a - b);
    return { p50: percentile(values, 50), p99: percentile(values, 99) };
  };
  return { events: ids.length, fromAck: summary(fromAck), fromSend: summary(fromSend) };
}

/** usage-events learns the deployment from deployment-approval's topic, as in production. */
async function knowDeployment(kafka: KafkaClient, prefix: string, usageUrl: string, usage: SpawnedService) {
  const publisher = new EventPublisher(kafka);
  try {
    await publisher.publish([asKafkaMessage(deploymentEvent(hospitalDeployment), prefix)]);
  } finally {
    await publisher.disconnect();
  }
  const db = new Client({ connectionString: usageUrl });
  await db.connect();
  try {
    await until(
      async () =>
        (
          await db.query(`SELECT 1 FROM ${USAGE_EVENTS_SCHEMA.schema}.deployments WHERE deployment_id = $1`, [
            hospitalDeployment.deploymentId,
          ])
        ).rowCount === 1,
      `usage-events to learn deployment ${hospitalDeployment.deploymentId}`,
      usage,
    );
  } finally {
    await db.end();
  }
}

/** PostgreSQL backend pids serving the given databases now (the services keep their pools open). */
async function postgresBackends(admin: Client, urls: readonly string[]): Promise<number[]> {
  const names = urls.map((u) => new URL(u).pathname.slice(1));
  const rows = await admin.query('SELECT pid FROM pg_stat_activity WHERE datname = ANY($1::text[])', [names]);
  return rows.rows.map((r) => Number(r.pid));
}

async function ready(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health/ready`)).status === 200;
  } catch {
    return false;
  }
}

/** Polls `check` until it returns something truthy; fails after WAIT_MS with the service's output. */
async function until<T>(check: () => Promise<T>, what: string, service?: SpawnedService): Promise<NonNullable<T>> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${service ? `\n${service.output()}` : ''}`);
    await sleep(50);
  }
}

/**
 * The raw baseline, run as a child process like the services: POST /batches parsed as JSON, then
 * one INSERT of the item's body per item in one transaction; no auth, no validation, no outbox.
 */
async function baselineServer(): Promise<void> {
  const pool = new Pool({ connectionString: process.env['BENCH_BASELINE_DB'], max: CLIENTS });
  await pool.query('CREATE TABLE IF NOT EXISTS public.bench_raw (id bigserial PRIMARY KEY, item jsonb NOT NULL)');
  const server = createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const items = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { items: Array<{ body: { outputId: string } }> }).items;
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for (const item of items) await client.query('INSERT INTO public.bench_raw (item) VALUES ($1)', [JSON.stringify(item)]);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ items: items.map((i) => ({ eventIds: [subjectOf('output', i.body.outputId)] })) }));
    });
  });
  server.listen(Number(process.env['BENCH_BASELINE_PORT']), '127.0.0.1');
  await new Promise<void>((resolve) => process.once('SIGTERM', () => resolve()));
  server.close();
  await pool.end();
}

function printProfiles(folder: string): void {
  for (const service of ['usage-events', 'ledger']) {
    const files = readdirSync(join(folder, service)).filter((f) => f.endsWith('.cpuprofile'));
    for (const file of files) {
      const groups = profileByGroup(join(folder, service, file));
      const busy = groups.filter(([g]) => g !== '(idle)').reduce((s, [, v]) => s + v, 0);
      report(
        `${service}: self time by function group (${file}; ${fmt(busy, 1)} s busy in all)`,
        groups
          .filter(([g]) => g !== '(idle)')
          .slice(0, 25)
          .map(([g, v]) => [g, `${fmt(v, 2)} s  ${fmt((100 * v) / busy, 1)} %`]),
      );
    }
  }
}

runBench(main);
