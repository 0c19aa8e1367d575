import { roleNames } from '@aal/database';
import { outboxMigrationSql } from '@aal/outbox';
import { aggregateMigrationSql } from '@aal/service-kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'deployment_approval';
const APP_ROLE = roleNames(SCHEMA).appRole;

export class Initial1732500000000 implements MigrationInterface {
  name = 'Initial1732500000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [...aggregateMigrationSql(SCHEMA, APP_ROLE), ...outboxMigrationSql(SCHEMA, APP_ROLE)]) await q.query(sql);
    // Training records are looked up by professional ("was this person trained?").
    await q.query(
      `CREATE INDEX training_by_professional ON ${SCHEMA}.aggregates ((state->>'professionalId'), created_at) WHERE aggregate_type = 'training'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${SCHEMA}.outbox; DROP FUNCTION ${SCHEMA}.outbox_notify(); DROP TABLE ${SCHEMA}.aggregates`);
  }
}
