import { roleNames } from '@aal/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'ledger';
const { appRole: APP } = roleNames(SCHEMA);

/**
 * The Merkle tree's perfect subtrees above the leaves (level 0 is `entries.leaf_hash`), so proofs
 * are served from O(log n) stored hashes instead of recomputing the tree; and every signed
 * checkpoint. Both are append-only, like the entries.
 */
export class TreeAndCheckpoints1732500000002 implements MigrationInterface {
  name = 'TreeAndCheckpoints1732500000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ${SCHEMA}.tree_nodes (
        level smallint NOT NULL CHECK (level >= 1),
        idx bigint NOT NULL CHECK (idx >= 0),
        hash bytea NOT NULL CHECK (length(hash) = 32),
        PRIMARY KEY (level, idx)
      )`);
    await q.query(`
      CREATE TABLE ${SCHEMA}.checkpoints (
        id bigserial PRIMARY KEY,
        tree_size bigint NOT NULL CHECK (tree_size >= 0),
        root_hash bytea NOT NULL CHECK (length(root_hash) = 32),
        note text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX checkpoints_by_size ON ${SCHEMA}.checkpoints (tree_size, id)`);
    await q.query(`CREATE INDEX checkpoints_by_time ON ${SCHEMA}.checkpoints (created_at, id)`);
    for (const table of ['tree_nodes', 'checkpoints']) {
      await q.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${SCHEMA}.${table}
          FOR EACH ROW EXECUTE FUNCTION ${SCHEMA}.refuse_change()`);
      await q.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${SCHEMA}.${table}
          FOR EACH STATEMENT EXECUTE FUNCTION ${SCHEMA}.refuse_change()`);
      await q.query(`REVOKE ALL ON ${SCHEMA}.${table} FROM PUBLIC`);
      await q.query(`GRANT SELECT, INSERT ON ${SCHEMA}.${table} TO ${APP}`);
    }
    await q.query(`GRANT USAGE ON SEQUENCE ${SCHEMA}.checkpoints_id_seq TO ${APP}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${SCHEMA}.checkpoints, ${SCHEMA}.tree_nodes`);
  }
}
