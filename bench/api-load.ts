import 'reflect-metadata';
import { appDataSourceOptions } from '@aal/database';
import { tokenFor } from '@aal/testing';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { LEDGER_SCHEMA } from '../apps/ledger/src/database/ledger.schema';
import { clinicalSystem, outputBody } from '../apps/usage-events/src/testing/usage.factories';
import { startUsageEvents } from '../apps/usage-events/src/testing/usage-app';
import { benchDatabase, fmt, report, runBench } from './bench-support';
import { startBenchLedger } from './bench-ledger';
import { benchOutputId, lcg, loadDeploymentLog } from './deployment-log';
import type { LoadPlan, LoadSummary } from './load-client';

/**
 * The API under load (issue #16, target 6: p99 ≤ 50 ms at 1,000 requests/s): autocannon in a
 * second process (bench/load-client.ts) drives, at BENCH_RATE requests/s (default 1,000) for
 * BENCH_SECONDS (20) over BENCH_CONNECTIONS (32) connections,
 * - the ledger's GET /outputs/{id}/accountability for random outputs of one deployment of
 *   BENCH_OUTPUTS outputs (default 100,000; bench/deployment-log.ts), against GET /entries/{seq}
 *   (one primary-key read through the same stack: auth, Nest, pg) at the same rate;
 * - usage-events' POST /outputs (validation, idempotency, the outbox insert in one transaction;
 *   its relay publishes to Kafka meanwhile), against GET /outputs/{id} of the same service.
 * Each row prints the achieved rate, latency percentiles and the p99 against its baseline's.
 *   npm run bench:api-load
 */
const OUTPUTS = Number(process.env['BENCH_OUTPUTS'] ?? 100_000);
const RATE = Number(process.env['BENCH_RATE'] ?? 1000);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 20);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
const WARM_UP_SECONDS = 3;
const TARGET_P99_MS = 50;

/** Runs the load client in its own process with `plan`, returning its summary. */
function drive(plan: Omit<LoadPlan, 'rate' | 'connections' | 'seconds'>, seconds = SECONDS): Promise<LoadSummary> {
  const full: LoadPlan = { ...plan, rate: RATE, connections: CONNECTIONS, seconds };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'load-client.js')], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end(JSON.stringify(full));
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out.trim()) as LoadSummary);
      else reject(new Error(`the load client exited ${code}: ${err.slice(-2000)}`));
    });
  });
}

const row = (s: LoadSummary, baseline?: LoadSummary): string => {
  const ratio = baseline ? `   p99 ${fmt(s.p99 / baseline.p99, 2)}× baseline` : '';
  const failed = s.non2xx + s.errors + s.timeouts;
  return `${fmt(s.rate)} req/s   p50 ${fmt(s.p50, 1)} ms   p99 ${fmt(s.p99, 1)} ms   max ${fmt(s.max)} ms${failed ? `   ${failed} failed` : ''}${ratio}`;
};
const verdict = (s: LoadSummary) =>
  s.p99 <= TARGET_P99_MS && s.rate >= 0.98 * RATE && s.non2xx + s.errors + s.timeouts === 0 ? 'met' : 'NOT met';

async function main(): Promise<void> {
  const db = await benchDatabase([LEDGER_SCHEMA]);
  const admin = new Client({ connectionString: db.adminUrl });
  await admin.connect();
  let usage: Awaited<ReturnType<typeof startUsageEvents>> | undefined;
  try {
    const dataSource = new DataSource(appDataSourceOptions(db.settings, LEDGER_SCHEMA, [], 2));
    await dataSource.initialize();
    process.stdout.write(`loading one deployment with ${fmt(OUTPUTS)} outputs ...\n`);
    const { total } = await loadDeploymentLog(admin, dataSource, { outputs: OUTPUTS, trainEveryone: true, indexOutputs: true });
    await dataSource.destroy();

    const { app: ledger, baseUrl: ledgerUrl } = await startBenchLedger(db.settings, 'bench-api-load');
    usage = await startUsageEvents();
    const auditor = { organisationId: 'st-swithins', personId: 'psn_auditor00001', role: 'auditor' };
    const witness = { organisationId: 'log-witness', personId: 'psn_logwitness001', role: 'auditor' };
    const auditorHeaders = { authorization: `Bearer ${await tokenFor(auditor)}` };
    const entryHeaders = { authorization: `Bearer ${await tokenFor(witness, { grants: ['all-organisations'] })}` };
    const clinicalHeaders = { authorization: `Bearer ${await tokenFor(clinicalSystem)}` };
    const random = lcg(7);
    const paths = (make: () => string) => Array.from({ length: 50_000 }, make);

    // Outputs for usage-events' one-row read baseline, recorded through its API.
    const recorded: string[] = [];
    for (let i = 0; i < 200; i++) {
      const body = outputBody(new Date().toISOString());
      const res = await fetch(`${usage.baseUrl}/outputs`, {
        method: 'POST',
        headers: { ...clinicalHeaders, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status !== 201) throw new Error(`POST /outputs answered ${res.status}: ${await res.text()}`);
      recorded.push(body.outputId);
    }
    const { outputId: _, ...template } = outputBody(new Date().toISOString());

    // Each route warmed up for WARM_UP_SECONDS at the same rate, then measured; baselines first.
    const measured = async (plan: Parameters<typeof drive>[0]) => {
      await drive(plan, WARM_UP_SECONDS);
      return drive(plan);
    };
    const entries = await measured({ url: ledgerUrl, headers: entryHeaders, get: paths(() => `/entries/${Math.floor(random() * total)}`) });
    const answers = await measured({
      url: ledgerUrl,
      headers: auditorHeaders,
      get: paths(() => `/outputs/${benchOutputId(Math.floor(random() * OUTPUTS))}/accountability`),
    });
    const reads = await measured({
      url: usage.baseUrl,
      headers: clinicalHeaders,
      get: paths(() => `/outputs/${recorded[Math.floor(random() * recorded.length)]}`),
    });
    const writes = await measured({ url: usage.baseUrl, headers: clinicalHeaders, post: { path: '/outputs', body: template } });
    await ledger.close();

    report(
      `the API under load: ${fmt(RATE)} requests/s offered for ${SECONDS} s over ${CONNECTIONS} connections (autocannon, its own process); one deployment of ${fmt(OUTPUTS)} outputs (${fmt(total)} entries)`,
      [
        ['ledger baseline: GET /entries/{seq}', row(entries)],
        ['GET /outputs/{id}/accountability', row(answers, entries)],
        ['usage-events baseline: GET /outputs/{id}', row(reads)],
        ['POST /outputs', row(writes, reads)],
        [
          'target',
          `p99 ≤ ${TARGET_P99_MS} ms at ${fmt(RATE)} requests/s: accountability ${verdict(answers)}, POST /outputs ${verdict(writes)} (baselines ${verdict(entries)}, ${verdict(reads)})`,
        ],
      ],
    );
  } finally {
    await usage?.close();
    await admin.end();
    await db.drop();
  }
}

runBench(main);
