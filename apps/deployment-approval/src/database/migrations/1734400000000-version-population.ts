import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'deployment_approval';

/**
 * What a version is for, as model.version.released v2 states it (issue #14): its coded
 * contraindications (`[{code, text}]`) and its intended age bands. Both NULL for versions released
 * with v1, whose contraindications are wording only: nothing to check an approved scope against.
 */
export class VersionPopulation1734400000000 implements MigrationInterface {
  name = 'VersionPopulation1734400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${SCHEMA}.model_versions ADD COLUMN contraindications jsonb, ADD COLUMN intended_age_bands text[]`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${SCHEMA}.model_versions DROP COLUMN intended_age_bands, DROP COLUMN contraindications`);
  }
}
