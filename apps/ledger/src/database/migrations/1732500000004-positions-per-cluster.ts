import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'ledger';

/**
 * Kafka offsets only mean something within one cluster: a ledger pointed at a new cluster (or a
 * rebuilt one) must not skip its first messages because an old cluster had reached higher offsets.
 * Positions are therefore kept per cluster id; rows from before this migration belong to no
 * known cluster and are ignored (re-reading is safe: events are de-duplicated by source and id).
 */
export class PositionsPerCluster1732500000004 implements MigrationInterface {
  name = 'PositionsPerCluster1732500000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${SCHEMA}.consumer_positions ADD COLUMN cluster_id text NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE ${SCHEMA}.consumer_positions DROP CONSTRAINT consumer_positions_pkey`);
    await q.query(`ALTER TABLE ${SCHEMA}.consumer_positions ADD PRIMARY KEY (cluster_id, topic, kafka_partition)`);
    await q.query(`ALTER TABLE ${SCHEMA}.consumer_positions ALTER COLUMN cluster_id DROP DEFAULT`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM ${SCHEMA}.consumer_positions WHERE cluster_id <> ''`);
    await q.query(`ALTER TABLE ${SCHEMA}.consumer_positions DROP CONSTRAINT consumer_positions_pkey`);
    await q.query(`ALTER TABLE ${SCHEMA}.consumer_positions ADD PRIMARY KEY (topic, kafka_partition)`);
    await q.query(`ALTER TABLE ${SCHEMA}.consumer_positions DROP COLUMN cluster_id`);
  }
}
