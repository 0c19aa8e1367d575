import type { CloudEvent, DeploymentRequestedV1, EventData, ModelVersionReleasedV1 } from '@aal/contracts';
import type { EntityManager } from 'typeorm';
import { CONCERNS_SCHEMA } from '../../database/concerns.schema';

const SCHEMA = CONCERNS_SCHEMA.schema;

export type DirectoryChange = 'applied' | 'unchanged' | 'ignored';

/**
 * Applies one valid model-registry event: a released version's model and vendor, inserted once
 * (released facts never change), so a redelivered event changes nothing. Other events are ignored:
 * a concern may be raised about a withdrawn version too.
 */
export async function applyModelRegistryEvent(db: EntityManager, event: CloudEvent<unknown>): Promise<DirectoryChange> {
  if (event.type !== 'aal.model.version.released.v1') return 'ignored';
  const d = event.data as EventData<typeof ModelVersionReleasedV1>;
  const rows: unknown[] = await db.query(
    `INSERT INTO ${SCHEMA}.model_versions (version_id, model_id, vendor_id, last_event_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (version_id) DO NOTHING RETURNING version_id`,
    [d.versionId, d.modelId, d.vendorId, event.id],
  );
  return rows.length > 0 ? 'applied' : 'unchanged';
}

/**
 * Applies one valid deployment-approval event: a requested deployment's employer, model and
 * version, inserted once (deployment-approval never changes them). Later lifecycle events, usage
 * policies and training records are ignored: a concern may be raised about a deployment in any state.
 */
export async function applyDeploymentEvent(db: EntityManager, event: CloudEvent<unknown>): Promise<DirectoryChange> {
  if (event.type !== 'aal.deployment.requested.v1') return 'ignored';
  const d = event.data as EventData<typeof DeploymentRequestedV1>;
  const rows: unknown[] = await db.query(
    `INSERT INTO ${SCHEMA}.deployments (deployment_id, employer_id, model_id, version_id, last_event_id) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (deployment_id) DO NOTHING RETURNING deployment_id`,
    [d.deploymentId, d.employerId, d.modelId, d.versionId, event.id],
  );
  return rows.length > 0 ? 'applied' : 'unchanged';
}
