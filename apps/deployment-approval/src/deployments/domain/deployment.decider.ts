import { DEPLOYMENT_STATUS_AFTER as STATUS_AFTER, type Actor } from '@aal/contracts';
import { assertNever, type Decider } from '@aal/domain';
import {
  activeSitesOutside,
  onOrAfterReviewDate,
  reviewDateIssues,
  rolesOutside,
  scopeIssues,
  sitesOutside,
  useOutside,
  utcDate,
  type ScopeIssue,
} from './approved-scope';
import { deploymentErrors } from './deployment.errors';
import {
  isApproved,
  type ApprovedDeployment,
  type Deployment,
  type DeploymentCommand,
  type DeploymentEvent,
  type DeploymentState,
  type DeploymentStatus,
  type Transition,
  type VersionCatalogueFacts,
} from './deployment.types';

type ExistingCommand = Exclude<DeploymentCommand, { kind: 'RequestDeployment' }>;

/** Approved and not yet ended: where revocation, expiry and usage policies apply (the review-date sweep selects these). */
export const LIVE = ['approved', 'active', 'suspended'] as const satisfies readonly DeploymentStatus[];

/** The statuses each command may start from; any other is an invalid transition. */
const ALLOWED_FROM: Record<ExistingCommand['kind'], readonly DeploymentStatus[]> = {
  ApproveDeployment: ['requested'],
  RejectDeployment: ['requested'],
  ActivateDeployment: ['approved'],
  SuspendDeployment: ['active'],
  ReinstateDeployment: ['suspended'],
  RevokeDeployment: LIVE,
  ExpireDeployment: LIVE,
  IssueUsagePolicy: LIVE,
  ChangeDeploymentScope: LIVE,
  ReviewDeployment: LIVE,
};

/** Access first (exists, caller's organisation is the employer), then the state machine. */
function target(state: DeploymentState, command: ExistingCommand): Deployment {
  if (state.status === 'none') throw deploymentErrors.notFound(command.deploymentId);
  if (state.employerId !== command.actor.organisationId)
    throw deploymentErrors.notOwner(command.deploymentId, command.actor.organisationId);
  if (!ALLOWED_FROM[command.kind].includes(state.status))
    throw deploymentErrors.invalidTransition(command.deploymentId, state.status, command.kind);
  return state;
}

/** For commands allowed only after approval; the check narrows the type to carry the approval. */
function approvedTarget(state: DeploymentState, command: ExistingCommand): ApprovedDeployment {
  const deployment = target(state, command);
  if (!isApproved(deployment)) throw deploymentErrors.invalidTransition(command.deploymentId, deployment.status, command.kind);
  return deployment;
}

/** Whoever asked for a deployment must not also decide on it (four-eyes rule). */
function refuseSelfDecision(deployment: Deployment, command: ExistingCommand): void {
  if (command.actor.personId === deployment.requestedBy.personId)
    throw deploymentErrors.selfApproval(command.deploymentId, command.actor.personId);
}

/**
 * A version may be put into use only while the catalogue knows it as a release of the deployment's
 * model, not withdrawn (whatever the withdrawal's effective time: the vendor has already said it
 * must go), and named by no unresolved critical safety notice.
 */
function refuseUnusableVersion(deployment: Deployment, catalogue: VersionCatalogueFacts): void {
  const version = catalogue.version;
  if (!version || version.versionId !== deployment.versionId || version.modelId !== deployment.modelId) {
    throw deploymentErrors.unknownVersion(deployment.modelId, deployment.versionId);
  }
  if (version.status === 'withdrawn') throw deploymentErrors.versionWithdrawn(version.versionId, version.withdrawnAt);
  const open = catalogue.notices
    .filter((n) => n.severity === 'critical' && n.resolvedAt === null && n.affectedVersionIds.includes(version.versionId))
    .map((n) => n.noticeId);
  if (open.length > 0) throw deploymentErrors.underCriticalNotice(version.versionId, open);
}

function outside(sites: readonly string[], allowed: readonly string[]): string[] {
  return sites.filter((site) => !allowed.includes(site));
}

/** Refuses a command that goes outside the deployment's approved scope; deployments approved before scopes (v1) have none to check. */
function refuseOutsideScope(deployment: ApprovedDeployment, command: ExistingCommand, issues: readonly ScopeIssue[]): void {
  if (issues.length > 0) throw deploymentErrors.outsideApprovedScope(deployment.deploymentId, command.kind, issues);
}

function transition(status: DeploymentStatus, by: Actor, at: string, reason?: string): Transition {
  return reason === undefined ? { status, by, at } : { status, by, at, reason };
}

function isLive(state: DeploymentState): state is ApprovedDeployment & { status: (typeof LIVE)[number] } {
  return (LIVE as readonly string[]).includes(state.status);
}

/**
 * An employer's deployment of one model version in one setting:
 * requested → approved | rejected; approved → active; active ⇄ suspended;
 * approved | active | suspended → revoked | expired. Usage policies may be issued once approved.
 * Only the employer's organisation may act on it, and nobody may decide on their own request.
 * Approval, activation and reinstatement also need the version to be usable per the model catalogue
 * facts the command carries (see `refuseUnusableVersion`).
 * An approval states a scope (approved-scope.ts): within what was requested and what the version is
 * intended for. Activation, reinstatement and usage policies must stay inside it and before its
 * review date, until a scope change or a review (approved, active or suspended deployments) moves
 * them. Deployments approved before scopes (deployment.approved v1) are checked as before: sites
 * against the requested setting.
 */
export const deploymentDecider: Decider<DeploymentCommand, DeploymentState, DeploymentEvent> = {
  initialState: { status: 'none' },

  decide(command, state) {
    switch (command.kind) {
      case 'RequestDeployment': {
        if (state.status !== 'none') throw deploymentErrors.invalidTransition(command.deploymentId, state.status, command.kind);
        const { kind: _k, occurredAt, ...rest } = command;
        return [{ name: 'deployment.requested', occurredAt, data: { ...rest, employerId: command.actor.organisationId } }];
      }
      case 'ApproveDeployment': {
        const deployment = target(state, command);
        refuseSelfDecision(deployment, command);
        refuseUnusableVersion(deployment, command.catalogue);
        const issues = scopeIssues(command.scope, deployment, command.catalogue.version?.population ?? null);
        if (issues.length > 0) throw deploymentErrors.scopeInvalid(deployment.deploymentId, issues);
        const { kind: _k, occurredAt, catalogue: _c, ...rest } = command;
        return [{ name: 'deployment.approved', occurredAt, data: { ...rest, employerId: deployment.employerId } }];
      }
      case 'RejectDeployment': {
        const deployment = target(state, command);
        refuseSelfDecision(deployment, command);
        const { kind: _k, occurredAt, ...rest } = command;
        return [{ name: 'deployment.rejected', occurredAt, data: { ...rest, employerId: deployment.employerId } }];
      }
      case 'ActivateDeployment': {
        const deployment = approvedTarget(state, command);
        if (deployment.scope) {
          refuseOutsideScope(deployment, command, [
            ...sitesOutside(command.sites, deployment.scope),
            ...onOrAfterReviewDate(command.effectiveAt, deployment.reviewDate, '/effectiveAt'),
          ]);
        } else {
          const unapproved = outside(command.sites, deployment.setting.sites);
          if (unapproved.length > 0) throw deploymentErrors.siteNotApproved(unapproved);
        }
        refuseUnusableVersion(deployment, command.catalogue);
        const { kind: _k, occurredAt, catalogue: _c, ...rest } = command;
        return [{ name: 'deployment.activated', occurredAt, data: { ...rest, employerId: deployment.employerId } }];
      }
      case 'SuspendDeployment': {
        const deployment = approvedTarget(state, command);
        const { kind: _k, occurredAt, ...rest } = command;
        return [{ name: 'deployment.suspended', occurredAt, data: { ...rest, employerId: deployment.employerId } }];
      }
      case 'ReinstateDeployment': {
        const deployment = approvedTarget(state, command);
        if (deployment.scope) {
          refuseOutsideScope(deployment, command, [
            ...activeSitesOutside(deployment.activeSites ?? [], deployment.scope),
            ...onOrAfterReviewDate(command.effectiveAt, deployment.reviewDate, '/effectiveAt'),
          ]);
        }
        refuseUnusableVersion(deployment, command.catalogue);
        const { kind: _k, occurredAt, catalogue: _c, ...rest } = command;
        return [{ name: 'deployment.reinstated', occurredAt, data: { ...rest, employerId: deployment.employerId } }];
      }
      case 'RevokeDeployment': {
        const deployment = approvedTarget(state, command);
        const { kind: _k, occurredAt, ...rest } = command;
        return [{ name: 'deployment.revoked', occurredAt, data: { ...rest, employerId: deployment.employerId } }];
      }
      case 'ExpireDeployment': {
        const deployment = approvedTarget(state, command);
        // Review dates are calendar dates; the day is read in UTC, as every stored time is.
        const today = utcDate(command.occurredAt);
        if (today < deployment.reviewDate) throw deploymentErrors.notYetDue(deployment.reviewDate, today);
        const { deploymentId, actor, occurredAt } = command;
        return [
          {
            name: 'deployment.expired',
            occurredAt,
            data: { deploymentId, employerId: deployment.employerId, effectiveAt: occurredAt, reviewDate: deployment.reviewDate, actor },
          },
        ];
      }
      case 'IssueUsagePolicy': {
        const deployment = approvedTarget(state, command);
        if (deployment.policies.some((p) => p.policyId === command.policyId)) throw deploymentErrors.policyExists(command.policyId);
        if (deployment.scope) {
          refuseOutsideScope(deployment, command, [
            ...sitesOutside(command.sites, deployment.scope),
            ...rolesOutside(command.roles, deployment.scope),
            ...useOutside(command.use, deployment.scope),
            ...onOrAfterReviewDate(command.effectiveFrom, deployment.reviewDate, '/effectiveFrom'),
          ]);
        } else {
          const unapproved = outside(command.sites, deployment.setting.sites);
          if (unapproved.length > 0) throw deploymentErrors.siteNotApproved(unapproved);
        }
        if (command.effectiveUntil !== undefined && Date.parse(command.effectiveUntil) <= Date.parse(command.effectiveFrom)) {
          throw deploymentErrors.policyPeriodInvalid(command.effectiveFrom, command.effectiveUntil);
        }
        const { kind: _k, occurredAt, ...rest } = command;
        return [{ name: 'usage-policy.issued', occurredAt, data: { ...rest, employerId: deployment.employerId } }];
      }
      case 'ChangeDeploymentScope': {
        const deployment = approvedTarget(state, command);
        const issues = scopeIssues(command.scope, deployment, command.catalogue.version?.population ?? null);
        if (issues.length > 0) throw deploymentErrors.scopeInvalid(deployment.deploymentId, issues);
        const early = reviewDateIssues(command.reviewDate, command.effectiveAt, '/reviewDate');
        if (early.length > 0) throw deploymentErrors.reviewDateTooEarly(deployment.deploymentId, early);
        const { kind: _k, occurredAt, catalogue: _c, ...rest } = command;
        return [{ name: 'deployment.scope-changed', occurredAt, data: { ...rest, employerId: deployment.employerId } }];
      }
      case 'ReviewDeployment': {
        const deployment = approvedTarget(state, command);
        const early = reviewDateIssues(command.nextReviewDate, command.effectiveAt, '/nextReviewDate');
        if (early.length > 0) throw deploymentErrors.reviewDateTooEarly(deployment.deploymentId, early);
        const { kind: _k, occurredAt, ...rest } = command;
        return [{ name: 'deployment.reviewed', occurredAt, data: { ...rest, employerId: deployment.employerId } }];
      }
      default:
        return assertNever(command);
    }
  },

  // Each event's resulting status comes from the contracts' table; the guards are this decider's own rules.
  evolve(state, event) {
    switch (event.name) {
      case 'deployment.requested': {
        if (state.status !== 'none') return state;
        const { actor, ...facts } = event.data;
        const status = STATUS_AFTER[event.name];
        return { ...facts, status, requestedBy: actor, policies: [], transitions: [transition(status, actor, event.occurredAt)] };
      }
      case 'deployment.approved': {
        if (state.status !== 'requested') return state;
        const { actor, conditions, hazardLogRef, reviewDate } = event.data;
        const status = STATUS_AFTER[event.name];
        return {
          ...state,
          status,
          approvedBy: actor,
          conditions,
          hazardLogRef,
          reviewDate,
          ...('scope' in event.data ? { scope: event.data.scope } : {}),
          transitions: [...state.transitions, transition(status, actor, event.occurredAt)],
        };
      }
      case 'deployment.rejected': {
        if (state.status !== 'requested') return state;
        const { actor, reason } = event.data;
        const status = STATUS_AFTER[event.name];
        return { ...state, status, transitions: [...state.transitions, transition(status, actor, event.occurredAt, reason)] };
      }
      case 'deployment.activated': {
        if (state.status !== 'approved') return state;
        const { actor, sites, effectiveAt } = event.data;
        const status = STATUS_AFTER[event.name];
        return {
          ...state,
          status,
          activatedBy: actor,
          activeSites: sites,
          transitions: [...state.transitions, transition(status, actor, effectiveAt)],
        };
      }
      case 'deployment.suspended': {
        if (state.status !== 'active') return state;
        const { actor, effectiveAt, reason } = event.data;
        const status = STATUS_AFTER[event.name];
        return { ...state, status, transitions: [...state.transitions, transition(status, actor, effectiveAt, reason)] };
      }
      case 'deployment.reinstated': {
        if (state.status !== 'suspended') return state;
        const { actor, effectiveAt, reason } = event.data;
        const status = STATUS_AFTER[event.name];
        return { ...state, status, transitions: [...state.transitions, transition(status, actor, effectiveAt, reason)] };
      }
      case 'deployment.revoked': {
        if (!isLive(state)) return state;
        const { actor, effectiveAt, reason } = event.data;
        const status = STATUS_AFTER[event.name];
        return { ...state, status, transitions: [...state.transitions, transition(status, actor, effectiveAt, reason)] };
      }
      case 'deployment.expired': {
        if (!isLive(state)) return state;
        const { actor, effectiveAt } = event.data;
        const status = STATUS_AFTER[event.name];
        return { ...state, status, transitions: [...state.transitions, transition(status, actor, effectiveAt)] };
      }
      case 'deployment.scope-changed': {
        if (!isLive(state)) return state;
        return { ...state, scope: event.data.scope, reviewDate: event.data.reviewDate };
      }
      case 'deployment.reviewed': {
        if (!isLive(state)) return state;
        return { ...state, reviewDate: event.data.nextReviewDate };
      }
      case 'usage-policy.issued': {
        if (state.status === 'none') return state;
        const { deploymentId: _d, employerId: _e, actor, ...policy } = event.data;
        return { ...state, policies: [...state.policies, { ...policy, issuedBy: actor, issuedAt: event.occurredAt }] };
      }
      default:
        return assertNever(event);
    }
  },
};
