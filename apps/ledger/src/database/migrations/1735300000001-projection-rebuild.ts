import { roleNames } from '@aal/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'ledger';
const { appRole: APP } = roleNames(SCHEMA);

/**
 * `ledger rebuild` builds a projection into shadow tables (`<table>_rebuild`) page by page and
 * swaps them in at the end (issue #16 target 5). The service never owns a table, so the DDL this
 * takes runs in SECURITY DEFINER functions of the owner. They act only on tables the service may
 * already TRUNCATE (the projections, which it may empty anyway) and on their shadows, so they give
 * it no power over the log. Each shadow is cloned from its live table when a rebuild starts, so a
 * later migration of a projection table needs no change here.
 *
 * - `rebuild_prepare(tables)`: drops any old shadow and creates an empty one with the live table's
 *   columns, defaults, checks, primary key and unique constraints (what the pages' ON CONFLICT needs).
 * - `rebuild_index(tables)`: the live table's other indexes on the shadow (built once, over the whole
 *   shadow, not entry by entry), then ANALYZE, so the swapped-in tables plan like the old ones.
 * - `rebuild_swap(tables)`: in the caller's transaction, locks every live table and its shadow, drops
 *   the live ones and renames the shadows (and their indexes) into their places.
 */
export class ProjectionRebuild1735300000001 implements MigrationInterface {
  name = 'ProjectionRebuild1735300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION ${SCHEMA}.rebuild_check(t text) RETURNS regclass
      LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
      DECLARE live regclass := to_regclass(format('${SCHEMA}.%I', t));
      BEGIN
        IF live IS NULL OR t LIKE '%\\_rebuild' OR NOT has_table_privilege('${APP}', live, 'TRUNCATE') THEN
          RAISE EXCEPTION 'ledger.% is not a projection table the service may rebuild', t USING ERRCODE = '42501';
        END IF;
        RETURN live;
      END $$`);
    // pg_get_indexdef names the live index and table; the shadow's index is the same with `_rebuild` on both names.
    await q.query(`
      CREATE FUNCTION ${SCHEMA}.rebuild_index_def(index_oid oid, t text) RETURNS text
      LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
      DECLARE
        def text := pg_get_indexdef(index_oid);
        shadow text := regexp_replace(def, '^CREATE (UNIQUE )?INDEX (\\S+) ON ${SCHEMA}\\.' || t || ' ', 'CREATE \\1INDEX IF NOT EXISTS \\2_rebuild ON ${SCHEMA}.' || t || '_rebuild ');
      BEGIN
        IF shadow = def THEN RAISE EXCEPTION 'cannot clone index %', def; END IF;
        RETURN shadow;
      END $$`);
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
    await q.query(`
      CREATE FUNCTION ${SCHEMA}.rebuild_index(tables text[]) RETURNS void
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
    await q.query(`
      CREATE FUNCTION ${SCHEMA}.rebuild_swap(tables text[]) RETURNS void
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
      DECLARE t text; shadow regclass; i record; live_indexes int; shadow_indexes int;
      BEGIN
        -- Every lock first, in one order, so answers reading several tables wait rather than mix old and new.
        FOREACH t IN ARRAY tables LOOP
          PERFORM ${SCHEMA}.rebuild_check(t);
          shadow := to_regclass(format('${SCHEMA}.%I', t || '_rebuild'));
          IF shadow IS NULL THEN RAISE EXCEPTION 'ledger.% has no shadow to swap in', t; END IF;
          EXECUTE format('LOCK TABLE ${SCHEMA}.%I, ${SCHEMA}.%I IN ACCESS EXCLUSIVE MODE', t, t || '_rebuild');
          SELECT count(*) INTO live_indexes FROM pg_index WHERE indrelid = format('${SCHEMA}.%I', t)::regclass;
          SELECT count(*) INTO shadow_indexes FROM pg_index WHERE indrelid = shadow;
          IF live_indexes <> shadow_indexes THEN
            RAISE EXCEPTION 'the shadow of ledger.% has % indexes, the live table %', t, shadow_indexes, live_indexes;
          END IF;
        END LOOP;
        FOREACH t IN ARRAY tables LOOP
          EXECUTE format('DROP TABLE ${SCHEMA}.%I', t);
          EXECUTE format('ALTER TABLE ${SCHEMA}.%I RENAME TO %I', t || '_rebuild', t);
          -- Renaming an index renames the constraint it backs.
          FOR i IN SELECT c.relname FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
                    WHERE x.indrelid = format('${SCHEMA}.%I', t)::regclass AND c.relname LIKE '%\\_rebuild' LOOP
            EXECUTE format('ALTER INDEX ${SCHEMA}.%I RENAME TO %I', i.relname, left(i.relname, -length('_rebuild')));
          END LOOP;
        END LOOP;
      END $$`);
    for (const fn of ['rebuild_check(text)', 'rebuild_index_def(oid, text)'])
      await q.query(`REVOKE ALL ON FUNCTION ${SCHEMA}.${fn} FROM PUBLIC`);
    for (const fn of ['rebuild_prepare(text[])', 'rebuild_index(text[])', 'rebuild_swap(text[])']) {
      await q.query(`REVOKE ALL ON FUNCTION ${SCHEMA}.${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${SCHEMA}.${fn} TO ${APP}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const fn of [
      'rebuild_swap(text[])',
      'rebuild_index(text[])',
      'rebuild_prepare(text[])',
      'rebuild_index_def(oid, text)',
      'rebuild_check(text)',
    ])
      await q.query(`DROP FUNCTION ${SCHEMA}.${fn}`);
  }
}
