import { MerkleAccumulator } from '@aal/ledger-core';
import type { Client } from 'pg';
import { fmt } from './bench-support';

/**
 * A synthetic log written straight into PostgreSQL, for the benches that need millions of entries
 * (bench:proofs, bench:partitioning): entries with realistic widths, their stored tree, and the
 * facts index rows the projector would write for them. Not events: nothing decodes them.
 */

export const ENTRY_COLUMNS =
  'seq, event_id, source, type, subject, event_time, recorded_at, recorded_at_text, kafka_topic, kafka_partition, kafka_offset, headers, value, content_hash, leaf_hash, chain_hash';

/**
 * How event ids are made: `random` as `randomUUID()` makes them (written all over the
 * `UNIQUE (source, event_id)` index), or `time-ordered` as UUIDv7 makes them (each written at the
 * index's right edge).
 */
export type EventIds = 'random' | 'time-ordered';

/**
 * Entry `g` as a SELECT list: an event id of the kind `ids` says, a ~500-byte value, 32-byte
 * hashes, and three entries per output subject (generated, presented, acted on).
 */
export function syntheticEntry(ids: EventIds): string {
  const eventId = ids === 'random' ? `'evt-' || md5(g::text)` : `'evt-' || lpad(to_hex(g), 32, '0')`;
  return `g, ${eventId}, '/aal/usage-events/bench', 'aal.output.generated.v1', 'output/bench-' || (g / 3), now(), now(),
  '2026-01-01T00:00:00.000Z', 'aal.usage-events.events.v1', (g % 3)::int, g, '{"ce_specversion":"1.0"}'::jsonb,
  convert_to(repeat('x', 500), 'UTF8'), sha256(int8send(g)), sha256(int8send(g + 1)), sha256(int8send(g + 2))`;
}

/** Milliseconds each part of one growth step took. */
export interface GrowthTimes {
  entries: number;
  /** Index blocks the entries' INSERTs found outside shared buffers, by index name. */
  entryIndexReads: Record<string, number>;
  tree: number;
  facts: number;
  vacuum: number;
}

const STATEMENT_ROWS = 1_000_000;
const TREE_PAGE = 100_000;
const NODE_CHUNK = 50_000;

/**
 * Grows the log in `sql`'s database from `from` to `to` entries: a million entries a statement
 * (bounded memory and WAL per step), the tree's nodes from the stored leaf hashes, one facts row
 * per entry keyed by its subject (as `factKeys` keys an output's entries), then VACUUM (ANALYZE)
 * of the three tables as autovacuum would after such inserts. `accumulator` carries the tree
 * between calls. The projections' positions are set to `to`, so no projector reads the entries.
 */
export async function growSyntheticLog(
  sql: Client,
  accumulator: MerkleAccumulator,
  from: number,
  to: number,
  ids: EventIds,
): Promise<GrowthTimes> {
  const progress = (what: string, done: number, t0: number) =>
    process.stdout.write(`  ${what}: ${fmt(done)} (${fmt((Date.now() - t0) / 1000, 1)} s)\n`);
  const timed = async (work: () => Promise<void>) => {
    const t = Date.now();
    await work();
    return Date.now() - t;
  };
  const readsBefore = await entryIndexReads(sql);
  const entries = await timed(async () => {
    const t0 = Date.now();
    for (let at = from; at < to; at += STATEMENT_ROWS) {
      const end = Math.min(to, at + STATEMENT_ROWS);
      await sql.query(
        `INSERT INTO ledger.entries (${ENTRY_COLUMNS}) SELECT ${syntheticEntry(ids)} FROM generate_series($1::bigint, $2::bigint - 1) AS g`,
        [at, end],
      );
      progress('entries', end, t0);
    }
  });
  const readsAfter = await entryIndexReads(sql);
  const entryIndexReadsDelta = Object.fromEntries(Object.entries(readsAfter).map(([name, n]) => [name, n - (readsBefore[name] ?? 0)]));
  const tree = await timed(async () => {
    const t0 = Date.now();
    for (let at = from; at < to; at += TREE_PAGE) {
      const { rows } = await sql.query('SELECT leaf_hash FROM ledger.entries WHERE seq >= $1 AND seq < $2 ORDER BY seq', [
        at,
        Math.min(to, at + TREE_PAGE),
      ]);
      const nodes = rows.flatMap((r: { leaf_hash: Buffer }) => accumulator.append(r.leaf_hash)).filter((n) => n.id.level > 0);
      for (let i = 0; i < nodes.length; i += NODE_CHUNK) {
        const chunk = nodes.slice(i, i + NODE_CHUNK);
        await sql.query(
          'INSERT INTO ledger.tree_nodes (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])',
          [chunk.map((n) => n.id.level), chunk.map((n) => n.id.index), chunk.map((n) => n.hash)],
        );
      }
      if ((at - from) % STATEMENT_ROWS === STATEMENT_ROWS - TREE_PAGE || at + TREE_PAGE >= to)
        progress('tree', Math.min(to, at + TREE_PAGE), t0);
    }
  });
  const facts = await timed(async () => {
    const t0 = Date.now();
    for (let at = from; at < to; at += STATEMENT_ROWS) {
      const end = Math.min(to, at + STATEMENT_ROWS);
      await sql.query(
        'INSERT INTO ledger.facts (seq, recorded_at, keys) SELECT seq, recorded_at, ARRAY[subject] FROM ledger.entries WHERE seq >= $1 AND seq < $2',
        [at, end],
      );
      progress('facts', end, t0);
    }
  });
  await sql.query(
    `INSERT INTO ledger.projection_positions (projection, next_seq) VALUES ('facts', $1), ('oversight', $1)
       ON CONFLICT (projection) DO UPDATE SET next_seq = excluded.next_seq`,
    [to],
  );
  const vacuum = await timed(async () => {
    await sql.query('VACUUM (ANALYZE) ledger.entries, ledger.tree_nodes, ledger.facts');
  });
  return { entries, entryIndexReads: entryIndexReadsDelta, tree, facts, vacuum };
}

/** Cumulative index blocks read from outside shared buffers (the OS cache or the disk), per index of ledger.entries. */
async function entryIndexReads(sql: Client): Promise<Record<string, number>> {
  // This session's own counters reach the shared statistics only when flushed.
  await sql.query('SELECT pg_stat_force_next_flush()');
  await sql.query('SELECT 1');
  const { rows } = await sql.query(
    `SELECT indexrelname AS name, idx_blks_read AS n FROM pg_statio_user_indexes WHERE schemaname = 'ledger' AND relname = 'entries'`,
  );
  return Object.fromEntries(rows.map((r: { name: string; n: string }) => [r.name, Number(r.n)]));
}
