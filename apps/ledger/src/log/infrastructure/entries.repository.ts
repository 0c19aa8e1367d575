import type { EntityManager } from 'typeorm';

/** A log entry exactly as recorded, with its hashes. */
export interface RecordedEntry {
  readonly seq: number;
  readonly recordedAt: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly headers: Record<string, string>;
  readonly value: Buffer;
  readonly leafHash: Buffer;
  readonly chainHash: Buffer;
}

interface EntryRow {
  seq: string;
  recorded_at_text: string;
  kafka_topic: string;
  kafka_partition: number;
  kafka_offset: string;
  headers: Record<string, string>;
  value: Buffer;
  leaf_hash: Buffer;
  chain_hash: Buffer;
}

const COLUMNS = 'seq, recorded_at_text, kafka_topic, kafka_partition, kafka_offset, headers, value, leaf_hash, chain_hash';

/** Reads log entries as recorded. Entries never change once committed, so no transaction is needed. */
export class EntriesRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Up to `limit` entries from `from` on, in log order. */
  async range(from: number, limit: number): Promise<RecordedEntry[]> {
    const rows: EntryRow[] = await this.manager.query(`SELECT ${COLUMNS} FROM ledger.entries WHERE seq >= $1 ORDER BY seq LIMIT $2`, [
      from,
      limit,
    ]);
    return rows.map(toEntry);
  }

  /** The entries with these seqs that exist, in log order. */
  async bySeqs(seqs: readonly number[]): Promise<RecordedEntry[]> {
    if (seqs.length === 0) return [];
    const rows: EntryRow[] = await this.manager.query(`SELECT ${COLUMNS} FROM ledger.entries WHERE seq = ANY($1::bigint[]) ORDER BY seq`, [
      seqs,
    ]);
    return rows.map(toEntry);
  }
}

function toEntry(r: EntryRow): RecordedEntry {
  return {
    seq: Number(r.seq),
    recordedAt: r.recorded_at_text,
    topic: r.kafka_topic,
    partition: r.kafka_partition,
    offset: String(r.kafka_offset),
    headers: r.headers,
    value: r.value,
    leafHash: r.leaf_hash,
    chainHash: r.chain_hash,
  };
}
