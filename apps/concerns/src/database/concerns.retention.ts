import { MIGRATIONS_RETENTION, retentionTable } from '@aal/database';
import { OUTBOX_RETENTION } from '@aal/outbox';
import { AGGREGATES_RETENTION } from '@aal/service-kit';

/** The retention of every concerns table (docs/retention.md). */
export const CONCERNS_RETENTION = retentionTable('concerns', {
  outbox: OUTBOX_RETENTION,
  aggregates: AGGREGATES_RETENTION,
  receipts: {
    kind: 'kept',
    why: "the hash of each concern's receipt code, by which the person who raised it reads its status; kept as long as the concern",
  },
  model_versions: { kind: 'kept', why: "the service's directory of model versions, fed from Kafka; one row per version" },
  deployments: { kind: 'kept', why: "the service's directory of deployments, fed from Kafka; one row per deployment" },
  schema_migrations: MIGRATIONS_RETENTION,
});
