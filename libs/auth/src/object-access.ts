import { DomainError } from '@aal/domain';
import { canReadOrganisation, type Principal } from './principal';

/**
 * Object-level read check: a record of another organisation is refused unless the caller is an
 * auditor holding the all-organisations grant. Writes never pass through here: the deciders
 * check ownership against the actor, who always comes from the token.
 */
export function assertCanRead(principal: Principal, owner: string, what: string, id: string): void {
  if (!canReadOrganisation(principal, owner)) {
    throw new DomainError(
      'AUTH.OTHER_ORGANISATION',
      'forbidden',
      `${what} ${id} belongs to another organisation; organisation ${principal.organisationId} cannot read it`,
      {
        id,
      },
    );
  }
}

/**
 * The same check for a record several organisations share (a concern: the organisation that took
 * it in and those that must answer it): readable by any of them, or with the grant.
 */
export function assertCanReadAny(principal: Principal, owners: readonly string[], what: string, id: string): void {
  if (!owners.some((owner) => canReadOrganisation(principal, owner))) {
    throw new DomainError(
      'AUTH.OTHER_ORGANISATION',
      'forbidden',
      `${what} ${id} belongs to other organisations (${owners.join(', ')}); organisation ${principal.organisationId} cannot read it`,
      { id },
    );
  }
}

/** The organisation a list may show: the caller's own, or any with the grant (then `requested` or all). */
export function readableOrganisation(principal: Principal, requested: string | undefined): string | undefined {
  if (requested === undefined) return canReadOrganisation(principal, '\u0000any') ? undefined : principal.organisationId;
  if (!canReadOrganisation(principal, requested)) {
    throw new DomainError(
      'AUTH.OTHER_ORGANISATION',
      'forbidden',
      `organisation ${principal.organisationId} cannot list records of organisation ${requested}`,
      {},
    );
  }
  return requested;
}

/**
 * Reads that span every organisation (raw log entries, entry bundles) need the auditor's
 * all-organisations grant, whatever the route's role.
 */
export function assertAllOrganisations(principal: Principal, what: string): void {
  if (!principal.grants.includes('all-organisations')) {
    throw new DomainError(
      'AUTH.GRANT_REQUIRED',
      'forbidden',
      `${what} span every organisation; reading them needs the all-organisations grant`,
      {
        requiredGrant: 'all-organisations',
      },
    );
  }
}
