import { storableText } from '@aal/contracts';
import { entryLeafHash, GENESIS_CHAIN_HASH, nextChainHash } from '@aal/ledger-core';
import type { EntityManager } from 'typeorm';
import type { Rejection } from '../../intake/domain/append-plan';
import { eventKey, type KnownEvent } from '../../intake/domain/deduplication';
import type { AppendedEntry, NewEntry } from '../domain/new-entry';
import { TreeRepository } from './tree.repository';

/** A ledger-wide lock: appends are serialised so sequence numbers are gapless and the chain linear. */
const APPEND_LOCK_KEY = 7_316_001;

/** SQL for the log; every method runs inside the caller's transaction. */
export class LogRepository {
  constructor(private readonly manager: EntityManager) {}

  async lockForAppend(): Promise<void> {
    await this.manager.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK_KEY]);
  }

  /** Next offset to apply for a partition of a topic of the Kafka cluster `clusterId`. */
  async nextOffset(clusterId: string, topic: string, partition: number): Promise<bigint> {
    const rows: Array<{ next_offset: string }> = await this.manager.query(
      'SELECT next_offset FROM ledger.consumer_positions WHERE cluster_id = $1 AND topic = $2 AND kafka_partition = $3',
      [clusterId, topic, partition],
    );
    return rows[0] ? BigInt(rows[0].next_offset) : 0n;
  }

  /** The stored next offsets of several partitions at once; undefined for a partition never stored. */
  async nextOffsets(
    clusterId: string,
    partitions: ReadonlyArray<{ topic: string; partition: number }>,
  ): Promise<(topic: string, partition: number) => bigint | undefined> {
    const rows: Array<{ topic: string; kafka_partition: number; next_offset: string }> =
      partitions.length === 0
        ? []
        : await this.manager.query(
            `SELECT p.topic, p.kafka_partition, p.next_offset FROM ledger.consumer_positions p
         JOIN unnest($2::text[], $3::int[]) AS k(topic, kafka_partition) ON p.topic = k.topic AND p.kafka_partition = k.kafka_partition
        WHERE p.cluster_id = $1`,
            [clusterId, partitions.map((p) => p.topic), partitions.map((p) => p.partition)],
          );
    const stored = new Map(rows.map((r) => [`${r.topic}\u0000${r.kafka_partition}`, BigInt(r.next_offset)]));
    return (topic, partition) => stored.get(`${topic}\u0000${partition}`);
  }

  async saveOffset(clusterId: string, topic: string, partition: number, nextOffset: bigint): Promise<void> {
    await this.manager.query(
      `INSERT INTO ledger.consumer_positions (cluster_id, topic, kafka_partition, next_offset) VALUES ($1, $2, $3, $4)
       ON CONFLICT (cluster_id, topic, kafka_partition)
       DO UPDATE SET next_offset = GREATEST(consumer_positions.next_offset, EXCLUDED.next_offset), updated_at = now()`,
      [clusterId, topic, partition, nextOffset.toString()],
    );
  }

  async knownEvents(identities: ReadonlyArray<{ source: string; id: string }>): Promise<Map<string, KnownEvent>> {
    if (identities.length === 0) return new Map();
    const rows: Array<{ source: string; event_id: string; seq: string; content_hash: Buffer }> = await this.manager.query(
      `SELECT e.source, e.event_id, e.seq, e.content_hash FROM ledger.entries e
         JOIN unnest($1::text[], $2::text[]) AS k(source, event_id) ON e.source = k.source AND e.event_id = k.event_id`,
      [identities.map((i) => i.source), identities.map((i) => i.id)],
    );
    return new Map(rows.map((r) => [eventKey(r.source, r.event_id), { seq: Number(r.seq), contentHash: r.content_hash }]));
  }

  async head(): Promise<{ nextSeq: number; chainHash: Buffer }> {
    const rows: Array<{ seq: string; chain_hash: Buffer }> = await this.manager.query(
      'SELECT seq, chain_hash FROM ledger.entries ORDER BY seq DESC LIMIT 1',
    );
    const last = rows[0];
    return last ? { nextSeq: Number(last.seq) + 1, chainHash: last.chain_hash } : { nextSeq: 0, chainHash: GENESIS_CHAIN_HASH };
  }

  /**
   * Hashes and inserts entries whose `seq` continue the head, and the Merkle subtrees they
   * complete; returns the entries with their hashes.
   */
  async append(entries: readonly NewEntry[], head: { nextSeq: number; chainHash: Buffer }): Promise<AppendedEntry[]> {
    if (entries.length === 0) return [];
    const tree = new TreeRepository(this.manager);
    const accumulator = await tree.accumulatorAt(head.nextSeq);
    const completed: Array<{ id: { level: number; index: number }; hash: Buffer }> = [];
    let chain = head.chainHash;
    const appended = entries.map((entry, i) => {
      if (entry.seq !== head.nextSeq + i) throw new Error(`append out of sequence: ${entry.seq} after head ${head.nextSeq + i - 1}`);
      const leaf = entryLeafHash(entry);
      chain = nextChainHash(chain, leaf);
      completed.push(...accumulator.append(leaf));
      return { ...entry, leafHash: leaf, chainHash: chain };
    });
    await this.manager.query(
      `INSERT INTO ledger.entries (seq, event_id, source, type, subject, event_time, recorded_at, recorded_at_text,
                                   kafka_topic, kafka_partition, kafka_offset, headers, value, content_hash, leaf_hash, chain_hash)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $16::text[],
                            $8::text[], $9::int[], $10::bigint[], $11::jsonb[], $12::bytea[], $13::bytea[], $14::bytea[], $15::bytea[])`,
      [
        appended.map((e) => e.seq),
        appended.map((e) => e.eventId),
        appended.map((e) => e.source),
        appended.map((e) => e.type),
        appended.map((e) => e.subject),
        appended.map((e) => e.eventTime),
        appended.map((e) => e.recordedAt),
        appended.map((e) => e.topic),
        appended.map((e) => e.partition),
        appended.map((e) => e.offset),
        appended.map((e) => JSON.stringify(e.headers)),
        appended.map((e) => Buffer.from(e.value)),
        appended.map((e) => e.contentHash),
        appended.map((e) => e.leafHash),
        appended.map((e) => e.chainHash),
        // The exact text that was hashed; the timestamptz column is for queries.
        appended.map((e) => e.recordedAt),
      ],
    );
    await tree.insertNodes(completed);
    return appended;
  }

  async recordRejections(rejections: readonly Rejection[]): Promise<void> {
    for (const r of rejections) {
      await this.manager.query(
        `INSERT INTO ledger.rejections (kafka_topic, kafka_partition, kafka_offset, reason, headers, value)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (kafka_topic, kafka_partition, kafka_offset) DO NOTHING`,
        // The table predates codes: the stable code leads the reason text. A refused message may
        // carry anything: text PostgreSQL cannot store (NUL, lone surrogates, also quoted back in a
        // parser's reason) is replaced, so the refusal is recorded instead of failing the batch.
        // The value is kept byte for byte (bytea), and the dead letter carries the original.
        [r.topic, r.partition, r.offset, storableText(`${r.code}: ${r.reason}`), JSON.stringify(storableHeaders(r.headers)), r.value],
      );
    }
  }
}

function storableHeaders(headers: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [storableText(name), value === undefined ? undefined : storableText(value)]),
  );
}
