import { MIGRATIONS_RETENTION, retentionTable } from '@aal/database';
import { OUTBOX_RETENTION } from '@aal/outbox';
import { AGGREGATES_RETENTION } from '@aal/service-kit';

/** The retention of every usage-events table (docs/retention.md). */
export const USAGE_EVENTS_RETENTION = retentionTable('usage_events', {
  idempotency_keys: {
    kind: 'purged',
    age: 'created_at',
    defaultDays: 7,
    // The API promises a retried request is answered from its key for at least 24 hours.
    floor: { days: 1, why: 'an Idempotency-Key is honoured for at least 24 hours (docs/decisions.md)' },
    why: 'the response first sent for each Idempotency-Key, so a retry gets the same answer; not evidence: the events it answered are in the log',
  },
  outbox: OUTBOX_RETENTION,
  aggregates: AGGREGATES_RETENTION,
  deployments: {
    kind: 'kept',
    why: "the service's directory of deployments (owner, status, scope), fed from Kafka; one row per deployment",
  },
  schema_migrations: MIGRATIONS_RETENTION,
});
