import { DEPLOYMENT_STATUS_AFTER, findEventDefinition, isDeploymentLifecycleEvent, type CloudEvent } from '@aal/contracts';
import type { EventPosition } from '@aal/service-kit';
import type { EntityManager } from 'typeorm';
import { USAGE_EVENTS_SCHEMA } from '../../database/usage-events.schema';

const SCHEMA = USAGE_EVENTS_SCHEMA.schema;

export type DirectoryChange = 'applied' | 'unchanged' | 'ignored';

/**
 * Applies one valid deployment-approval event to `usage_events.deployments`. Events of one
 * deployment share a Kafka key (`deployment/<id>`), so they arrive in the order deployment-approval
 * committed them; the row takes the status of the latest. Each event is applied once: one whose id
 * the row already lists (a redelivered batch, or a copy the outbox relay published twice) changes
 * nothing. Any deployment event creates the row when it is the first one seen. The employer is
 * the first event's and never changes (deployment-approval never changes it either): an event
 * naming another employer is left unapplied. Usage policies and training records are ignored.
 */
export async function applyDeploymentEvent(db: EntityManager, event: CloudEvent<unknown>, at: EventPosition): Promise<DirectoryChange> {
  const name = findEventDefinition(event.type)?.name ?? '';
  if (!isDeploymentLifecycleEvent(name)) return 'ignored';
  const status = DEPLOYMENT_STATUS_AFTER[name];
  // Every deployment event's data carries both (libs/contracts/src/events/deployment-*.v1.ts).
  const { deploymentId, employerId } = event.data as { deploymentId: string; employerId: string };
  const rows: unknown[] = await db.query(
    `INSERT INTO ${SCHEMA}.deployments AS d
            (deployment_id, employer_id, status, updated_at, last_event_id, last_partition, last_offset, applied_event_ids)
     VALUES ($1, $2, $3, $4, $5, $6, $7, ARRAY[$5])
     ON CONFLICT (deployment_id) DO UPDATE
        SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at, last_event_id = EXCLUDED.last_event_id,
            last_partition = EXCLUDED.last_partition, last_offset = EXCLUDED.last_offset,
            applied_event_ids = d.applied_event_ids || EXCLUDED.last_event_id
      WHERE NOT (EXCLUDED.last_event_id = ANY (d.applied_event_ids)) AND d.employer_id = EXCLUDED.employer_id
     RETURNING deployment_id`,
    [deploymentId, employerId, status, event.time, event.id, at.partition, at.offset],
  );
  return rows.length > 0 ? 'applied' : 'unchanged';
}
