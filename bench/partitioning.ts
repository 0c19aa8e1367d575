import 'reflect-metadata';
import { Client } from 'pg';
import { LEDGER_SCHEMA } from '../apps/ledger/src/database/ledger.schema';
import { benchDatabase, fmt, percentile, report, runBench } from './bench-support';
import { ENTRY_COLUMNS as COLUMNS, syntheticEntry } from './synthetic-log';

/**
 * Issue #16, "Scale past one machine": what declarative partitioning would do for the log's
 * largest table, simulated side by side in one database and one run (docs/scaling.md, "Partitioning").
 *
 * - today:       `ledger.entries` as migrated: primary key `seq`, `UNIQUE (source, event_id)` for de-duplication.
 * - partitioned: the same columns `PARTITION BY RANGE (seq)` (BENCH_PARTITION_ROWS a partition),
 *                and de-duplication moved to `event_ids (source, event_id) → seq`, `PARTITION BY HASH`
 *                (8): a partitioned table's unique constraints must include its partition key, so
 *                `UNIQUE (source, event_id)` cannot stay on a table partitioned by seq.
 *
 * Both are loaded with the same BENCH_ENTRIES synthetic rows, then timed on interleaved work, so
 * the machine's noise falls on both alike: appending BENCH_APPEND rows at the head in batches of
 * 500 (one statement per batch as the intake writes; the partitioned design writes event_ids in
 * the same transaction), point reads by seq, de-duplication lookups, VACUUM of what a write
 * touches, and sizes.
 *   npm run bench:partitioning     (BENCH_ENTRIES=2000000 BENCH_PARTITION_ROWS=1000000 BENCH_APPEND=100000)
 */
const SIZE = Number(process.env['BENCH_ENTRIES'] ?? 2_000_000);
const PARTITION_ROWS = Number(process.env['BENCH_PARTITION_ROWS'] ?? 1_000_000);
const APPEND = Number(process.env['BENCH_APPEND'] ?? 100_000);
const LOOKUPS = Number(process.env['BENCH_LOOKUPS'] ?? 2000);
const BATCH = 500;
const HASH_PARTITIONS = 8;
const ROW = syntheticEntry('random');

async function main(): Promise<void> {
  const db = await benchDatabase([LEDGER_SCHEMA]);
  const sql = new Client({ connectionString: db.settings.adminUrl });
  await sql.connect();
  try {
    const total = SIZE + APPEND;
    await sql.query(`CREATE TABLE ledger.entries_by_range (LIKE ledger.entries INCLUDING DEFAULTS) PARTITION BY RANGE (seq)`);
    await sql.query(`ALTER TABLE ledger.entries_by_range ADD PRIMARY KEY (seq)`);
    for (let from = 0; from < total; from += PARTITION_ROWS) {
      await sql.query(
        `CREATE TABLE ledger.entries_p${from / PARTITION_ROWS} PARTITION OF ledger.entries_by_range FOR VALUES FROM (${from}) TO (${from + PARTITION_ROWS})`,
      );
    }
    await sql.query(
      `CREATE TABLE ledger.event_ids (source text NOT NULL, event_id text NOT NULL, seq bigint NOT NULL, PRIMARY KEY (source, event_id)) PARTITION BY HASH (source, event_id)`,
    );
    for (let i = 0; i < HASH_PARTITIONS; i++) {
      await sql.query(
        `CREATE TABLE ledger.event_ids_h${i} PARTITION OF ledger.event_ids FOR VALUES WITH (MODULUS ${HASH_PARTITIONS}, REMAINDER ${i})`,
      );
    }

    const started = Date.now();
    process.stdout.write(`loading ${fmt(SIZE)} entries into each design ...\n`);
    await sql.query('ALTER TABLE ledger.entries DISABLE TRIGGER USER');
    for (let from = 0; from < SIZE; from += 1_000_000) {
      const to = Math.min(SIZE, from + 1_000_000);
      const load = async (target: string) => {
        const t = Date.now();
        await sql.query(`INSERT INTO ${target} (${COLUMNS}) SELECT ${ROW} FROM generate_series($1::bigint, $2::bigint - 1) AS g`, [
          from,
          to,
        ]);
        return Date.now() - t;
      };
      const today = await load('ledger.entries');
      const partitioned = await load('ledger.entries_by_range');
      await sql.query(
        `INSERT INTO ledger.event_ids (source, event_id, seq) SELECT source, event_id, seq FROM ledger.entries_by_range WHERE seq >= $1 AND seq < $2`,
        [from, to],
      );
      process.stdout.write(`  ${fmt(to)} (${fmt(today / 1000, 1)} s / ${fmt(partitioned / 1000, 1)} s)\n`);
    }
    await sql.query('ANALYZE ledger.entries; ANALYZE ledger.entries_by_range; ANALYZE ledger.event_ids');
    process.stdout.write(`loaded in ${fmt((Date.now() - started) / 1000, 1)} s\n`);

    // Appends at the head, interleaved batch by batch.
    const appendMs = { today: 0, partitioned: 0 };
    for (let from = SIZE; from < total; from += BATCH) {
      const to = Math.min(total, from + BATCH);
      let t = process.hrtime.bigint();
      await sql.query(`INSERT INTO ledger.entries (${COLUMNS}) SELECT ${ROW} FROM generate_series($1::bigint, $2::bigint - 1) AS g`, [
        from,
        to,
      ]);
      appendMs.today += Number(process.hrtime.bigint() - t) / 1e6;
      t = process.hrtime.bigint();
      await sql.query('BEGIN');
      await sql.query(
        `WITH rows AS (INSERT INTO ledger.entries_by_range (${COLUMNS}) SELECT ${ROW} FROM generate_series($1::bigint, $2::bigint - 1) AS g RETURNING source, event_id, seq)
         INSERT INTO ledger.event_ids (source, event_id, seq) SELECT source, event_id, seq FROM rows`,
        [from, to],
      );
      await sql.query('COMMIT');
      appendMs.partitioned += Number(process.hrtime.bigint() - t) / 1e6;
    }
    await sql.query('ALTER TABLE ledger.entries ENABLE TRIGGER USER');

    // Point reads and de-duplication lookups, interleaved.
    const timed = async (query: string, params: unknown[]) => {
      const t = process.hrtime.bigint();
      await sql.query(query, params);
      return Number(process.hrtime.bigint() - t) / 1e6;
    };
    const reads = { today: [] as number[], partitioned: [] as number[] };
    const dedup = { today: [] as number[], partitioned: [] as number[] };
    for (let i = 0; i < LOOKUPS; i++) {
      const seq = Math.floor(Math.random() * total);
      const id = (await sql.query(`SELECT 'evt-' || md5($1::bigint::text) AS id`, [seq])).rows[0].id as string;
      reads.today.push(await timed('SELECT value FROM ledger.entries WHERE seq = $1', [seq]));
      reads.partitioned.push(await timed('SELECT value FROM ledger.entries_by_range WHERE seq = $1', [seq]));
      dedup.today.push(await timed('SELECT seq FROM ledger.entries WHERE source = $1 AND event_id = $2', ['/aal/usage-events/bench', id]));
      dedup.partitioned.push(
        await timed('SELECT seq FROM ledger.event_ids WHERE source = $1 AND event_id = $2', ['/aal/usage-events/bench', id]),
      );
    }
    for (const s of [reads.today, reads.partitioned, dedup.today, dedup.partitioned]) s.sort((a, b) => a - b);

    // VACUUM of what the writes touched: the whole table today, the head partition and event_ids when partitioned.
    const head = `ledger.entries_p${Math.floor((total - 1) / PARTITION_ROWS)}`;
    const vacuum = async (tables: string[]) => {
      const t = Date.now();
      for (const table of tables) await sql.query(`VACUUM (FREEZE, ANALYZE) ${table}`);
      return Date.now() - t;
    };
    const vacuumToday = await vacuum(['ledger.entries']);
    const vacuumPartitioned = await vacuum([head, 'ledger.event_ids']);

    const bytes = async (query: string) => Number((await sql.query(query)).rows[0].b);
    const todayBytes = await bytes(`SELECT pg_total_relation_size('ledger.entries') AS b`);
    const partitionedBytes = await bytes(
      `SELECT sum(pg_total_relation_size(c.oid)) AS b FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent IN ('ledger.entries_by_range'::regclass, 'ledger.event_ids'::regclass)`,
    );
    const todayIndex = await bytes(
      `SELECT sum(pg_relation_size(indexrelid)) AS b FROM pg_index WHERE indrelid = 'ledger.entries'::regclass`,
    );
    const largestPartitionIndex = await bytes(
      `SELECT max(s) AS b FROM (SELECT sum(pg_relation_size(x.indexrelid)) AS s FROM pg_inherits i JOIN pg_index x ON x.indrelid = i.inhrelid
         WHERE i.inhparent = 'ledger.entries_by_range'::regclass GROUP BY i.inhrelid) AS per_partition`,
    );
    const mb = (n: number) => `${fmt(n / 2 ** 20, 1)} MB`;
    const rate = (ms: number) => fmt(APPEND / (ms / 1000));
    const lookup = (label: string, s: { today: number[]; partitioned: number[] }) =>
      [
        label,
        `today p50 ${fmt(percentile(s.today, 50), 3)} / p99 ${fmt(percentile(s.today, 99), 3)} ms;  partitioned p50 ${fmt(percentile(s.partitioned, 50), 3)} / p99 ${fmt(percentile(s.partitioned, 99), 3)} ms  (p99 ×${fmt(percentile(s.partitioned, 99) / percentile(s.today, 99), 2)})`,
      ] as [string, string];
    report(
      `partitioning ledger.entries: ${fmt(total)} entries, ${Math.ceil(total / PARTITION_ROWS)} range partitions of ${fmt(PARTITION_ROWS)}, event_ids in ${HASH_PARTITIONS} hash partitions`,
      [
        [
          'append at the head',
          `today ${rate(appendMs.today)} entries/s;  partitioned (+ event_ids) ${rate(appendMs.partitioned)} entries/s  (×${fmt(appendMs.today / appendMs.partitioned, 2)} today's rate)`,
        ],
        lookup('read by seq', reads),
        lookup('de-duplication lookup', dedup),
        [
          'VACUUM of what writes touch',
          `today (whole table) ${fmt(vacuumToday / 1000, 2)} s;  partitioned (head partition + event_ids) ${fmt(vacuumPartitioned / 1000, 2)} s`,
        ],
        [
          'bytes',
          `today ${mb(todayBytes)} (${fmt(todayBytes / total)} B/entry);  partitioned ${mb(partitionedBytes)} (${fmt(partitionedBytes / total)} B/entry)`,
        ],
        [
          'largest index to maintain',
          `today ${mb(todayIndex)} (both indexes);  partitioned ${mb(largestPartitionIndex)} (one partition's primary key)`,
        ],
        [
          'at 1,000,000,000 entries',
          `${fmt(((partitionedBytes / total) * 1e9) / 2 ** 30)} GB in ${fmt(1e9 / PARTITION_ROWS)} partitions of ${mb((partitionedBytes / total) * PARTITION_ROWS)}`,
        ],
      ],
    );
  } finally {
    await sql.end();
    if (process.env['BENCH_KEEP_DB']) process.stdout.write(`kept the database: ${db.adminUrl}\n`);
    else await db.drop();
  }
}

runBench(main);
