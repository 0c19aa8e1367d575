import type { Actor } from '@aal/contracts';
import type { Grant, Role } from './roles';

/**
 * Who is calling, as established from a verified token: the pseudonymous person, their
 * organisation, every role the token grants, and any extra grants. `caller` is the identity an
 * event records: the same person acting in the one role the route admitted them in.
 */
export interface Principal {
  readonly organisationId: string;
  readonly personId: string;
  readonly roles: readonly Role[];
  readonly grants: readonly Grant[];
  readonly tokenId?: string;
}

export interface AuthenticatedRequestContext {
  readonly principal: Principal;
  readonly caller: Actor;
}

/** May this principal read records of `organisationId`? Its own always; others only with a grant. */
export function canReadOrganisation(principal: Principal, organisationId: string): boolean {
  return (
    principal.organisationId === organisationId || (principal.roles.includes('auditor') && principal.grants.includes('all-organisations'))
  );
}
