import { DomainError } from '@aal/domain';
import { canReadOrganisation, type Principal } from './principal';

/**
 * Object-level read check: a record of another organisation is refused unless the caller is an
 * auditor holding the all-organisations grant. Writes never pass through here: the deciders
 * check ownership against the actor, who always comes from the token.
 */
export function assertCanRead(principal: Principal, owner: string, what: string, id: string): void {
  if (!canReadOrganisation(principal, owner)) {
    throw new DomainError('AUTH.OTHER_ORGANISATION', 'forbidden', `${what} ${id} belongs to another organisation; organisation ${principal.organisationId} cannot read it`, {
      id,
    });
  }
}

/** The organisation a list may show: the caller's own, or any with the grant (then `requested` or all). */
export function readableOrganisation(principal: Principal, requested: string | undefined): string | undefined {
  if (requested === undefined) return canReadOrganisation(principal, '\u0000any') ? undefined : principal.organisationId;
  if (!canReadOrganisation(principal, requested)) {
    throw new DomainError('AUTH.OTHER_ORGANISATION', 'forbidden', `organisation ${principal.organisationId} cannot list records of organisation ${requested}`, {});
  }
  return requested;
}
