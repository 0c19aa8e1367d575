import 'reflect-metadata';
import { appDataSourceOptions, provisionSchema, type DatabaseSettings } from '@aal/database';
import { loadavg } from 'node:os';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  factsProjection,
  rebuildProjection,
  type RebuildableProjection,
} from '../apps/ledger/src/accountability/application/projection-rebuild';
import { LEDGER_SCHEMA } from '../apps/ledger/src/database/ledger.schema';
import { oversightProjection } from '../apps/ledger/src/oversight/application/oversight-rebuild';
import { benchDatabase, fmt, report, runBench } from './bench-support';
import { loadDeploymentLog } from './deployment-log';

/**
 * Projection rebuild at scale (issue #16 target 5: ≥ 50,000 entries/s at 10M entries): the
 * one-deployment log of bench/deployment-log.ts with BENCH_ENTRIES entries (default 1,000,000; an
 * output generated and acted on is two), its projections built live, then `rebuildProjection` (what
 * `ledger rebuild` runs, as the service's role) for the facts index and the oversight projection,
 * each through shadow tables, page by page, and swapped in. Baseline in the same run: a plain
 * INSERT … SELECT copying the same number of rows (seq, recorded time, subject as the key) from the
 * entries into a table shaped like the facts index, with its GIN index built after — the database's
 * own floor for writing that many rows. Prints entries/s, the ratio to the baseline, this process's
 * CPU time per entry (what a loaded machine disturbs least), its peak RSS, and the projection's bytes per entry.
 *   npm run bench:rebuild      (BENCH_ENTRIES=3000000; BENCH_KEEP_DB=1 keeps the database, BENCH_DB=<its url> reuses it)
 */
const ENTRIES = Number(process.env['BENCH_ENTRIES'] ?? 1_000_000);

/** A database of the log: a fresh one, or the one BENCH_DB names (migrated to this build, loaded already by this bench). */
async function database(): Promise<{ settings: DatabaseSettings; drop: () => Promise<void>; fresh: boolean }> {
  const reuse = process.env['BENCH_DB'];
  if (!reuse) return { ...(await benchDatabase([LEDGER_SCHEMA])), fresh: true };
  const settings: DatabaseSettings = { adminUrl: reuse, appPassword: 'aal-test-only' };
  await provisionSchema(reuse, LEDGER_SCHEMA, settings.appPassword);
  return { settings, drop: async () => {}, fresh: false };
}

async function main(): Promise<void> {
  const db = await database();
  const admin = new Client({ connectionString: db.settings.adminUrl });
  await admin.connect();
  const dataSource = new DataSource(appDataSourceOptions(db.settings, LEDGER_SCHEMA, [], 2));
  await dataSource.initialize();
  try {
    const log = db.fresh
      ? await load(admin, dataSource)
      : { total: Number((await admin.query('SELECT max(seq) + 1 AS n FROM ledger.entries')).rows[0].n) };
    if (!db.fresh)
      process.stdout.write(
        `reusing ${fmt(log.total)} entries, load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}\n`,
      );
    await admin.query('CHECKPOINT');

    let started = Date.now();
    await admin.query('CREATE TABLE ledger.bench_copy (LIKE ledger.facts INCLUDING DEFAULTS)');
    await admin.query('INSERT INTO ledger.bench_copy (seq, recorded_at, keys) SELECT seq, recorded_at, ARRAY[subject] FROM ledger.entries');
    await admin.query('ALTER TABLE ledger.bench_copy ADD PRIMARY KEY (seq)');
    await admin.query('CREATE INDEX ON ledger.bench_copy USING gin (keys)');
    const baselineMillis = Date.now() - started;
    await admin.query('DROP TABLE ledger.bench_copy');
    const baseline = log.total / (baselineMillis / 1000);

    const rows: Array<[string, string]> = [
      ['baseline: INSERT … SELECT + indexes', `${fmt(baseline)} entries/s (${fmt(baselineMillis / 1000, 1)} s)`],
    ];
    const rates: Record<string, number> = {};
    let peakRss = process.memoryUsage().rss;
    const rssAtStart = peakRss;
    for (const projection of [factsProjection(dataSource), oversightProjection(dataSource)]) {
      await admin.query('CHECKPOINT');
      started = Date.now();
      const cpuAtStart = process.cpuUsage();
      let shown = 0;
      const summary = await rebuildProjection(dataSource, projection, (p) => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        if (p.done >= shown + log.total / 10 || p.phase !== 'pages') {
          shown = p.done;
          process.stdout.write(
            `  ${p.projection}: ${p.phase} ${fmt(p.done)}/${fmt(p.total)} (${fmt((Date.now() - started) / 1000, 1)} s)\n`,
          );
        }
      });
      const cpu = process.cpuUsage(cpuAtStart);
      const seconds = summary.millis / 1000;
      const rate = summary.entries / seconds;
      rates[projection.name] = rate;
      rows.push([
        `rebuild ${projection.name}`,
        `${fmt(rate)} entries/s (${fmt(seconds, 1)} s, ${fmt(summary.pages)} pages, ${fmt(rate / baseline, 2)}× baseline), ` +
          `${fmt(await bytesPerEntry(admin, projection, log.total), 1)} bytes/entry on disk, ` +
          `this process's CPU ${fmt((cpu.user + cpu.system) / summary.entries, 1)} µs/entry`,
      ]);
    }
    const counts = (
      await admin.query('SELECT (SELECT count(*) FROM ledger.facts)::int AS facts, (SELECT count(*) FROM ledger.entries)::int AS entries')
    ).rows[0] as { facts: number; entries: number };
    if (counts.facts !== counts.entries)
      throw new Error(`the rebuilt facts index holds ${counts.facts} rows for ${counts.entries} entries`);
    rows.push(
      ['peak RSS', `${fmt(peakRss / 2 ** 20)} MB (${fmt(rssAtStart / 2 ** 20)} MB before the rebuilds)`],
      ['entries', `${fmt((await tableBytes(admin, ['entries'])) / log.total, 1)} bytes/entry on disk`],
      [
        'load average',
        loadavg()
          .map((l) => l.toFixed(2))
          .join(' '),
      ],
      ['target', `facts ≥ 50,000 entries/s: ${rates['facts']! >= 50_000 ? 'met' : 'NOT met'} at ${fmt(log.total)} entries`],
    );
    report(`projection rebuild over ${fmt(log.total)} entries`, rows);
  } finally {
    await dataSource.destroy();
    await admin.end();
    if (process.env['BENCH_KEEP_DB'] !== '1') await db.drop();
    else process.stdout.write(`kept database ${db.settings.adminUrl}\n`);
  }
}

async function load(admin: Client, dataSource: DataSource): Promise<{ total: number }> {
  process.stdout.write(`loading a log of ${fmt(ENTRIES)} entries (one deployment's outputs, generated and acted on) ...\n`);
  const log = await loadDeploymentLog(admin, dataSource, { outputs: Math.ceil(ENTRIES / 2), indexOutputs: true });
  report(
    `loaded ${fmt(log.total)} entries, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
    Object.entries(log.millis).map(([k, v]): [string, string] => [k, `${fmt(v / 1000, 1)} s (${fmt(log.total / (v / 1000))} entries/s)`]),
  );
  return log;
}

async function tableBytes(admin: Client, tables: readonly string[]): Promise<number> {
  const { rows } = await admin.query(
    `SELECT sum(pg_total_relation_size(('ledger.' || t)::regclass))::bigint AS b FROM unnest($1::text[]) AS t`,
    [tables],
  );
  return Number(rows[0].b);
}

const bytesPerEntry = async (admin: Client, projection: RebuildableProjection, entries: number) =>
  (await tableBytes(admin, projection.tables)) / entries;

runBench(main);
