import { tokenFor } from '@aal/testing';
import 'reflect-metadata';
import { MerkleAccumulator } from '@aal/ledger-core';
import { Client } from 'pg';
import { LEDGER_SCHEMA } from '../apps/ledger/src/database/ledger.schema';
import { benchDatabase, fmt, percentile, report, runBench } from './bench-support';
import { startBenchLedger } from './bench-ledger';
import { type EventIds, type GrowthTimes, growSyntheticLog } from './synthetic-log';

/**
 * Proof latency through the ledger's HTTP API as the log grows, and the log's growth curve
 * (issue #16, target 3 and "Scale past one machine"). One synthetic log (bench/synthetic-log.ts)
 * is built in stages (BENCH_STAGES, default 1M, 3M, 10M entries); at each stage the bench prints
 * the time per entry to build the stage, the bytes per entry of every table it fills and of their
 * indexes, and, through the ledger's API, inclusion proofs of random entries and consistency proofs
 * between random sizes (p50/p99) against a baseline measured in the same stage: fetching one entry
 * by sequence number (one primary-key lookup through the same HTTP stack). It ends with the growth
 * curve and its extrapolation to 1,000,000,000 entries from the last stage's marginal bytes.
 * Every request carries an auditor's bearer token with the all-organisations grant, as any
 * client of raw entries and proofs must.
 * The entries' INSERTs also report the index blocks they read from outside shared buffers per
 * entry: the part of the append's cost that grows with the log whatever the machine's load.
 *   npm run bench:proofs      (BENCH_STAGES=1000000,3000000,10000000 BENCH_REQUESTS=2000
 *                              BENCH_EVENT_IDS=random|time-ordered; BENCH_KEEP_DB=1 keeps the database)
 */
const STAGES = (process.env['BENCH_STAGES'] ?? process.env['BENCH_TREE_SIZE'] ?? '1000000,3000000,10000000').split(',').map(Number);
const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 2000);
/** `random` as randomUUID() makes event ids, or `time-ordered` as UUIDv7 does (bench/synthetic-log.ts). */
const EVENT_IDS = (process.env['BENCH_EVENT_IDS'] ?? 'random') as EventIds;
/** The tables the bench fills, each measured with its indexes. */
const TABLES = ['ledger.entries', 'ledger.tree_nodes', 'ledger.facts'];
const BILLION = 1_000_000_000;

interface Sizes {
  table: string;
  total: number;
  indexes: number;
}
interface Stage {
  size: number;
  times: GrowthTimes;
  sizes: Sizes[];
  database: number;
}

async function main(): Promise<void> {
  if (STAGES.some((s, i) => !Number.isSafeInteger(s) || s < 2 || (i > 0 && s <= STAGES[i - 1]!)))
    throw new Error(`BENCH_STAGES must be increasing entry counts of at least 2, got ${STAGES.join(',')}`);
  if (EVENT_IDS !== 'random' && EVENT_IDS !== 'time-ordered')
    throw new Error(`BENCH_EVENT_IDS must be random or time-ordered, got ${EVENT_IDS}`);
  const db = await benchDatabase([LEDGER_SCHEMA]);
  const sql = new Client({ connectionString: db.settings.adminUrl });
  await sql.connect();
  const accumulator = new MerkleAccumulator();
  const stages: Stage[] = [];
  try {
    for (const size of STAGES) {
      const from = stages.at(-1)?.size ?? 0;
      process.stdout.write(`\ngrowing the log from ${fmt(from)} to ${fmt(size)} synthetic entries (${EVENT_IDS} event ids) ...\n`);
      const times = await growSyntheticLog(sql, accumulator, from, size, EVENT_IDS);
      const sizes: Sizes[] = [];
      for (const table of TABLES) {
        const { rows } = await sql.query('SELECT pg_total_relation_size($1::regclass) AS total, pg_indexes_size($1::regclass) AS indexes', [
          table,
        ]);
        sizes.push({ table, total: Number(rows[0].total), indexes: Number(rows[0].indexes) });
      }
      const database = Number((await sql.query('SELECT pg_database_size(current_database()) AS b')).rows[0].b);
      const stage = { size, times, sizes, database };
      stages.push(stage);
      await measureProofs(db.settings, stage, from);
    }
    reportGrowth(stages);
  } finally {
    await sql.end();
    if (process.env['BENCH_KEEP_DB']) process.stdout.write(`kept the database: ${db.adminUrl}\n`);
    else await db.drop();
  }
}

const mb = (bytes: number) => `${fmt(bytes / 2 ** 20, 1)} MiB`;
const gb = (bytes: number) => `${fmt(bytes / 2 ** 30, 1)} GiB`;
const perEntry = (ms: number, entries: number) => `${fmt((ms * 1000) / entries, 1)} µs/entry`;

async function measureProofs(database: Parameters<typeof startBenchLedger>[0], stage: Stage, from: number): Promise<void> {
  const { size, times, sizes } = stage;
  const { app, baseUrl: base } = await startBenchLedger(database, 'bench-proofs');
  const random = (n: number) => Math.floor(Math.random() * n);
  // Raw entries and proofs are served only with the all-organisations grant.
  const auditor = { organisationId: 'log-witness', personId: 'psn_logwitness001', role: 'auditor' };
  const headers = { authorization: `Bearer ${await tokenFor(auditor, { grants: ['all-organisations'] })}` };
  const time = async (path: () => string) => {
    const samples: number[] = [];
    for (let i = 0; i < 50; i++) await (await fetch(`${base}${path()}`, { headers })).arrayBuffer(); // warm-up
    for (let i = 0; i < REQUESTS; i++) {
      const url = path();
      const t = process.hrtime.bigint();
      const res = await fetch(`${base}${url}`, { headers });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${url} answered ${res.status}`);
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return samples.sort((a, b) => a - b);
  };
  let baseline: number[];
  let inclusion: number[];
  let consistency: number[];
  try {
    baseline = await time(() => `/entries/${random(size)}`);
    inclusion = await time(() => `/entries/${random(size)}/inclusion-proof?treeSize=${size}`);
    consistency = await time(() => `/proofs/consistency?from=${1 + random(size - 1)}&to=${size}`);
  } finally {
    await app.close();
  }

  const added = size - from;
  const built = times.entries + times.tree + times.facts + times.vacuum;
  const ratio = (s: number[], p: number) => fmt(percentile(s, p) / percentile(baseline, p), 2);
  const latency = (name: string, s: number[]) =>
    [
      name,
      `p50 ${fmt(percentile(s, 50), 2)} ms   p99 ${fmt(percentile(s, 99), 2)} ms   (${ratio(s, 50)}× baseline p50, ${ratio(s, 99)}× baseline p99)`,
    ] as [string, string];
  // Issue #16: p99 < 10 ms up to a million entries, < 20 ms at ten million.
  const limit = size <= 1_000_000 ? 10 : 20;
  report(`stage: ${fmt(size)} entries (${fmt(added)} added), proofs over HTTP, ${fmt(REQUESTS)} requests each, sequential`, [
    [
      'build of the stage',
      `${perEntry(built, added)} (${fmt(built / 1000, 1)} s): entries ${perEntry(times.entries, added)}, tree ${perEntry(times.tree, added)}, facts ${perEntry(times.facts, added)}, vacuum ${perEntry(times.vacuum, added)}`,
    ],
    [
      'index reads of the INSERTs',
      `blocks from outside shared buffers per entry added: ${Object.entries(times.entryIndexReads)
        .map(([name, n]) => `${name} ${fmt(n / added, 3)}`)
        .join(', ')}`,
    ],
    ...sizes.map(
      ({ table, total, indexes }) =>
        [table, `${mb(total)} (${fmt(total / size)} B/entry), of which indexes ${mb(indexes)} (${fmt(indexes / size)} B/entry)`] as [
          string,
          string,
        ],
    ),
    ['database', `${mb(stage.database)} (${fmt(stage.database / size)} B/entry)`],
    latency('baseline: GET /entries/{seq}', baseline),
    latency('inclusion proof', inclusion),
    latency('consistency proof', consistency),
    [
      'target',
      `p99 < ${limit} ms: inclusion ${percentile(inclusion, 99) < limit ? 'met' : 'NOT met'}, consistency ${percentile(consistency, 99) < limit ? 'met' : 'NOT met'}`,
    ],
  ]);
}

/** The curve over the stages, and 1B entries extrapolated linearly from the last stage's marginal bytes and time per entry. */
function reportGrowth(stages: Stage[]): void {
  const rows: Array<[string, string]> = [];
  stages.forEach((stage, i) => {
    const previous = stages[i - 1];
    const added = stage.size - (previous?.size ?? 0);
    const built = stage.times.entries + stage.times.tree + stage.times.facts + stage.times.vacuum;
    const marginal = stage.sizes.map((s, j) => {
      const before = previous?.sizes[j];
      return `${s.table.replace('ledger.', '')} ${fmt((s.total - (before?.total ?? 0)) / added)} (idx ${fmt((s.indexes - (before?.indexes ?? 0)) / added)})`;
    });
    rows.push([`${fmt(stage.size)}`, `${perEntry(built, added)};  marginal B/entry: ${marginal.join(', ')}`]);
  });
  const last = stages.at(-1)!;
  const previous = stages.at(-2);
  const added = last.size - (previous?.size ?? 0);
  const at1B = last.sizes.map((s, j) => {
    const before = previous?.sizes[j] ?? { total: 0, indexes: 0 };
    const slope = (s.total - before.total) / added;
    const indexSlope = (s.indexes - before.indexes) / added;
    return {
      table: s.table,
      total: s.total + slope * (BILLION - last.size),
      indexes: s.indexes + indexSlope * (BILLION - last.size),
    };
  });
  const built = last.times.entries + last.times.tree + last.times.facts + last.times.vacuum;
  for (const s of at1B) rows.push([`1B: ${s.table}`, `${gb(s.total)}, of which indexes ${gb(s.indexes)}`]);
  rows.push([
    '1B: all three',
    `${gb(at1B.reduce((n, s) => n + s.total, 0))}; building at the last stage's rate ${fmt(((built / added) * BILLION) / 3_600_000, 1)} h`,
  ]);
  report('growth curve (time per entry of each stage; marginal bytes per entry, table with its indexes)', rows);
}

runBench(main);
