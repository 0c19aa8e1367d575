import { roleNames } from '@aal/database';
import { outboxMigrationSql } from '@aal/outbox';
import { aggregateMigrationSql } from '@aal/service-kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'usage_events';
const APP_ROLE = roleNames(SCHEMA).appRole;

export class Initial1732600000000 implements MigrationInterface {
  name = 'Initial1732600000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [...aggregateMigrationSql(SCHEMA, APP_ROLE), ...outboxMigrationSql(SCHEMA, APP_ROLE)]) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${SCHEMA}.outbox; DROP FUNCTION ${SCHEMA}.outbox_notify(); DROP TABLE ${SCHEMA}.aggregates`);
  }
}
