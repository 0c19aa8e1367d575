import 'reflect-metadata';
import { subjectOf, toBinaryMessage, type CloudEvent } from '@aal/contracts';
import { appDataSourceOptions } from '@aal/database';
import { actors, makeEvent, outputChainEvents, outputChainIds, testAuthSettings, testLedgerEventKeys, tokenFor } from '@aal/testing';
import { createServiceApp } from '@aal/service-kit';
import { createHash, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { FactsRepository } from '../apps/ledger/src/accountability/infrastructure/facts.repository';
import { applyNextPage } from '../apps/ledger/src/accountability/application/facts.projection';
import { AppModule } from '../apps/ledger/src/app.module';
import { LEDGER_SCHEMA } from '../apps/ledger/src/database/ledger.schema';
import { applyOversightPage } from '../apps/ledger/src/oversight/application/oversight.projection';
import { benchCheckpointSettings, benchDatabase, benchKafka, fmt, percentile, report, runBench } from './bench-support';

/**
 * Time to check at scale: one deployment with BENCH_OUTPUTS outputs (default 1,000,000), each
 * generated and acted on (two entries), spread over a year of 52 ISO weeks on two wards by 200
 * professionals in two roles, recorded two seconds after they happened. The entries are written
 * straight into `ledger.entries` (valid signed-format CloudEvents; no Merkle tree, which oversight
 * does not read), then the REAL oversight projection (`applyOversightPage`, the live projector's
 * code) is run over the whole log and timed. The deployment's own entries go through the real
 * facts projection first. Then, over HTTP through the ledger's own API, sequentially:
 * - baseline: GET /entries/{seq} (one primary-key lookup through the same stack);
 * - a year of weekly buckets; a year of daily buckets; the year of weeks at a `knownAt` mid-year.
 * Prints p50/p99 and the ratio to the baseline p50; target p99 < 100 ms for the year of weeks.
 *   npm run bench:oversight      (BENCH_OUTPUTS=100000 to scale down, BENCH_REQUESTS=200; BENCH_KEEP_DB=1 keeps the database to study)
 */
const OUTPUTS = Number(process.env['BENCH_OUTPUTS'] ?? 1_000_000);
const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 200);
const FIRST_DAY = Date.parse('2025-10-06T00:00:00Z'); // a Monday
const DAYS = 364;
const INSERT_BATCH = 5000;
const PROJECT_PAGE = 5000;

const sites = ['ward-7a', 'ward-7b'];
const roles = ['staff-nurse', 'doctor'];

interface Row {
  seq: number;
  event: CloudEvent<unknown>;
  recordedAt: string;
}

/** A deterministic pseudo-random generator, so runs compare. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function insert(admin: Client, rows: readonly Row[]): Promise<void> {
  const messages = rows.map((r) => toBinaryMessage(r.event));
  await admin.query(
    `INSERT INTO ledger.entries (seq, event_id, source, type, subject, event_time, recorded_at, recorded_at_text,
                                 kafka_topic, kafka_partition, kafka_offset, headers, value, content_hash, leaf_hash, chain_hash)
     SELECT s, i, '/aal/usage-events/bench', t, sub, et, ra::timestamptz, ra, 'bench', 0, s, h, v, '\\x00'::bytea, '\\x00'::bytea, '\\x00'::bytea
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::jsonb[], $8::bytea[])
         AS u(s, i, t, sub, et, ra, h, v)`,
    [
      rows.map((r) => r.seq),
      rows.map((r) => r.event.id),
      rows.map((r) => r.event.type),
      rows.map((r) => r.event.subject),
      rows.map((r) => r.event.time),
      rows.map((r) => r.recordedAt),
      messages.map((m) => JSON.stringify(m.headers)),
      messages.map((m) => Buffer.from(m.value)),
    ],
  );
}

/** The output's two events at `at`, from templates validated once (makeEvent), with this output's id and figures. */
function outputEvents(
  generated: CloudEvent<Record<string, unknown>>,
  acted: CloudEvent<Record<string, unknown>>,
  i: number,
  at: number,
  random: () => number,
): [CloudEvent<unknown>, CloudEvent<unknown>] {
  const outputId = `out-bench-${String(i).padStart(7, '0')}`;
  const site = sites[Math.floor(random() * 2)]!;
  const role = roles[Math.floor(random() * 2)]!;
  const person = `psn_bench_${site}_${role}_${Math.floor(random() * 50)}`;
  const subject = subjectOf('output', outputId);
  return [
    {
      ...generated,
      id: randomUUID(),
      subject,
      time: new Date(at).toISOString(),
      data: { ...generated.data, outputId, site, outputDigest: `sha256:${createHash('sha256').update(outputId).digest('hex')}` },
    },
    {
      ...acted,
      id: randomUUID(),
      subject,
      time: new Date(at + 60_000).toISOString(),
      data: {
        ...acted.data,
        outputId,
        professional: { personId: person, role },
        action: random() < 0.7 ? 'accepted' : random() < 0.5 ? 'modified' : 'overridden',
        reviewDurationSeconds: 10 + Math.floor(random() * 230),
      },
    },
  ];
}

async function load(
  admin: Client,
  dataSource: DataSource,
): Promise<{ deploymentId: string; total: number; millis: Record<string, number> }> {
  const millis: Record<string, number> = {};
  const ids = outputChainIds('out-bench-chain');
  const chain = outputChainEvents(ids, FIRST_DAY - 14 * 86_400_000);
  // The deployment's own facts (request, approval, policy for both wards and roles, training): through the real facts projection.
  const policyIndex = chain.findIndex((e) => e.type === 'aal.usage-policy.issued.v1');
  chain[policyIndex] = makeEvent(
    'usage-policy.issued',
    { ...(chain[policyIndex]!.data as object), sites, roles },
    { time: chain[policyIndex]!.time },
  );
  const own = chain.slice(0, 7);
  const later = (e: CloudEvent<unknown>) => new Date(Date.parse(e.time) + 2000).toISOString();
  await insert(
    admin,
    own.map((event, seq) => ({ seq, event, recordedAt: later(event) })),
  );
  const facts = new FactsRepository(dataSource);
  while ((await applyNextPage(facts)) !== null);
  const generated = chain[7] as CloudEvent<Record<string, unknown>>;
  const acted = makeEvent(
    'output.acted-on',
    { ...(chain[9]!.data as object), actor: actors.clinicalSystem },
    { time: chain[9]!.time },
  ) as CloudEvent<Record<string, unknown>>;

  let started = Date.now();
  const random = lcg(20261202);
  // Outputs in time order, each followed by its action, recorded two seconds after they happen
  // and never before the entry before them (the ledger stamps recorded times in append order).
  const times = new Float64Array(OUTPUTS);
  for (let i = 0; i < OUTPUTS; i++) times[i] = FIRST_DAY + Math.floor(random() * DAYS * 86_400_000);
  times.sort();
  let seq = own.length;
  let lastRecorded = 0;
  const recorded = (e: CloudEvent<unknown>) => {
    lastRecorded = Math.max(lastRecorded, Date.parse(e.time) + 2000);
    return new Date(lastRecorded).toISOString();
  };
  for (let i = 0; i < OUTPUTS; i += INSERT_BATCH / 2) {
    const rows: Row[] = [];
    for (let j = i; j < Math.min(OUTPUTS, i + INSERT_BATCH / 2); j++)
      for (const event of outputEvents(generated, acted, j, times[j]!, random))
        rows.push({ seq: seq++, event, recordedAt: recorded(event) });
    await insert(admin, rows);
  }
  millis['write entries'] = Date.now() - started;
  // Outputs are not indexed by facts here: oversight reads only the deployment's own facts from it.
  await admin.query(`UPDATE ledger.projection_positions SET next_seq = $1 WHERE projection = 'facts'`, [seq]);

  started = Date.now();
  let pages = 0;
  while ((await applyOversightPage(dataSource, undefined, PROJECT_PAGE)) !== null) {
    pages++;
    if (pages % 40 === 0) process.stdout.write(`  projected ${fmt(pages * PROJECT_PAGE)} entries ...\n`);
  }
  millis['project (real projection)'] = Date.now() - started;
  await admin.query('ANALYZE');
  return { deploymentId: ids.deploymentId, total: seq, millis };
}

async function main(): Promise<void> {
  const db = await benchDatabase([LEDGER_SCHEMA]);
  const admin = new Client({ connectionString: db.settings.adminUrl });
  await admin.connect();
  const dataSource = new DataSource(appDataSourceOptions(db.settings, LEDGER_SCHEMA, [], 2));
  await dataSource.initialize();
  try {
    process.stdout.write(`loading one deployment with ${fmt(OUTPUTS)} outputs (generated + acted on) over ${DAYS} days ...\n`);
    const { deploymentId, total, millis } = await load(admin, dataSource);
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

    const kafka = await benchKafka('bench-oversight');
    const app = await createServiceApp(
      AppModule.register({
        port: 0,
        database: db.settings,
        kafka,
        checkpoints: benchCheckpointSettings(),
        ...testLedgerEventKeys(),
        auth: testAuthSettings('ledger'),
      }),
      { name: 'ledger', description: 'bench', logger: pino({ level: 'silent' }) },
    );
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
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
