import {
  findEventDefinition,
  type CloudEvent,
  type DeploymentRequestedV1,
  type EventData,
  type ModelVersionReleasedV1,
  type ModelVersionReleasedV2,
} from '@aal/contracts';
import type { EntityManager } from 'typeorm';

/** The catalogue name of a valid event, whatever its schema version: what the directory keeps is in each. */
const nameOf = (event: CloudEvent<unknown>) => findEventDefinition(event.type)?.name;

export type DirectoryChange = 'applied' | 'unchanged' | 'ignored';

/** Applies one valid event to a party directory's tables, idempotently. */
export type ApplyDirectoryEvent = (db: EntityManager, event: CloudEvent<unknown>) => Promise<DirectoryChange>;

/**
 * The projections of a service that takes reports about versions and deployments from people who
 * are not their parties (concerns, incidents): who the vendor of a released version is, and the
 * employer, model and version of a requested deployment, in the service's own `model_versions`
 * and `deployments` tables of `schema`. Both facts never change once published, so each is
 * inserted once and a redelivered event changes nothing. Other events are ignored: a report may be
 * about a withdrawn version, or a deployment in any state.
 */
export function partyDirectory(schema: string): {
  applyModelRegistryEvent: ApplyDirectoryEvent;
  applyDeploymentEvent: ApplyDirectoryEvent;
} {
  return {
    async applyModelRegistryEvent(db, event) {
      if (nameOf(event) !== 'model.version.released') return 'ignored';
      // Every version of the release names the model, version and vendor alike.
      const d = event.data as EventData<typeof ModelVersionReleasedV1 | typeof ModelVersionReleasedV2>;
      const rows: unknown[] = await db.query(
        `INSERT INTO ${schema}.model_versions (version_id, model_id, vendor_id, last_event_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (version_id) DO NOTHING RETURNING version_id`,
        [d.versionId, d.modelId, d.vendorId, event.id],
      );
      return rows.length > 0 ? 'applied' : 'unchanged';
    },
    async applyDeploymentEvent(db, event) {
      if (nameOf(event) !== 'deployment.requested') return 'ignored';
      const d = event.data as EventData<typeof DeploymentRequestedV1>;
      const rows: unknown[] = await db.query(
        `INSERT INTO ${schema}.deployments (deployment_id, employer_id, model_id, version_id, last_event_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (deployment_id) DO NOTHING RETURNING deployment_id`,
        [d.deploymentId, d.employerId, d.modelId, d.versionId, event.id],
      );
      return rows.length > 0 ? 'applied' : 'unchanged';
    },
  };
}
