import { roleNames } from '@aal/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'ledger';
const { appRole: APP } = roleNames(SCHEMA);

/**
 * A rebuild's shadow may get its primary key and unique constraints at the end too, with its other
 * indexes (issue #16 target 5): inserting a facts page into a table with its primary key cost more
 * than half of the page's write (docs/benchmarks.md). `rebuild_prepare(tables, keys_at_end)` leaves
 * them out when asked (a projection whose pages never read their own tables back), and
 * `rebuild_index` adds every one the shadow lacks before its other indexes; a shadow that somehow
 * held a row twice fails there, loudly, before any swap. Replaces the two functions of
 * 1735300000001-projection-rebuild; the checks (rebuild_check) and the swap are unchanged.
 */
export class RebuildKeysAtEnd1735300000002 implements MigrationInterface {
  name = 'RebuildKeysAtEnd1735300000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION ${SCHEMA}.rebuild_prepare(text[])`);
    await q.query(`
      CREATE FUNCTION ${SCHEMA}.rebuild_prepare(tables text[], keys_at_end boolean DEFAULT false) RETURNS void
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
      DECLARE t text; live regclass;
      BEGIN
        FOREACH t IN ARRAY tables LOOP
          live := ${SCHEMA}.rebuild_check(t);
          EXECUTE format('DROP TABLE IF EXISTS ${SCHEMA}.%I', t || '_rebuild');
          EXECUTE format('CREATE TABLE ${SCHEMA}.%I (LIKE ${SCHEMA}.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE)', t || '_rebuild', t);
          IF NOT keys_at_end THEN PERFORM ${SCHEMA}.rebuild_keys(t, live); END IF;
          EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ${SCHEMA}.%I TO ${APP}', t || '_rebuild');
        END LOOP;
      END $$`);
    await q.query(`
      CREATE FUNCTION ${SCHEMA}.rebuild_keys(t text, live regclass) RETURNS void
      LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
      DECLARE c record; shadow regclass := to_regclass(format('${SCHEMA}.%I', t || '_rebuild'));
      BEGIN
        FOR c IN SELECT k.conname, pg_get_constraintdef(k.oid) AS def FROM pg_constraint k
                  WHERE k.conrelid = live AND k.contype IN ('p', 'u')
                    AND NOT EXISTS (SELECT 1 FROM pg_constraint s WHERE s.conrelid = shadow AND s.conname = k.conname || '_rebuild')
                  ORDER BY k.conname LOOP
          EXECUTE format('ALTER TABLE ${SCHEMA}.%I ADD CONSTRAINT %I %s', t || '_rebuild', c.conname || '_rebuild', c.def);
        END LOOP;
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION ${SCHEMA}.rebuild_index(tables text[]) RETURNS void
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET maintenance_work_mem = '128MB' AS $$
      DECLARE t text; live regclass; i record;
      BEGIN
        FOREACH t IN ARRAY tables LOOP
          live := ${SCHEMA}.rebuild_check(t);
          PERFORM ${SCHEMA}.rebuild_keys(t, live);
          FOR i IN SELECT x.indexrelid FROM pg_index x WHERE x.indrelid = live
                      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = live) LOOP
            EXECUTE ${SCHEMA}.rebuild_index_def(i.indexrelid, t);
          END LOOP;
          EXECUTE format('ANALYZE ${SCHEMA}.%I', t || '_rebuild');
        END LOOP;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION ${SCHEMA}.rebuild_keys(text, regclass) FROM PUBLIC`);
    await q.query(`REVOKE ALL ON FUNCTION ${SCHEMA}.rebuild_prepare(text[], boolean) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION ${SCHEMA}.rebuild_prepare(text[], boolean) TO ${APP}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION ${SCHEMA}.rebuild_prepare(text[], boolean)`);
    await q.query(`
      CREATE FUNCTION ${SCHEMA}.rebuild_prepare(tables text[]) RETURNS void
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
      DECLARE t text; live regclass; c record;
      BEGIN
        FOREACH t IN ARRAY tables LOOP
          live := ${SCHEMA}.rebuild_check(t);
          EXECUTE format('DROP TABLE IF EXISTS ${SCHEMA}.%I', t || '_rebuild');
          EXECUTE format('CREATE TABLE ${SCHEMA}.%I (LIKE ${SCHEMA}.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE)', t || '_rebuild', t);
          FOR c IN SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = live AND contype IN ('p', 'u') ORDER BY conname LOOP
            EXECUTE format('ALTER TABLE ${SCHEMA}.%I ADD CONSTRAINT %I %s', t || '_rebuild', c.conname || '_rebuild', c.def);
          END LOOP;
          EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ${SCHEMA}.%I TO ${APP}', t || '_rebuild');
        END LOOP;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION ${SCHEMA}.rebuild_prepare(text[]) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION ${SCHEMA}.rebuild_prepare(text[]) TO ${APP}`);
    await q.query(`
      CREATE OR REPLACE FUNCTION ${SCHEMA}.rebuild_index(tables text[]) RETURNS void
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET maintenance_work_mem = '128MB' AS $$
      DECLARE t text; live regclass; i record;
      BEGIN
        FOREACH t IN ARRAY tables LOOP
          live := ${SCHEMA}.rebuild_check(t);
          FOR i IN SELECT x.indexrelid FROM pg_index x WHERE x.indrelid = live
                      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = live) LOOP
            EXECUTE ${SCHEMA}.rebuild_index_def(i.indexrelid, t);
          END LOOP;
          EXECUTE format('ANALYZE ${SCHEMA}.%I', t || '_rebuild');
        END LOOP;
      END $$`);
    await q.query(`DROP FUNCTION ${SCHEMA}.rebuild_keys(text, regclass)`);
  }
}
