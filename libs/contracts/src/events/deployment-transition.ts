import { Actor, Id, OrganisationId, Timestamp } from '../common.schema';

/**
 * The lifecycle transitions after approval share these properties: which deployment, whose,
 * from when, by whom. Each event adds what the transition itself needs.
 */
export const deploymentTransitionProperties = {
  deploymentId: Id,
  employerId: OrganisationId,
  effectiveAt: Timestamp,
  actor: Actor,
};
