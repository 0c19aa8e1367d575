import { roleNames } from '@aal/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'ledger';
const { appRole: APP } = roleNames(SCHEMA);

/**
 * The append-only log. The database itself refuses to change it: a trigger rejects UPDATE and
 * DELETE, TRUNCATE is revoked, and the service's login role holds only SELECT and INSERT and owns
 * nothing (the owner role, which could drop the trigger, cannot log in).
 */
export class Log1732500000000 implements MigrationInterface {
  name = 'Log1732500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ${SCHEMA}.entries (
        seq bigint PRIMARY KEY CHECK (seq >= 0),
        event_id text NOT NULL,
        source text NOT NULL,
        type text NOT NULL,
        subject text NOT NULL,
        event_time timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        recorded_at_text text NOT NULL,
        kafka_topic text NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset bigint NOT NULL,
        headers jsonb NOT NULL,
        value bytea NOT NULL,
        content_hash bytea NOT NULL,
        leaf_hash bytea NOT NULL,
        chain_hash bytea NOT NULL,
        CONSTRAINT entries_event_once UNIQUE (source, event_id)
      )`);
    await q.query(`
      CREATE FUNCTION ${SCHEMA}.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger entries are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON ${SCHEMA}.entries
        FOR EACH ROW EXECUTE FUNCTION ${SCHEMA}.refuse_change()`);
    await q.query(`
      CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON ${SCHEMA}.entries
        FOR EACH STATEMENT EXECUTE FUNCTION ${SCHEMA}.refuse_change()`);
    await q.query(`REVOKE ALL ON ${SCHEMA}.entries FROM PUBLIC`);
    await q.query(`GRANT SELECT, INSERT ON ${SCHEMA}.entries TO ${APP}`);

    // Where the ledger has read each partition to; committed with the entries it covers.
    await q.query(`
      CREATE TABLE ${SCHEMA}.consumer_positions (
        topic text NOT NULL,
        kafka_partition integer NOT NULL,
        next_offset bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (topic, kafka_partition)
      )`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON ${SCHEMA}.consumer_positions TO ${APP}`);

    // Events refused to the dead-letter topic, also kept here so operators can see them.
    await q.query(`
      CREATE TABLE ${SCHEMA}.rejections (
        id bigserial PRIMARY KEY,
        kafka_topic text NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset bigint NOT NULL,
        reason text NOT NULL,
        headers jsonb NOT NULL,
        value bytea,
        rejected_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (kafka_topic, kafka_partition, kafka_offset)
      )`);
    await q.query(`GRANT SELECT, INSERT ON ${SCHEMA}.rejections TO ${APP}`);
    await q.query(`GRANT USAGE ON SEQUENCE ${SCHEMA}.rejections_id_seq TO ${APP}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${SCHEMA}.rejections, ${SCHEMA}.consumer_positions, ${SCHEMA}.entries`);
    await q.query(`DROP FUNCTION ${SCHEMA}.refuse_change()`);
  }
}
