import { roleNames } from '@aal/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMA = 'ledger';
const { appRole: APP } = roleNames(SCHEMA);

/**
 * Witness cosignatures (C2SP tlog-cosignature) on signed checkpoints, one row per signature line
 * as the witness returned it. Append-only like the checkpoints: a cosignature is evidence that an
 * independent party saw this tree, and the operator must not be able to quietly drop it.
 */
export class Cosignatures1734200000001 implements MigrationInterface {
  name = 'Cosignatures1734200000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ${SCHEMA}.cosignatures (
        id bigserial PRIMARY KEY,
        checkpoint_id bigint NOT NULL REFERENCES ${SCHEMA}.checkpoints (id),
        witness text NOT NULL,
        cosigned_at timestamptz NOT NULL,
        line text NOT NULL CHECK (line LIKE '— %' AND right(line, 1) = E'\\n'),
        received_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (checkpoint_id, line)
      )`);
    await q.query(`CREATE INDEX cosignatures_by_witness ON ${SCHEMA}.cosignatures (witness, checkpoint_id)`);
    await q.query(`
      CREATE TRIGGER cosignatures_append_only BEFORE UPDATE OR DELETE ON ${SCHEMA}.cosignatures
        FOR EACH ROW EXECUTE FUNCTION ${SCHEMA}.refuse_change()`);
    await q.query(`
      CREATE TRIGGER cosignatures_no_truncate BEFORE TRUNCATE ON ${SCHEMA}.cosignatures
        FOR EACH STATEMENT EXECUTE FUNCTION ${SCHEMA}.refuse_change()`);
    await q.query(`REVOKE ALL ON ${SCHEMA}.cosignatures FROM PUBLIC`);
    await q.query(`GRANT SELECT, INSERT ON ${SCHEMA}.cosignatures TO ${APP}`);
    await q.query(`GRANT USAGE ON SEQUENCE ${SCHEMA}.cosignatures_id_seq TO ${APP}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${SCHEMA}.cosignatures`);
  }
}
