import 'reflect-metadata';
import { appDataSourceOptions, provisionSchema, type DatabaseSettings } from '@aal/database';
import { tokenFor } from '@aal/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Worker } from 'node:worker_threads';
import { LEDGER_SCHEMA } from '../apps/ledger/src/database/ledger.schema';
import { benchDatabase, fmt, percentile, report, runBench } from './bench-support';
import { startBenchLedger } from './bench-ledger';
import { benchOutputId, lcg, loadDeploymentLog } from './deployment-log';

/**
 * Accountability answers at scale (issue #16, target 4): GET /outputs/{id}/accountability for
 * random outputs of ONE deployment that holds BENCH_OUTPUTS outputs (default 1,000,000; each
 * generated and acted on), built by bench/deployment-log.ts with a training record for each of its
 * 200 professionals and the outputs in the facts index; the oversight projection is the real one.
 * Over HTTP through the ledger's own API with an auditor's bearer token, against a baseline from
 * the same run: GET /entries/{seq} (one primary-key lookup through the same stack).
 * - cold: the first request for each of BENCH_COLD outputs never asked before, on connections
 *   opened for it (the app's pool is emptied before each request, the baseline's too), so the
 *   entries' pages are read into shared buffers and the backend's caches start empty;
 * - warm: BENCH_REQUESTS sequential requests after a warm-up;
 * - throughput: BENCH_CLIENTS (8) clients in a worker thread, BENCH_SECONDS each, answers/s.
 * BENCH_EXPLAIN=1 prints EXPLAIN (ANALYZE, BUFFERS) of every SQL statement run while one answer
 * is served (the app's other work, checkpointer and projectors, can add a few of its own).
 *   npm run bench:accountability   (BENCH_OUTPUTS=10000; BENCH_KEEP_DB=1 keeps the database, BENCH_DB=<its url> reuses it)
 */
const OUTPUTS = Number(process.env['BENCH_OUTPUTS'] ?? 1_000_000);
const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 1000);
const COLD = Number(process.env['BENCH_COLD'] ?? 200);
const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 8);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);

interface Timed {
  readonly sorted: number[];
}

/** A database of the log: a fresh one, loaded, or the one BENCH_DB names (migrated to this build, loaded already). */
async function database(): Promise<{ settings: DatabaseSettings; adminUrl: string; drop: () => Promise<void>; fresh: boolean }> {
  const reuse = process.env['BENCH_DB'];
  if (!reuse) return { ...(await benchDatabase([LEDGER_SCHEMA])), fresh: true };
  const settings: DatabaseSettings = { adminUrl: reuse, appPassword: 'aal-test-only' };
  await provisionSchema(reuse, LEDGER_SCHEMA, settings.appPassword);
  return { settings, adminUrl: reuse, drop: async () => {}, fresh: false };
}

async function main(): Promise<void> {
  const db = await database();
  const admin = new Client({ connectionString: db.adminUrl });
  await admin.connect();
  try {
    let deploymentId: string;
    let total: number;
    if (db.fresh) {
      const dataSource = new DataSource(appDataSourceOptions(db.settings, LEDGER_SCHEMA, [], 2));
      await dataSource.initialize();
      process.stdout.write(`loading one deployment with ${fmt(OUTPUTS)} outputs (generated + acted on), 200 professionals trained ...\n`);
      const log = await loadDeploymentLog(admin, dataSource, { outputs: OUTPUTS, trainEveryone: true, indexOutputs: true });
      await dataSource.destroy();
      ({ deploymentId, total } = log);
      report(`loaded ${fmt(total)} entries`, [
        ...Object.entries(log.millis).map(([k, v]): [string, string] => [k, `${fmt(v / 1000, 1)} s`]),
        ['database size', (await admin.query('SELECT pg_size_pretty(pg_database_size(current_database())) AS s')).rows[0].s],
      ]);
    } else {
      const row = (
        await admin.query(
          `SELECT (SELECT max(seq) + 1 FROM ledger.entries) AS total,
                  (SELECT deployment_id FROM ledger.oversight_outputs LIMIT 1) AS deployment,
                  (SELECT count(*) FROM ledger.oversight_outputs) AS outputs`,
        )
      ).rows[0] as { total: string; deployment: string; outputs: string };
      if (Number(row.outputs) !== OUTPUTS) throw new Error(`BENCH_DB holds ${row.outputs} outputs, not BENCH_OUTPUTS=${OUTPUTS}`);
      deploymentId = row.deployment;
      total = Number(row.total);
    }

    const { app, baseUrl: base } = await startBenchLedger(db.settings, 'bench-accountability');
    const auditor = { organisationId: 'st-swithins', personId: 'psn_auditor00001', role: 'auditor' };
    const witness = { organisationId: 'log-witness', personId: 'psn_logwitness001', role: 'auditor' };
    const answerHeaders = { authorization: `Bearer ${await tokenFor(auditor)}` };
    // Raw entries are served only with the all-organisations grant.
    const entryHeaders = { authorization: `Bearer ${await tokenFor(witness, { grants: ['all-organisations'] })}` };
    const random = lcg(16);
    const answerPath = (i: number) => `/outputs/${benchOutputId(i)}/accountability`;
    const entryPath = () => `/entries/${Math.floor(random() * total)}`;

    const first = await fetch(`${base}${answerPath(0)}`, { headers: answerHeaders });
    const body = (await first.json()) as { output?: { deploymentId: string }; oversightContext?: { week?: unknown; unavailable?: string } };
    if (first.status !== 200 || body.output?.deploymentId !== deploymentId)
      throw new Error(`the first answer came back ${first.status}: ${JSON.stringify(body).slice(0, 500)}`);
    if (!body.oversightContext?.week) throw new Error(`the answer has no oversight week: ${JSON.stringify(body.oversightContext)}`);

    if (process.env['BENCH_EXPLAIN']) await explainOneAnswer(admin, `${base}${answerPath(Math.floor(OUTPUTS / 2))}`, answerHeaders);

    const pool = (app.get(DataSource).driver as unknown as { master: PgPool }).master;
    const time = async (path: () => string, headers: Record<string, string>, n: number, before?: () => Promise<void>): Promise<Timed> => {
      const samples: number[] = [];
      for (let i = 0; i < n; i++) {
        if (before) await before();
        const started = process.hrtime.bigint();
        const res = await fetch(`${base}${path()}`, { headers });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${path()} answered ${res.status}`);
        samples.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      return { sorted: samples.sort((a, b) => a - b) };
    };
    // Cold first: outputs not asked before (from the top of a shuffled range), on new connections.
    const fresh = shuffledOutputs(OUTPUTS, 99);
    let next = 0;
    const emptyPool = () => closeIdleConnections(pool);
    const readsBefore = await blocksRead(admin);
    const coldAnswers = await time(() => answerPath(fresh[next++]!), answerHeaders, COLD, emptyPool);
    const coldReads = (await blocksRead(admin)) - readsBefore;
    const coldBaseline = await time(entryPath, entryHeaders, COLD, emptyPool);
    // Warm: a warm-up, then the measured requests (outputs at random, repeats allowed).
    const warmOutput = () => answerPath(Math.floor(random() * OUTPUTS));
    await time(warmOutput, answerHeaders, Math.max(20, REQUESTS / 10));
    await time(entryPath, entryHeaders, Math.max(20, REQUESTS / 10));
    const baseline = await time(entryPath, entryHeaders, REQUESTS);
    const warm = await time(warmOutput, answerHeaders, REQUESTS);
    const paths = (make: () => string) => Array.from({ length: 20_000 }, make);
    const baselineLoad = await load(base, paths(entryPath), entryHeaders);
    const answersLoad = await load(base, paths(warmOutput), answerHeaders);
    await app.close();

    const b50 = percentile(baseline.sorted, 50);
    const cb50 = percentile(coldBaseline.sorted, 50);
    const row = (t: Timed, against: number): string =>
      `p50 ${fmt(percentile(t.sorted, 50), 2)} ms   p99 ${fmt(percentile(t.sorted, 99), 2)} ms   (p50 ${fmt(percentile(t.sorted, 50) / against, 2)}× baseline)`;
    const p99 = percentile(warm.sorted, 99);
    const coldP99 = percentile(coldAnswers.sorted, 99);
    report(`accountability answers over HTTP, one deployment of ${fmt(OUTPUTS)} outputs (${fmt(total)} entries)`, [
      ['cold baseline: GET /entries/{seq}', row(coldBaseline, cb50)],
      [
        `cold answers (${fmt(COLD)}, new outputs, new connections)`,
        `${row(coldAnswers, cb50)}   ${fmt(coldReads / COLD, 1)} blocks read/answer`,
      ],
      ['warm baseline: GET /entries/{seq}', row(baseline, b50)],
      [`warm answers (${fmt(REQUESTS)} sequential)`, row(warm, b50)],
      [`baseline, ${CLIENTS} clients`, throughputRow(baselineLoad)],
      [`answers, ${CLIENTS} clients`, `${throughputRow(answersLoad)}   (${fmt(answersLoad.rate / baselineLoad.rate, 2)}× baseline rate)`],
      [
        'target',
        `p99 < 20 ms warm ${p99 < 20 ? 'met' : 'NOT met'}, cold ${coldP99 < 20 ? 'met' : 'NOT met'}; ≥ 500 answers/s with ${CLIENTS} clients ${answersLoad.rate >= 500 ? 'met' : 'NOT met'} (flat: compare the p99 of a 10,000-output run)`,
      ],
    ]);
  } finally {
    await admin.end();
    if (process.env['BENCH_KEEP_DB'] || !db.fresh) process.stdout.write(`kept the database: ${db.adminUrl}\n`);
    else await db.drop();
  }
}

/** Output numbers 0..n-1 in a deterministic shuffled order. */
function shuffledOutputs(n: number, seed: number): Uint32Array {
  const random = lcg(seed);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Blocks this database read from outside shared buffers so far. */
async function blocksRead(admin: Client): Promise<number> {
  await admin.query('SELECT pg_stat_clear_snapshot()');
  return Number((await admin.query('SELECT blks_read FROM pg_stat_database WHERE datname = current_database()')).rows[0].blks_read);
}

/** The parts of pg-pool 3 used to close idle connections cleanly (it has no public way to). */
interface PgPool {
  readonly _idle: ReadonlyArray<{ readonly client: unknown }>;
  _remove(client: unknown, callback: () => void): void;
}

/**
 * Ends the app's idle pooled PostgreSQL connections the way the pool's idle timeout does, so the
 * next request opens a new one (a new backend: empty plan, relation and catalogue caches).
 * Terminating backends from the server instead kills clients the app holds outside its pool.
 */
async function closeIdleConnections(pool: PgPool): Promise<void> {
  if (!Array.isArray(pool._idle) || typeof pool._remove !== 'function') throw new Error('pg-pool internals changed: update the bench');
  await Promise.all([...pool._idle].map((item) => new Promise<void>((resolve) => pool._remove(item.client, resolve))));
}

interface Load {
  readonly rate: number;
  readonly sorted: number[];
  readonly failed: number;
}

const throughputRow = (l: Load) =>
  `${fmt(l.rate)} requests/s   p50 ${fmt(percentile(l.sorted, 50), 2)} ms   p99 ${fmt(percentile(l.sorted, 99), 2)} ms${l.failed ? `   ${l.failed} failed` : ''}`;

/**
 * CLIENTS concurrent clients for SECONDS, in a worker thread (its own event loop, so the clients
 * do not queue behind the server's), each taking the next of `paths`.
 */
function load(base: string, paths: string[], headers: Record<string, string>): Promise<Load> {
  const code = `
    const { parentPort, workerData: w } = require('node:worker_threads');
    (async () => {
      const samples = []; let failed = 0; let next = 0;
      const end = Date.now() + w.seconds * 1000;
      const started = Date.now();
      await Promise.all(Array.from({ length: w.clients }, async () => {
        while (Date.now() < end) {
          const path = w.paths[next++ % w.paths.length];
          const t = process.hrtime.bigint();
          const res = await fetch(w.base + path, { headers: w.headers });
          await res.arrayBuffer();
          if (res.status !== 200) failed++;
          samples.push(Number(process.hrtime.bigint() - t) / 1e6);
        }
      }));
      parentPort.postMessage({ samples, failed, seconds: (Date.now() - started) / 1000 });
    })();`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { base, paths, headers, clients: CLIENTS, seconds: SECONDS } });
    worker.once('message', (m: { samples: number[]; failed: number; seconds: number }) => {
      void worker.terminate();
      resolve({ rate: m.samples.length / m.seconds, sorted: m.samples.sort((a, b) => a - b), failed: m.failed });
    });
    worker.once('error', reject);
  });
}

/**
 * Every SQL statement one answer runs, recorded at the pg client, then run again under EXPLAIN
 * (ANALYZE, BUFFERS) and printed: the evidence for what an answer's cost depends on.
 */
async function explainOneAnswer(admin: Client, url: string, headers: Record<string, string>): Promise<void> {
  const statements: Array<{ text: string; values: unknown[] }> = [];
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: Client, ...args: unknown[]) {
    if (this !== admin && typeof args[0] === 'string') statements.push({ text: args[0], values: (args[1] as unknown[]) ?? [] });
    return original.apply(this, args);
  };
  try {
    await (await fetch(url, { headers })).arrayBuffer();
  } finally {
    proto.query = original;
  }
  const explainable = statements.filter((s) => /^\s*(SELECT|WITH)/i.test(s.text));
  process.stdout.write(`\none answer (${url}) ran ${statements.length} statements; the ${explainable.length} reads, explained:\n`);
  for (const s of explainable) {
    const plan = await admin.query({ text: `EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, values: s.values });
    const params = JSON.stringify(s.values).slice(0, 300);
    process.stdout.write(
      `\n-- ${s.text.replace(/\s+/g, ' ').trim()}\n-- params ${params}\n${plan.rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n')}\n`,
    );
  }
}

runBench(main);
