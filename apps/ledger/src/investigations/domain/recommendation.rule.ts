import { FINDINGS } from '@aal/accountability';
import type { Actor, RecommendationAddressee, RecommendationArisesFrom, RecommendationParty } from '@aal/contracts';
import type { Role } from '@aal/auth';
import { recommendationErrors } from './recommendation.errors';

/**
 * Who responds for the addressee, by the capacity it is addressed in: the vendor's safety officer;
 * the employer's clinical safety officer (approver) or its administrator (who suspends, revokes and
 * issues policies); a professional body or regulator in its regulator role. Written once here:
 * the route admits exactly these roles, docs/security.md lists them.
 */
export const RESPONDING_ROLES = {
  vendor: ['vendor-safety-officer'],
  employer: ['employer-approver', 'employer-admin'],
  'professional-body': ['regulator'],
  regulator: ['regulator'],
} as const satisfies Record<RecommendationParty, readonly Role[]>;

/** Every role that may respond to some recommendation, once each (a non-empty list, as a route's roles are). */
export const RESPONDENT_ROLES = [...new Set(Object.values(RESPONDING_ROLES).flat())] as [Role, ...Role[]];

/** Where a recommendation stands, in the case's state. */
export type RecommendationStatus = 'recorded' | 'accepted' | 'completed' | 'rejected';

export interface RecommendationState {
  readonly recommendationId: string;
  readonly addressee: RecommendationAddressee;
  readonly dueBy: string;
  readonly status: RecommendationStatus;
}

/** A response, as the addressee gives it. */
export type RecommendationResponse =
  | { readonly kind: 'accepted'; readonly plan: string }
  | { readonly kind: 'completed'; readonly reference: string }
  | { readonly kind: 'rejected'; readonly reasons: string };

/** A recommendation to record: due after it is recorded, linking only findings the ledger defines, on a version or deployment. */
export function checkNewRecommendation(dueBy: string, arisesFrom: RecommendationArisesFrom | undefined, occurredAt: string): void {
  if (!(Date.parse(dueBy) > Date.parse(occurredAt))) throw recommendationErrors.dueInPast(dueBy, occurredAt);
  if (!arisesFrom) return;
  if (arisesFrom.versionId === undefined && arisesFrom.deploymentId === undefined) throw recommendationErrors.noTarget();
  const unknown = arisesFrom.findingCodes.filter((code) => !Object.hasOwn(FINDINGS, code));
  if (unknown.length > 0) throw recommendationErrors.unknownFindingCodes(unknown);
}

/**
 * A response MUST come from the addressee organisation, in a role that responds for its capacity,
 * and follow the order recorded → accepted → completed or rejected (completion or rejection may
 * come without an acceptance; nothing follows them). A closed case still takes responses: acting on
 * its recommendations outlasts the investigation.
 */
export function checkResponse(recommendation: RecommendationState, response: RecommendationResponse, actor: Actor): void {
  const { recommendationId, addressee, status } = recommendation;
  if (actor.organisationId !== addressee.organisationId)
    throw recommendationErrors.notAddressee(recommendationId, addressee.organisationId, actor);
  const roles: readonly string[] = RESPONDING_ROLES[addressee.party];
  if (!roles.includes(actor.role)) throw recommendationErrors.roleNotRespondent(recommendationId, addressee.party, actor.role, roles);
  if (status === 'completed' || status === 'rejected') throw recommendationErrors.closed(recommendationId, status);
  if (status === 'accepted' && response.kind === 'accepted') throw recommendationErrors.alreadyAccepted(recommendationId);
}
