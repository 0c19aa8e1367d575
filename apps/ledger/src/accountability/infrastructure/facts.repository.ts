import type { Fact, KnownAt, RawEntry } from '@aal/accountability';
import type { DataSource, EntityManager } from 'typeorm';
import { DecodedEntries } from './decoded-entries';
import { advancePosition, liveTarget, movePosition, positionOf, tableIn, type ProjectionTarget } from './projection-target';

export const FACTS_PROJECTION = 'facts';
const LIVE = liveTarget(FACTS_PROJECTION);

/** One row of the facts index: where an entry is found. Holds no facts. */
export interface FactRow {
  readonly seq: number;
  readonly recordedAt: string;
  readonly keys: string[];
}

/**
 * The index rows under any of `$1` (text[]), looked up by key alone and only then cut at a seq by
 * the caller: written as one condition (`keys && $1 AND seq <= $2`), PostgreSQL ANDs the key
 * lookup with a bitmap scan of the primary key for `seq <= $2`, which visits every entry of the log
 * (or walks the primary key in order for `ORDER BY seq`), so an answer's cost grew with the log;
 * MATERIALIZED keeps the key lookup apart, and the cost follows the keys' own rows (docs/scaling.md).
 */
const FOUND_BY_KEYS = 'WITH found AS MATERIALIZED (SELECT seq, keys FROM ledger.facts WHERE keys && $1::text[])';

/** A PostgreSQL array literal of `values`, each quoted (so any text is kept as it is). */
export function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}

/** An entry as hashed into its leaf, for decoding. */
export type LogEntryRow = RawEntry;

/** Entries the index points at that do not decode as valid catalogue events: a tampering signal. */
export class UndecodableEntryError extends Error {
  readonly code = 'LEDGER.ENTRY_UNDECODABLE';
  constructor(
    readonly seq: number,
    readonly reason: string,
  ) {
    super(`ledger entry ${seq} does not decode as the valid event the ledger appended: ${reason}`);
    this.name = 'UndecodableEntryError';
  }
}

interface EntryContentRow {
  seq: string;
  recorded_at_text: string;
  headers: Record<string, string>;
  value: Buffer;
}

const toRaw = (r: EntryContentRow): RawEntry => ({
  seq: Number(r.seq),
  recordedAt: r.recorded_at_text,
  headers: r.headers,
  value: r.value,
});

/** One per process: about 4 kB per entry kept (content and fact), so some 40 MB at most. */
const decodedEntries = new DecodedEntries(10_000);

/** Decodes entries through the contracts; an entry that does not validate is refused loudly, never skipped. */
export function decodeEntries(entries: readonly RawEntry[]): Fact[] {
  return entries.map((e) => {
    const decoded = decodedEntries.decode(e);
    if (!decoded.ok) throw new UndecodableEntryError(e.seq, decoded.issues.map((i) => `${i.pointer} ${i.message}`).join('; '));
    return decoded.fact;
  });
}

/**
 * The facts index: which entries concern which aggregates (`keys`), by seq, plus its position
 * (the next seq to apply) in `projection_positions`. It is only used to FIND entries; every fact
 * an answer uses is decoded from the entry's hashed content (headers, value, recorded time) in
 * `ledger.entries`. Reads take an optional EntityManager to share a caller's snapshot; only `store`
 * writes, to the live table or to a rebuild's shadow (ProjectionTarget).
 */
export class FactsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The next seq the live projection will apply: it holds every entry below it. */
  position(manager: EntityManager = this.dataSource.manager): Promise<number> {
    return positionOf(manager, LIVE);
  }

  /** Entries from `fromSeq` on (and below `beforeSeq`), in order, with their hashed content: a keyset page of the log. */
  async entriesFrom(
    fromSeq: number,
    limit: number,
    manager: EntityManager = this.dataSource.manager,
    beforeSeq: number = Number.MAX_SAFE_INTEGER,
  ): Promise<LogEntryRow[]> {
    const rows: EntryContentRow[] = await manager.query(
      `SELECT seq, recorded_at_text, headers, value FROM ledger.entries WHERE seq >= $1 AND seq < $3 ORDER BY seq LIMIT $2`,
      [fromSeq, limit, beforeSeq],
    );
    return rows.map(toRaw);
  }

  /** The entries with these seqs (hashed content only), in log order. */
  async entriesAt(seqs: readonly number[], manager: EntityManager = this.dataSource.manager): Promise<LogEntryRow[]> {
    if (seqs.length === 0) return [];
    const rows: EntryContentRow[] = await manager.query(
      `SELECT seq, recorded_at_text, headers, value FROM ledger.entries WHERE seq = ANY($1::bigint[]) ORDER BY seq`,
      [seqs],
    );
    return rows.map(toRaw);
  }

  /** How many entries the log holds (its next seq). */
  async logSize(manager: EntityManager = this.dataSource.manager): Promise<number> {
    const rows: Array<{ n: string }> = await manager.query('SELECT coalesce(max(seq) + 1, 0) AS n FROM ledger.entries');
    return Number(rows[0]!.n);
  }

  /**
   * Stores index rows into `target`'s table and advances its position, idempotently on replay,
   * inside the caller's transaction (a live page). A rebuild's page passes `fromSeq`: the position
   * must be there (movePosition).
   */
  async store(
    rows: readonly FactRow[],
    nextSeq: number,
    manager: EntityManager,
    target: ProjectionTarget = LIVE,
    fromSeq?: number,
  ): Promise<void> {
    if (rows.length > 0) {
      // Columns as arrays, the keys of each row as an array literal: one statement per page, parsed
      // by PostgreSQL's array input, much cheaper than a JSON document unpacked row by row. No
      // conflict target: a rebuild's shadow gets its primary key only when its pages are written.
      await manager.query(
        `INSERT INTO ${tableIn(target, 'facts')} (seq, recorded_at, keys)
         SELECT s, r::timestamptz, k::text[] FROM unnest($1::bigint[], $2::text[], $3::text[]) AS u(s, r, k)
         ON CONFLICT DO NOTHING`,
        [rows.map((f) => f.seq), rows.map((f) => f.recordedAt), rows.map((f) => textArray(f.keys))],
      );
    }
    if (fromSeq === undefined) await advancePosition(manager, target, nextSeq);
    else await movePosition(manager, target, fromSeq, nextSeq);
  }

  /** Seqs the index finds under any of `keys`, up to and including `maxSeq`, ascending. */
  async seqsByKeys(
    keys: readonly string[],
    maxSeq: number = Number.MAX_SAFE_INTEGER,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<number[]> {
    if (keys.length === 0) return [];
    const rows: Array<{ seq: string }> = await manager.query(`${FOUND_BY_KEYS} SELECT seq FROM found WHERE seq <= $2 ORDER BY seq`, [
      keys,
      maxSeq,
    ]);
    return rows.map((r) => Number(r.seq));
  }

  /**
   * Facts of the entries the index finds under any of `keys`, up to `maxSeq`, decoded from the
   * entries themselves, in ledger order: one query for the index rows and their entries.
   */
  async byKeys(
    keys: readonly string[],
    maxSeq: number = Number.MAX_SAFE_INTEGER,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Fact[]> {
    return decodeEntries((await this.rowsByKeys(keys, maxSeq, manager)).map(toRaw));
  }

  /**
   * `byKeys` with the keys the index files each fact under (among `keys`): a caller answering for
   * many outputs at once groups them exactly as one lookup per output would, index rows included.
   */
  async byKeysFiled(
    keys: readonly string[],
    maxSeq: number = Number.MAX_SAFE_INTEGER,
  ): Promise<{ readonly facts: Fact[]; readonly filedUnder: ReadonlyMap<number, readonly string[]> }> {
    const rows = await this.rowsByKeys(keys, maxSeq, this.dataSource.manager);
    const asked = new Set(keys);
    return {
      facts: decodeEntries(rows.map(toRaw)),
      filedUnder: new Map(rows.map((r) => [Number(r.seq), r.keys.filter((k) => asked.has(k))])),
    };
  }

  /** The index rows under any of `keys` up to `maxSeq` with their entries' content, in ledger order. */
  private async rowsByKeys(
    keys: readonly string[],
    maxSeq: number,
    manager: EntityManager,
  ): Promise<Array<EntryContentRow & { keys: string[] }>> {
    if (keys.length === 0) return [];
    return manager.query(
      `${FOUND_BY_KEYS}
       SELECT e.seq, e.recorded_at_text, e.headers, e.value, found.keys FROM found JOIN ledger.entries e ON e.seq = found.seq
        WHERE found.seq <= $2 ORDER BY e.seq`,
      [keys, maxSeq],
    );
  }

  /** Entry `seq` as the log records it (its hashed recorded time), when the projection has applied it; else null. */
  async knownAtSeq(seq: number, manager: EntityManager = this.dataSource.manager): Promise<KnownAt | null> {
    const rows: Array<{ seq: string; recorded_at_text: string }> = await manager.query(
      'SELECT seq, recorded_at_text FROM ledger.entries WHERE seq = $1',
      [seq],
    );
    return rows[0] ? { seq: Number(rows[0].seq), recordedAt: rows[0].recorded_at_text } : null;
  }

  /**
   * The last entry recorded at or before `time` and below `position`, or null. The index finds the
   * seq; its recorded time is read from the entry itself.
   */
  async knownAtTime(time: string, position: number, manager: EntityManager = this.dataSource.manager): Promise<KnownAt | null> {
    const rows: Array<{ seq: string }> = await manager.query(
      'SELECT seq FROM ledger.facts WHERE recorded_at <= $1 AND seq < $2 ORDER BY recorded_at DESC, seq DESC LIMIT 1',
      [time, position],
    );
    return rows[0] ? this.knownAtSeq(Number(rows[0].seq), manager) : null;
  }
}
