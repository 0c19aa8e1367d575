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
    const rows: Row[] = await this.manager.query(`SELECT ${COLUMNS} FROM ledger.checkpoints ORDER BY id DESC LIMIT 1`);
    return rows[0] ? toCheckpoint(rows[0]) : null;
  }

  /** The newest checkpoint whose tree size is at most `size`. */
  async atOrBeforeSize(size: number): Promise<StoredCheckpoint | null> {
    const rows: Row[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM ledger.checkpoints WHERE tree_size <= $1 ORDER BY tree_size DESC, id DESC LIMIT 1`,
      [size],
    );
    return rows[0] ? toCheckpoint(rows[0]) : null;
  }

  /** The newest checkpoint made at or before `time`. */
  async atOrBeforeTime(time: string): Promise<StoredCheckpoint | null> {
    const rows: Row[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM ledger.checkpoints WHERE created_at <= $1 ORDER BY created_at DESC, id DESC LIMIT 1`,
      [time],
    );
    return rows[0] ? toCheckpoint(rows[0]) : null;
  }

  async page(afterId: number, limit: number): Promise<StoredCheckpoint[]> {
    const rows: Row[] = await this.manager.query(`SELECT ${COLUMNS} FROM ledger.checkpoints WHERE id > $1 ORDER BY id LIMIT $2`, [afterId, limit]);
    return rows.map(toCheckpoint);
  }

  async insert(treeSize: number, rootHash: Buffer, note: string): Promise<StoredCheckpoint> {
    const rows: Row[] = await this.manager.query(
      `INSERT INTO ledger.checkpoints (tree_size, root_hash, note) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
      [treeSize, rootHash, note],
    );
    return toCheckpoint(rows[0]!);
  }
}
