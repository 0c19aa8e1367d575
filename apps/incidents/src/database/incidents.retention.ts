import { MIGRATIONS_RETENTION, retentionTable } from '@aal/database';
import { OUTBOX_RETENTION } from '@aal/outbox';
import { AGGREGATES_RETENTION } from '@aal/service-kit';

/** The retention of every incidents table (docs/retention.md). */
export const INCIDENTS_RETENTION = retentionTable('incidents', {
  outbox: OUTBOX_RETENTION,
  aggregates: AGGREGATES_RETENTION,
  model_versions: { kind: 'kept', why: "the service's directory of model versions, fed from Kafka; one row per version" },
  deployments: { kind: 'kept', why: "the service's directory of deployments, fed from Kafka; one row per deployment" },
  schema_migrations: MIGRATIONS_RETENTION,
});
