import { MIGRATIONS_RETENTION, retentionTable } from '@aal/database';
import { OUTBOX_RETENTION } from '@aal/outbox';
import { AGGREGATES_RETENTION } from '@aal/service-kit';

/** The retention of every deployment-approval table (docs/retention.md). */
export const DEPLOYMENT_APPROVAL_RETENTION = retentionTable('deployment_approval', {
  outbox: OUTBOX_RETENTION,
  aggregates: AGGREGATES_RETENTION,
  model_versions: { kind: 'kept', why: "the service's catalogue of released model versions, fed from Kafka; one row per version" },
  safety_notices: { kind: 'kept', why: "the service's copy of the vendors' safety notices, fed from Kafka; one row per notice" },
  schema_migrations: MIGRATIONS_RETENTION,
});
