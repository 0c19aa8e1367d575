import type { DataSource, EntityManager } from 'typeorm';
import type { Fact } from '../domain/fact';

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

/** The facts projection: one parsed row per log entry, found by the aggregates it concerns. */
export class FactsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async position(manager: EntityManager = this.dataSource.manager): Promise<number> {
    const rows: Array<{ next_seq: string }> = await manager.query('SELECT next_seq FROM ledger.projection_positions WHERE projection = $1', [FACTS_PROJECTION]);
    return rows[0] ? Number(rows[0].next_seq) : 0;
  }

  /** Entries from `fromSeq` on, in order, with their value parsed. */
  async entriesFrom(fromSeq: number, limit: number): Promise<Array<{ seq: number; type: string; subject: string; eventTime: string; recordedAt: string; value: Buffer }>> {
    const rows: Array<{ seq: string; type: string; subject: string; event_time: Date; recorded_at_text: string; value: Buffer }> = await this.dataSource.query(
      `SELECT seq, type, subject, event_time, recorded_at_text, value FROM ledger.entries WHERE seq >= $1 ORDER BY seq LIMIT $2`,
      [fromSeq, limit],
    );
    return rows.map((r) => ({ seq: Number(r.seq), type: r.type, subject: r.subject, eventTime: r.event_time.toISOString(), recordedAt: r.recorded_at_text, value: r.value }));
  }

  /** Stores facts and advances the position in one transaction (idempotent on replay). */
  async store(facts: readonly FactRow[], nextSeq: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
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
    });
  }

  async byKeys(keys: readonly string[]): Promise<Fact[]> {
    const rows: Array<{ seq: string; type: string; subject: string; event_time: Date; recorded_at: Date; data: Record<string, unknown> }> = await this.dataSource.query(
      `SELECT seq, type, subject, event_time, recorded_at, data FROM ledger.facts WHERE keys && $1::text[] ORDER BY seq`,
      [keys],
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      name: r.type.replace(/^aal\./, '').replace(/\.v\d+$/, ''),
      subject: r.subject,
      time: r.event_time.toISOString(),
      recordedAt: r.recorded_at.toISOString(),
      data: r.data,
    }));
  }
}
