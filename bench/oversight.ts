import 'reflect-metadata';
import { appDataSourceOptions } from '@aal/database';
import { tokenFor } from '@aal/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { LEDGER_SCHEMA } from '../apps/ledger/src/database/ledger.schema';
import { benchDatabase, fmt, percentile, report, runBench } from './bench-support';
import { startBenchLedger } from './bench-ledger';
import { DAYS, lcg, loadDeploymentLog } from './deployment-log';

/**
 * Time to check at scale: the one-deployment log of bench/deployment-log.ts with BENCH_OUTPUTS
 * outputs (default 1,000,000), each generated and acted on (two entries), spread over a year of 52
 * ISO weeks on two wards by 200 professionals in two roles; the REAL oversight projection
 * (`applyOversightPage`, the live projector's code) is run over the whole log and timed. Then,
 * over HTTP through the ledger's own API, sequentially:
 * - baseline: GET /entries/{seq} (one primary-key lookup through the same stack);
 * - a year of weekly buckets; a year of daily buckets; the year of weeks at a `knownAt` mid-year.
 * Prints p50/p99 and the ratio to the baseline p50; target p99 < 100 ms for the year of weeks.
 *   npm run bench:oversight      (BENCH_OUTPUTS=100000 to scale down, BENCH_REQUESTS=200; BENCH_KEEP_DB=1 keeps the database to study)
 */
const OUTPUTS = Number(process.env['BENCH_OUTPUTS'] ?? 1_000_000);
const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 200);

async function main(): Promise<void> {
  const db = await benchDatabase([LEDGER_SCHEMA]);
  const admin = new Client({ connectionString: db.settings.adminUrl });
  await admin.connect();
  const dataSource = new DataSource(appDataSourceOptions(db.settings, LEDGER_SCHEMA, [], 2));
  await dataSource.initialize();
  try {
    process.stdout.write(`loading one deployment with ${fmt(OUTPUTS)} outputs (generated + acted on) over ${DAYS} days ...\n`);
    const { deploymentId, total, millis } = await loadDeploymentLog(admin, dataSource, { outputs: OUTPUTS });
    const sizes = (
      await admin.query(
        `SELECT (SELECT count(*) FROM ledger.oversight_cells) AS cells, (SELECT count(*) FROM ledger.oversight_weeks) AS weeks`,
      )
    ).rows[0] as { cells: string; weeks: string };
    report(`loaded ${fmt(total)} entries`, [
      ...Object.entries(millis).map(([k, v]): [string, string] => [k, `${fmt(v / 1000, 1)} s (${fmt(total / (v / 1000))} entries/s)`]),
      ['day cells stored', fmt(Number(sizes.cells))],
      ['week cells stored', fmt(Number(sizes.weeks))],
    ]);

    const { app, baseUrl: base } = await startBenchLedger(db.settings, 'bench-oversight');
    const auditor = { organisationId: 'national-audit', personId: 'psn_auditor00001', role: 'auditor' };
    const headers = { authorization: `Bearer ${await tokenFor(auditor, { grants: ['all-organisations'] })}` };
    const year = `from=2025-10-06&to=2026-10-04`;
    const check = async (path: string) => {
      const res = await fetch(`${base}${path}`, { headers });
      const body = (await res.json()) as { buckets?: Array<{ actions: number }> };
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(body)}`);
      return body;
    };
    const weeks = await check(`/deployments/${deploymentId}/oversight?${year}&bucket=week`);
    const counted = weeks.buckets!.reduce((n, b) => n + b.actions, 0);
    if (weeks.buckets!.length !== 52 || counted !== OUTPUTS)
      throw new Error(`expected 52 weeks and ${OUTPUTS} actions, got ${weeks.buckets!.length} and ${counted}`);

    const time = async (path: () => string) => {
      const samples: number[] = [];
      for (let i = 0; i < Math.max(5, REQUESTS / 20); i++) await fetch(`${base}${path()}`, { headers }).then((r) => r.arrayBuffer());
      for (let i = 0; i < REQUESTS; i++) {
        const started = process.hrtime.bigint();
        const res = await fetch(`${base}${path()}`, { headers });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${path()} answered ${res.status}`);
        samples.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      return samples.sort((a, b) => a - b);
    };
    const random = lcg(7);
    const baseline = await time(() => `/entries/${Math.floor(random() * total)}`);
    const weekly = await time(() => `/deployments/${deploymentId}/oversight?${year}&bucket=week`);
    const daily = await time(() => `/deployments/${deploymentId}/oversight?${year}&bucket=day`);
    const midYear = Math.floor(total / 2);
    const knownAt = await time(() => `/deployments/${deploymentId}/oversight?${year}&bucket=week&knownAt=${midYear}`);
    await app.close();

    const b50 = percentile(baseline, 50);
    const row = (s: number[]): string =>
      `p50 ${fmt(percentile(s, 50), 2)} ms   p99 ${fmt(percentile(s, 99), 2)} ms   (${fmt(percentile(s, 50) / b50, 2)}× baseline p50)`;
    report(`oversight over HTTP, one deployment of ${fmt(OUTPUTS)} outputs, ${fmt(REQUESTS)} sequential requests each`, [
      ['baseline: GET /entries/{seq}', row(baseline)],
      ['a year of weekly buckets', row(weekly)],
      ['a year of daily buckets', row(daily)],
      ['weekly, knownAt mid-year', row(knownAt)],
      ['target', `p99 < 100 ms for the year of weeks: ${percentile(weekly, 99) < 100 ? 'met' : 'NOT met'}`],
    ]);
  } finally {
    await dataSource.destroy();
    await admin.end();
    if (process.env['BENCH_KEEP_DB']) process.stdout.write(`kept the database: ${db.adminUrl}\n`);
    else await db.drop();
  }
}

runBench(main);
