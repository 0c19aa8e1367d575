import {
  findEventDefinition,
  type CloudEvent,
  type DeploymentRequestedV1,
  type EventData,
  type ModelVersionReleasedV1,
  type ModelVersionReleasedV2,
} from '@aal/contracts';
import type { EntityManager } from 'typeorm';
import { INCIDENTS_SCHEMA } from '../../database/incidents.schema';

const SCHEMA = INCIDENTS_SCHEMA.schema;

/** The catalogue name of a valid event, whatever its schema version: what the directory keeps is in each. */
const nameOf = (event: CloudEvent<unknown>) => findEventDefinition(event.type)?.name;

export type DirectoryChange = 'applied' | 'unchanged' | 'ignored';

/**
 * Applies one valid model-registry event: a released version's model and vendor, inserted once
 * (released facts never change), so a redelivered event changes nothing. Other events are ignored:
 * an incident may arise with a withdrawn version too.
 */
export async function applyModelRegistryEvent(db: EntityManager, event: CloudEvent<unknown>): Promise<DirectoryChange> {
  if (nameOf(event) !== 'model.version.released') return 'ignored';
  // Every version of the release names the model, version and vendor alike.
  const d = event.data as EventData<typeof ModelVersionReleasedV1 | typeof ModelVersionReleasedV2>;
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
 * policies and training records are ignored: an incident may arise in a deployment in any state.
 */
export async function applyDeploymentEvent(db: EntityManager, event: CloudEvent<unknown>): Promise<DirectoryChange> {
  if (nameOf(event) !== 'deployment.requested') return 'ignored';
  const d = event.data as EventData<typeof DeploymentRequestedV1>;
  const rows: unknown[] = await db.query(
    `INSERT INTO ${SCHEMA}.deployments (deployment_id, employer_id, model_id, version_id, last_event_id) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (deployment_id) DO NOTHING RETURNING deployment_id`,
    [d.deploymentId, d.employerId, d.modelId, d.versionId, event.id],
  );
  return rows.length > 0 ? 'applied' : 'unchanged';
}
