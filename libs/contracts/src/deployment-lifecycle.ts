import type { CatalogueName } from './catalogue';

/**
 * Every status a deployment can be in, as deployment-approval's events leave it. The one list:
 * the deployment decider, usage-events' deployment directory (whose CHECK constraint a test holds
 * equal to it) and the ledger's accountability chain all read it.
 */
export const DEPLOYMENT_STATUSES = ['requested', 'approved', 'rejected', 'active', 'suspended', 'revoked', 'expired'] as const;

export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/**
 * The status each deployment-approval event leaves its deployment in, or null for an event that
 * changes no deployment's status. Keyed by every event of that producer in the catalogue, so a new
 * one does not compile until it says which. Which status an event may follow is the deployment
 * decider's rule, not this table's.
 */
export const DEPLOYMENT_STATUS_AFTER = {
  'deployment.requested': 'requested',
  'deployment.approved': 'approved',
  'deployment.rejected': 'rejected',
  'deployment.activated': 'active',
  'deployment.suspended': 'suspended',
  'deployment.reinstated': 'active',
  'deployment.revoked': 'revoked',
  'deployment.expired': 'expired',
  'deployment.scope-changed': null,
  'deployment.reviewed': null,
  'usage-policy.issued': null,
  'training.recorded': null,
} as const satisfies { readonly [N in CatalogueName<'deployment-approval'>]: DeploymentStatus | null };

type StatusTable = typeof DEPLOYMENT_STATUS_AFTER;

/** The catalogue names of the events that change a deployment's status (its lifecycle). */
export type DeploymentLifecycleEventName = { [N in keyof StatusTable]: StatusTable[N] extends null ? never : N }[keyof StatusTable];

/** Whether events of this catalogue name change a deployment's status; false for any name outside the table. */
export function isDeploymentLifecycleEvent(name: string): name is DeploymentLifecycleEventName {
  return Object.hasOwn(DEPLOYMENT_STATUS_AFTER, name) && DEPLOYMENT_STATUS_AFTER[name as keyof StatusTable] !== null;
}
