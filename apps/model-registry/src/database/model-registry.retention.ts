import { MIGRATIONS_RETENTION, retentionTable } from '@aal/database';
import { OUTBOX_RETENTION } from '@aal/outbox';
import { AGGREGATES_RETENTION } from '@aal/service-kit';

/** The retention of every model-registry table (docs/retention.md). */
export const MODEL_REGISTRY_RETENTION = retentionTable('model_registry', {
  outbox: OUTBOX_RETENTION,
  aggregates: AGGREGATES_RETENTION,
  schema_migrations: MIGRATIONS_RETENTION,
});
