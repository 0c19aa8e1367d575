import { rootFromLeaves } from '@aal/ledger-core';
import { createTestDatabase, type TestDatabase } from '@aal/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { LEDGER_SCHEMA } from '../ledger.schema';
import { BackfillTree1732500000003 } from './1732500000003-backfill-tree';

/**
 * A log written before the tree was stored has entries but no tree nodes; the backfill migration
 * must give it exactly the tree the entries define, so proofs and checkpoints work for it.
 */
describe('migration: backfill the Merkle tree of an older log', () => {
  let db: TestDatabase;

  afterAll(async () => {
    await db?.drop();
  });

  it('builds every node from the stored leaf hashes, idempotently', async () => {
    db = await createTestDatabase([LEDGER_SCHEMA]);
    const admin = new Client({ connectionString: db.adminUrl });
    await admin.connect();
    try {
      const size = 1234;
      // An older log: entries only (written as superuser with the append-only trigger off).
      await admin.query('ALTER TABLE ledger.entries DISABLE TRIGGER USER');
      await admin.query(
        `INSERT INTO ledger.entries (seq, event_id, source, type, subject, event_time, recorded_at, recorded_at_text, kafka_topic, kafka_partition, kafka_offset, headers, value, content_hash, leaf_hash, chain_hash)
         SELECT g, 'old-' || g, '/old', 'aal.model.registered.v1', 'model/old', now(), now(), '2026-01-01T00:00:00.000Z', 't', 0, g, '{}'::jsonb, convert_to('{}', 'UTF8'), '\\x00'::bytea, sha256(int8send(g)), '\\x00'::bytea
           FROM generate_series(0, $1::bigint - 1) AS g`,
        [size],
      );
      await admin.query('ALTER TABLE ledger.entries ENABLE TRIGGER USER');

      const owner = new DataSource({ type: 'postgres', url: db.adminUrl, extra: { options: `-c role=${LEDGER_SCHEMA.ownerRole}` } });
      await owner.initialize();
      try {
        const runner = owner.createQueryRunner();
        await new BackfillTree1732500000003().up(runner);
        await new BackfillTree1732500000003().up(runner); // a second run changes nothing
        await runner.release();
      } finally {
        await owner.destroy();
      }

      const leaves = (await admin.query('SELECT leaf_hash FROM ledger.entries ORDER BY seq')).rows.map(
        (r: { leaf_hash: Buffer }) => r.leaf_hash,
      );
      const nodes = Number((await admin.query('SELECT count(*) AS n FROM ledger.tree_nodes')).rows[0].n);
      // A tree of n leaves has n - popcount(n) perfect nodes above the leaves.
      expect(nodes).toBe(
        size -
          size
            .toString(2)
            .split('')
            .filter((b) => b === '1').length,
      );
      const top = (await admin.query('SELECT hash FROM ledger.tree_nodes WHERE level = 10 AND idx = 0')).rows[0].hash as Buffer;
      expect(top.equals(rootFromLeaves(leaves.slice(0, 1024)))).toBe(true);
    } finally {
      await admin.end();
    }
  });
});
