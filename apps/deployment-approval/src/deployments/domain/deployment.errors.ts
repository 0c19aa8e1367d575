import { DomainError } from '@aal/domain';
import { partsOf, type ScopeIssue } from './approved-scope';
import type { DeploymentCommandKind, DeploymentStatus } from './deployment.types';

/** The problem's `errors[]`: each issue's pointer, rule and sentence (its part is summed up in `parts`). */
const asErrors = (issues: readonly ScopeIssue[]) => issues.map(({ pointer, rule, detail }) => ({ pointer, rule, detail }));

export const deploymentErrors = {
  notFound: (deploymentId: string) =>
    new DomainError('DEPLOYMENT.NOT_FOUND', 'not-found', `deployment ${deploymentId} does not exist`, { deploymentId }),
  notOwner: (deploymentId: string, organisationId: string) =>
    new DomainError(
      'DEPLOYMENT.NOT_OWNER',
      'forbidden',
      `organisation ${organisationId} is not the employer of deployment ${deploymentId}; only the employer may act on it`,
      { deploymentId },
    ),
  invalidTransition: (deploymentId: string, from: DeploymentStatus | 'none', command: DeploymentCommandKind) =>
    new DomainError('DEPLOYMENT.INVALID_TRANSITION', 'conflict', `${command} is not allowed on a deployment that is ${from}`, {
      deploymentId,
      from,
      command,
    }),
  selfApproval: (deploymentId: string, personId: string) =>
    new DomainError(
      'DEPLOYMENT.SELF_APPROVAL',
      'rule-violated',
      `${personId} requested deployment ${deploymentId} and so cannot also decide on it; another person must approve or reject it`,
      { deploymentId },
    ),
  siteNotApproved: (sites: readonly string[]) =>
    new DomainError(
      'DEPLOYMENT.SITE_NOT_APPROVED',
      'rule-violated',
      `site(s) ${sites.join(', ')} are not in the setting this deployment was requested and approved for`,
      { sites },
    ),
  scopeInvalid: (deploymentId: string, issues: readonly ScopeIssue[]) =>
    new DomainError(
      'DEPLOYMENT.SCOPE_INVALID',
      'rule-violated',
      `the scope goes beyond what was requested or what the version is intended for (${partsOf(issues).join(', ')}): ` +
        issues.map((i) => i.detail).join('; '),
      { deploymentId, parts: partsOf(issues), errors: asErrors(issues) },
    ),
  outsideApprovedScope: (deploymentId: string, command: DeploymentCommandKind, issues: readonly ScopeIssue[]) =>
    new DomainError(
      'DEPLOYMENT.OUTSIDE_APPROVED_SCOPE',
      'rule-violated',
      `${command} goes outside the approved scope of deployment ${deploymentId} (${partsOf(issues).join(', ')}): ` +
        `${issues.map((i) => i.detail).join('; ')}. A clinical safety officer must first record a scope change` +
        (issues.some((i) => i.part === 'reviewDate') ? ' or a renewed review' : ''),
      { deploymentId, command, parts: partsOf(issues), errors: asErrors(issues) },
    ),
  reviewDateTooEarly: (deploymentId: string, issues: readonly ScopeIssue[]) =>
    new DomainError('DEPLOYMENT.REVIEW_DATE_TOO_EARLY', 'rule-violated', issues.map((i) => i.detail).join('; '), {
      deploymentId,
      errors: asErrors(issues),
    }),
  notYetDue: (reviewDate: string, today: string) =>
    new DomainError('DEPLOYMENT.NOT_YET_DUE', 'rule-violated', `the approval runs until its review date ${reviewDate}; today is ${today}`, {
      reviewDate,
      today,
    }),
  policyPeriodInvalid: (effectiveFrom: string, effectiveUntil: string) =>
    new DomainError(
      'DEPLOYMENT.POLICY_PERIOD_INVALID',
      'rule-violated',
      `a usage policy must end (${effectiveUntil}) after it starts (${effectiveFrom})`,
      { effectiveFrom, effectiveUntil },
    ),
  policyExists: (policyId: string) =>
    new DomainError('DEPLOYMENT.POLICY_EXISTS', 'conflict', `usage policy ${policyId} already exists`, { policyId }),
  unknownVersion: (modelId: string, versionId: string) =>
    new DomainError(
      'DEPLOYMENT.UNKNOWN_VERSION',
      'rule-violated',
      `version ${versionId} of model ${modelId} is not in this service's model catalogue: either model-registry never released it ` +
        `for that model, or its events have not arrived here yet (try again shortly)`,
      { modelId, versionId },
    ),
  versionWithdrawn: (versionId: string, withdrawnAt: string | null) =>
    new DomainError(
      'DEPLOYMENT.VERSION_WITHDRAWN',
      'rule-violated',
      `version ${versionId} was withdrawn by its vendor${withdrawnAt ? ` (effective ${withdrawnAt})` : ''} and can no longer be approved or put into use`,
      { versionId, withdrawnAt },
    ),
  underCriticalNotice: (versionId: string, noticeIds: readonly string[]) =>
    new DomainError(
      'DEPLOYMENT.UNDER_CRITICAL_NOTICE',
      'rule-violated',
      `version ${versionId} is affected by unresolved critical safety notice ${noticeIds.join(', ')}; ` +
        `it cannot be approved or put into use until the vendor resolves the notice`,
      { versionId, noticeId: noticeIds[0], noticeIds },
    ),
};
