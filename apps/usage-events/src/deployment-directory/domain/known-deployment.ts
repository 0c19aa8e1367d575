import type { DeploymentStatus } from '@aal/contracts';

/** A deployment as this service's directory knows it from deployment-approval's events. */
export interface KnownDeployment {
  readonly deploymentId: string;
  /** The organisation whose deployment it is; the only one whose clinical systems may report its outputs. */
  readonly employerId: string;
  readonly status: DeploymentStatus;
}
