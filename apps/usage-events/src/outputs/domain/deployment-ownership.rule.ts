import type { KnownDeployment } from '../../deployment-directory/domain/known-deployment';
import { outputErrors } from './output.errors';

/**
 * An organisation reports outputs only of its own deployments. `deployment` is what the
 * deployment directory knew when the report was handled (null: not known). The deployment's
 * status is deliberately not checked: an output of a suspended, revoked or not yet approved
 * deployment is a fact the ledger reports as a finding, and refusing it would lose the record.
 * @throws DomainError OUTPUT.UNKNOWN_DEPLOYMENT (rule-violated; retryable, as the directory may lag)
 * @throws DomainError OUTPUT.DEPLOYMENT_OF_OTHER_ORGANISATION (forbidden)
 */
export function assertOwnDeployment(
  facts: { readonly deploymentId: string; readonly organisationId: string },
  deployment: KnownDeployment | null,
): void {
  if (deployment === null || deployment.deploymentId !== facts.deploymentId) throw outputErrors.unknownDeployment(facts.deploymentId);
  if (deployment.employerId !== facts.organisationId)
    throw outputErrors.deploymentOfOtherOrganisation(facts.deploymentId, facts.organisationId);
}
