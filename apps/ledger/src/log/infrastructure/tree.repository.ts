import { MerkleAccumulator, nodeKey, perfectDecomposition, type NodeId } from '@aal/ledger-core';
import type { EntityManager } from 'typeorm';

/**
 * Reads and writes the stored Merkle tree. Level 0 nodes are the entries' leaf hashes; perfect
 * subtrees above them live in `ledger.tree_nodes`. Pure tree maths stays in @aal/ledger-core.
 */
export class TreeRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Every requested node, keyed by `nodeKey`; throws naming the first node that is missing. */
  async readNodes(ids: readonly NodeId[]): Promise<Map<string, Buffer>> {
    const found = await this.findNodes(ids);
    const missing = ids.find((id) => !found.has(nodeKey(id)));
    if (missing) throw new Error(`stored tree lacks node ${nodeKey(missing)}`);
    return found;
  }

  /**
   * The requested nodes that exist, in one round trip. Nodes are written once and never change,
   * so no transaction is needed for a consistent answer: a node is either final or absent.
   */
  async findNodes(ids: readonly NodeId[]): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    if (ids.length === 0) return found;
    const leaves = [...new Set(ids.filter((id) => id.level === 0).map((id) => id.index))];
    const inner = ids.filter((id) => id.level > 0);
    const rows: Array<{ level: number; idx: string; hash: Buffer }> = await this.manager.query(
      `SELECT 0 AS level, seq AS idx, leaf_hash AS hash FROM ledger.entries WHERE seq = ANY($1::bigint[])
       UNION ALL
       SELECT n.level, n.idx, n.hash FROM ledger.tree_nodes n
         JOIN unnest($2::smallint[], $3::bigint[]) AS k(level, idx) ON n.level = k.level AND n.idx = k.idx`,
      [leaves, inner.map((id) => id.level), inner.map((id) => id.index)],
    );
    for (const r of rows) found.set(nodeKey({ level: Number(r.level), index: Number(r.idx) }), r.hash);
    return found;
  }

  /** The accumulator positioned after `size` leaves, from the stored right edge of the tree. */
  async accumulatorAt(size: number): Promise<MerkleAccumulator> {
    const edge = perfectDecomposition(0, size);
    const nodes = await this.readNodes(edge);
    return new MerkleAccumulator({ size, rightEdge: edge.map((id) => ({ id, hash: nodes.get(nodeKey(id))! })) });
  }

  /** Stores completed perfect subtrees above the leaves (level-0 nodes are ignored). */
  async insertNodes(nodes: ReadonlyArray<{ id: NodeId; hash: Buffer }>): Promise<void> {
    const inner = nodes.filter((n) => n.id.level > 0);
    if (inner.length === 0) return;
    await this.manager.query(
      `INSERT INTO ledger.tree_nodes (level, idx, hash)
       SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])`,
      [inner.map((n) => n.id.level), inner.map((n) => n.id.index), inner.map((n) => n.hash)],
    );
  }
}
