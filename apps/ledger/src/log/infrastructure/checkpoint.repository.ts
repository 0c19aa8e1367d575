import type { EntityManager } from 'typeorm';

export interface StoredCheckpoint {
  readonly id: number;
  readonly treeSize: number;
  readonly rootHash: Buffer;
  readonly note: string;
  readonly createdAt: string;
}

interface Row {
  id: string;
  tree_size: string;
  root_hash: Buffer;
  note: string;
  created_at: Date;
}

const COLUMNS = 'id, tree_size, root_hash, note, created_at';
/**
 * What readers get: the log's signed note with the witnesses' cosignature lines for that
 * checkpoint appended in the order they arrived (C2SP: more signature lines after the log's own).
 */
const READ_COLUMNS =
  "c.id, c.tree_size, c.root_hash, c.note || coalesce((SELECT string_agg(s.line, '' ORDER BY s.id) FROM ledger.cosignatures s WHERE s.checkpoint_id = c.id), '') AS note, c.created_at";
const toCheckpoint = (r: Row): StoredCheckpoint => ({
  id: Number(r.id),
  treeSize: Number(r.tree_size),
  rootHash: r.root_hash,
  note: r.note,
  createdAt: r.created_at.toISOString(),
});

export class CheckpointRepository {
  constructor(private readonly manager: EntityManager) {}

  async latest(): Promise<StoredCheckpoint | null> {
    const rows: Row[] = await this.manager.query(`SELECT ${READ_COLUMNS} FROM ledger.checkpoints c ORDER BY c.id DESC LIMIT 1`);
    return rows[0] ? toCheckpoint(rows[0]) : null;
  }

  /** The newest checkpoint whose tree size is at most `size`. */
  async atOrBeforeSize(size: number): Promise<StoredCheckpoint | null> {
    const rows: Row[] = await this.manager.query(
      `SELECT ${READ_COLUMNS} FROM ledger.checkpoints c WHERE c.tree_size <= $1 ORDER BY c.tree_size DESC, c.id DESC LIMIT 1`,
      [size],
    );
    return rows[0] ? toCheckpoint(rows[0]) : null;
  }

  /** Up to `limit` checkpoints of tree size at most `maxSize`, ordered by (tree size, id), after `after` in that order. */
  async bySizeAfter(after: { treeSize: number; id: number }, maxSize: number, limit: number): Promise<StoredCheckpoint[]> {
    const rows: Row[] = await this.manager.query(
      `SELECT ${READ_COLUMNS} FROM ledger.checkpoints c WHERE (c.tree_size, c.id) > ($1, $2) AND c.tree_size <= $3 ORDER BY c.tree_size, c.id LIMIT $4`,
      [after.treeSize, after.id, maxSize, limit],
    );
    return rows.map(toCheckpoint);
  }

  /** The newest checkpoint made at or before `time`. */
  async atOrBeforeTime(time: string): Promise<StoredCheckpoint | null> {
    const rows: Row[] = await this.manager.query(
      `SELECT ${READ_COLUMNS} FROM ledger.checkpoints c WHERE c.created_at <= $1 ORDER BY c.created_at DESC, c.id DESC LIMIT 1`,
      [time],
    );
    return rows[0] ? toCheckpoint(rows[0]) : null;
  }

  async page(afterId: number, limit: number): Promise<StoredCheckpoint[]> {
    const rows: Row[] = await this.manager.query(
      `SELECT ${READ_COLUMNS} FROM ledger.checkpoints c WHERE c.id > $1 ORDER BY c.id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map(toCheckpoint);
  }

  /** The newest checkpoint carrying at least one cosignature. */
  async latestWitnessed(): Promise<StoredCheckpoint | null> {
    const rows: Row[] = await this.manager.query(
      `SELECT ${READ_COLUMNS} FROM ledger.checkpoints c WHERE EXISTS (SELECT 1 FROM ledger.cosignatures s WHERE s.checkpoint_id = c.id) ORDER BY c.id DESC LIMIT 1`,
    );
    return rows[0] ? toCheckpoint(rows[0]) : null;
  }

  /** Stores one witness's cosignature line on checkpoint `checkpointId`; the same line twice is kept once. */
  async addCosignature(checkpointId: number, witness: string, cosignedAt: Date, line: string): Promise<void> {
    await this.manager.query(
      `INSERT INTO ledger.cosignatures (checkpoint_id, witness, cosigned_at, line) VALUES ($1, $2, $3, $4) ON CONFLICT (checkpoint_id, line) DO NOTHING`,
      [checkpointId, witness, cosignedAt, line],
    );
  }

  /** Per witness, the largest tree size it has cosigned (what it holds, unless it lost state). */
  async cosignedSizes(): Promise<Map<string, number>> {
    const rows: Array<{ witness: string; size: string }> = await this.manager.query(
      `SELECT s.witness, max(c.tree_size) AS size FROM ledger.cosignatures s JOIN ledger.checkpoints c ON c.id = s.checkpoint_id GROUP BY s.witness`,
    );
    return new Map(rows.map((r) => [r.witness, Number(r.size)]));
  }

  async insert(treeSize: number, rootHash: Buffer, note: string): Promise<StoredCheckpoint> {
    const rows: Row[] = await this.manager.query(
      `INSERT INTO ledger.checkpoints (tree_size, root_hash, note) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
      [treeSize, rootHash, note],
    );
    return toCheckpoint(rows[0]!);
  }
}
