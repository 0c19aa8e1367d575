import type { DataSource, EntityManager } from 'typeorm';
import type { KnownAt } from '../domain/clocks';
import { catalogueName, type Fact } from '../domain/fact';

export const FACTS_PROJECTION = 'facts';

export interface FactRow {
  readonly seq: number;
  readonly type: string;
  readonly subject: string;
  readonly eventTime: string;
  readonly recordedAt: string;
  readonly keys: string[];
  readonly data: unknown;
}

export interface LogEntryRow {
  readonly seq: number;
  readonly type: string;
  readonly subject: string;
  readonly eventTime: string;
  readonly recordedAt: string;
  readonly value: Buffer;
}

/**
 * The facts projection: one parsed row per log entry, found by the aggregates it concerns, and
 * its position (the next seq to apply) in `projection_positions`. Every method takes an optional
 * EntityManager so a rebuild can run them all inside one transaction.
 */
export class FactsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The next seq the projection will apply: it holds every entry below it. */
  async position(manager: EntityManager = this.dataSource.manager): Promise<number> {
    const rows: Array<{ next_seq: string }> = await manager.query('SELECT next_seq FROM ledger.projection_positions WHERE projection = $1', [FACTS_PROJECTION]);
    return rows[0] ? Number(rows[0].next_seq) : 0;
  }

  /** Entries from `fromSeq` on, in order, with their raw value. */
  async entriesFrom(fromSeq: number, limit: number, manager: EntityManager = this.dataSource.manager): Promise<LogEntryRow[]> {
    const rows: Array<{ seq: string; type: string; subject: string; event_time: Date; recorded_at_text: string; value: Buffer }> = await manager.query(
      `SELECT seq, type, subject, event_time, recorded_at_text, value FROM ledger.entries WHERE seq >= $1 ORDER BY seq LIMIT $2`,
      [fromSeq, limit],
    );
    return rows.map((r) => ({ seq: Number(r.seq), type: r.type, subject: r.subject, eventTime: r.event_time.toISOString(), recordedAt: r.recorded_at_text, value: r.value }));
  }

  /** How many entries the log holds (its next seq). */
  async logSize(manager: EntityManager = this.dataSource.manager): Promise<number> {
    const rows: Array<{ n: string }> = await manager.query('SELECT coalesce(max(seq) + 1, 0) AS n FROM ledger.entries');
    return Number(rows[0]!.n);
  }

  /**
   * Stores facts and advances the position, idempotently on replay. Without a manager it opens its
   * own transaction; with one it runs inside the caller's.
   */
  async store(facts: readonly FactRow[], nextSeq: number, manager?: EntityManager): Promise<void> {
    if (!manager) return this.dataSource.transaction((m) => this.store(facts, nextSeq, m));
    if (facts.length > 0) {
      await manager.query(
        `INSERT INTO ledger.facts (seq, type, subject, event_time, recorded_at, keys, data)
         SELECT f.seq, f.type, f.subject, f.event_time, f.recorded_at, ARRAY(SELECT jsonb_array_elements_text(f.keys)), f.data
           FROM jsonb_to_recordset($1::jsonb) AS f(seq bigint, type text, subject text, event_time timestamptz, recorded_at timestamptz, keys jsonb, data jsonb)
         ON CONFLICT (seq) DO NOTHING`,
        [JSON.stringify(facts.map((f) => ({ seq: f.seq, type: f.type, subject: f.subject, event_time: f.eventTime, recorded_at: f.recordedAt, keys: f.keys, data: f.data })))],
      );
    }
    await manager.query(
      `INSERT INTO ledger.projection_positions (projection, next_seq) VALUES ($1, $2)
       ON CONFLICT (projection) DO UPDATE SET next_seq = GREATEST(projection_positions.next_seq, EXCLUDED.next_seq)`,
      [FACTS_PROJECTION, nextSeq],
    );
  }

  /**
   * Empties the projection and its position inside `manager`'s transaction. TRUNCATE holds an
   * exclusive lock on the table until that transaction ends, so readers wait for the rebuilt
   * projection instead of seeing a partial one.
   */
  async clear(manager: EntityManager): Promise<void> {
    await manager.query('TRUNCATE ledger.facts');
    await manager.query('DELETE FROM ledger.projection_positions WHERE projection = $1', [FACTS_PROJECTION]);
  }

  /** Facts found under any of `keys`, up to and including `maxSeq`, in ledger order. */
  async byKeys(keys: readonly string[], maxSeq: number = Number.MAX_SAFE_INTEGER): Promise<Fact[]> {
    const rows: Array<{ seq: string; type: string; subject: string; event_time: Date; recorded_at: Date; data: Record<string, unknown> }> = await this.dataSource.query(
      `SELECT seq, type, subject, event_time, recorded_at, data FROM ledger.facts WHERE keys && $1::text[] AND seq <= $2 ORDER BY seq`,
      [keys, maxSeq],
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      name: catalogueName(r.type),
      subject: r.subject,
      time: r.event_time.toISOString(),
      recordedAt: r.recorded_at.toISOString(),
      data: r.data,
    }));
  }

  /** The entry at `seq`, as the projection knows it, or null. */
  async knownAtSeq(seq: number): Promise<KnownAt | null> {
    const rows: Array<{ seq: string; recorded_at: Date }> = await this.dataSource.query('SELECT seq, recorded_at FROM ledger.facts WHERE seq = $1', [seq]);
    return rows[0] ? { seq: Number(rows[0].seq), recordedAt: rows[0].recorded_at.toISOString() } : null;
  }

  /** The last entry recorded at or before `time` and below `position`, or null when there is none. */
  async knownAtTime(time: string, position: number): Promise<KnownAt | null> {
    const rows: Array<{ seq: string; recorded_at: Date }> = await this.dataSource.query(
      'SELECT seq, recorded_at FROM ledger.facts WHERE recorded_at <= $1 AND seq < $2 ORDER BY recorded_at DESC, seq DESC LIMIT 1',
      [time, position],
    );
    return rows[0] ? { seq: Number(rows[0].seq), recordedAt: rows[0].recorded_at.toISOString() } : null;
  }
}
