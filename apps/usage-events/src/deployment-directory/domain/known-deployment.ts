/** A deployment's status as deployment-approval's events leave it. */
export type DeploymentStatus = 'requested' | 'approved' | 'rejected' | 'active' | 'suspended' | 'revoked' | 'expired';

/** A deployment as this service's directory knows it from deployment-approval's events. */
export interface KnownDeployment {
  readonly deploymentId: string;
  /** The organisation whose deployment it is; the only one whose clinical systems may report its outputs. */
  readonly employerId: string;
  readonly status: DeploymentStatus;
}

/** The status each deployment event leaves a deployment in; deployment-approval's other events are not about deployments' status. */
export const STATUS_AFTER: Readonly<Record<string, DeploymentStatus>> = {
  'aal.deployment.requested.v1': 'requested',
  'aal.deployment.approved.v1': 'approved',
  'aal.deployment.rejected.v1': 'rejected',
  'aal.deployment.activated.v1': 'active',
  'aal.deployment.suspended.v1': 'suspended',
  'aal.deployment.reinstated.v1': 'active',
  'aal.deployment.revoked.v1': 'revoked',
  'aal.deployment.expired.v1': 'expired',
};
