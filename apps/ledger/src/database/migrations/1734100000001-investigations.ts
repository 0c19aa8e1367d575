import { roleNames } from '@aal/database';
import { outboxMigrationSql } from '@aal/outbox';
import { aggregateMigrationSql } from '@aal/service-kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'ledger';
const APP_ROLE = roleNames(SCHEMA).appRole;

/**
 * Investigations: the ledger becomes a producer of its own case events. Cases are aggregates
 * (one JSON state row each, the write model that access checks read) and their events leave
 * through a transactional outbox to the ledger's own topic, from which the intake appends them to
 * the log like every other event. Neither table is part of the log.
 */
export class Investigations1734100000001 implements MigrationInterface {
  name = 'Investigations1734100000001';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [...aggregateMigrationSql(SCHEMA, APP_ROLE), ...outboxMigrationSql(SCHEMA, APP_ROLE)]) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${SCHEMA}.outbox; DROP FUNCTION ${SCHEMA}.outbox_notify(); DROP TABLE ${SCHEMA}.aggregates`);
  }
}
