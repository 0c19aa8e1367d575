import { MerkleAccumulator } from '@aal/ledger-core';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'ledger';

/**
 * Entries recorded before the tree was stored (a log created before migration 1732500000002)
 * get their tree nodes, computed from their leaf hashes. Idempotent: existing nodes are kept, so it
 * is harmless on a log whose tree is complete.
 */
export class BackfillTree1732500000003 implements MigrationInterface {
  name = 'BackfillTree1732500000003';

  async up(q: QueryRunner): Promise<void> {
    const accumulator = new MerkleAccumulator();
    const page = 10_000;
    for (let from = 0; ; from += page) {
      const rows: Array<{ seq: string; leaf_hash: Buffer }> = await q.query(
        `SELECT seq, leaf_hash FROM ${SCHEMA}.entries WHERE seq >= $1 AND seq < $2 ORDER BY seq`,
        [from, from + page],
      );
      if (rows.length === 0) return;
      rows.forEach((r, i) => {
        if (Number(r.seq) !== from + i) throw new Error(`ledger.entries has a gap at seq ${from + i}; refusing to build its tree`);
      });
      const nodes = rows.flatMap((r) => accumulator.append(r.leaf_hash)).filter((n) => n.id.level > 0);
      if (nodes.length > 0) {
        await q.query(
          `INSERT INTO ${SCHEMA}.tree_nodes (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])
           ON CONFLICT (level, idx) DO NOTHING`,
          [nodes.map((n) => n.id.level), nodes.map((n) => n.id.index), nodes.map((n) => n.hash)],
        );
      }
    }
  }

  async down(): Promise<void> {
    // Nodes are derived data; leaving them is harmless and the table is append-only.
  }
}
