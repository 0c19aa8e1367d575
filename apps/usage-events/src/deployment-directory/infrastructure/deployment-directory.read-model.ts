import type { EntityManager } from 'typeorm';
import { USAGE_EVENTS_SCHEMA } from '../../database/usage-events.schema';
import type { KnownDeployment } from '../domain/known-deployment';

const SCHEMA = USAGE_EVENTS_SCHEMA.schema;

/**
 * What the directory knows of each named deployment, by id; unknown ones are absent. Read through
 * the write's own transaction, though the directory is only eventually consistent with
 * deployment-approval: a deployment requested a moment ago may not be here yet.
 */
export async function knownDeployments(db: EntityManager, deploymentIds: readonly string[]): Promise<ReadonlyMap<string, KnownDeployment>> {
  if (deploymentIds.length === 0) return new Map();
  const rows: Array<{ deployment_id: string; employer_id: string; status: KnownDeployment['status'] }> = await db.query(
    `SELECT deployment_id, employer_id, status FROM ${SCHEMA}.deployments WHERE deployment_id = ANY ($1::uuid[])`,
    [[...new Set(deploymentIds)]],
  );
  return new Map(rows.map((r) => [r.deployment_id, { deploymentId: r.deployment_id, employerId: r.employer_id, status: r.status }]));
}
