import { OrganisationId, Pseudonym, validateAgainst } from '@aal/contracts';
import { AuthenticationError } from '@aal/http';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { readFileSync } from 'node:fs';
import { DEFAULT_JWKS_REFETCH_COOLDOWN_SECONDS, type AuthSettings, type JwksSource } from './auth-settings';
import type { Principal } from './principal';
import { isGrant, isRole } from './roles';
import { VerifiedTokens } from './verified-tokens';

/** How long a fetched remote key set is trusted before it is fetched again. */
const JWKS_CACHE_MAX_AGE_MS = 10 * 60_000;

export type TokenVerifier = (token: string) => Promise<Principal>;

/**
 * Verifies bearer JWTs against the settings' pinned issuer, audience, algorithms and key set. A
 * token verified once is answered from memory (`VerifiedTokens`) until its `exp` (with the clock
 * tolerance) or for a minute at most; `now` is the clock both use.
 */
export function createTokenVerifier(settings: AuthSettings, now: () => number = Date.now): TokenVerifier {
  const keys = keySet(settings.jwks, (settings.jwksRefetchCooldownSeconds ?? DEFAULT_JWKS_REFETCH_COOLDOWN_SECONDS) * 1000);
  const verified = new VerifiedTokens();
  return async (token) => {
    const at = now();
    const remembered = verified.get(token, at);
    if (remembered) return remembered;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: [...settings.algorithms],
        clockTolerance: settings.clockToleranceSeconds,
        requiredClaims: ['exp', 'sub'],
        currentDate: new Date(at),
      }));
    } catch (err) {
      throw new AuthenticationError(explain(err, settings), 'AUTH.INVALID_TOKEN');
    }
    // Frozen: one principal object now answers every request that brings the same token.
    const principal = Object.freeze(principalFrom(payload));
    verified.remember(token, principal, (payload.exp! + settings.clockToleranceSeconds) * 1000, at);
    return principal;
  };
}

/**
 * Only the configured key set is ever consulted: `jwk`, `jku` and `x5u` headers in a token are
 * ignored (jose never follows them unless asked to), so a token cannot bring its own key.
 */
function keySet(source: JwksSource, cooldownMs: number): JWTVerifyGetKey {
  // cooldownMs: after a fetch, unknown `kid`s trigger no new one for this long (a flood of made-up
  // key ids costs the identity provider at most one request per window).
  switch (source.kind) {
    case 'url':
      return createRemoteJWKSet(new URL(source.url), {
        cacheMaxAge: JWKS_CACHE_MAX_AGE_MS,
        cooldownDuration: cooldownMs,
        timeoutDuration: 5_000,
      });
    case 'file':
      return createLocalJWKSet(JSON.parse(readFileSync(source.path, 'utf8')));
    case 'inline':
      return createLocalJWKSet(source.jwks);
  }
}

function principalFrom(payload: JWTPayload): Principal {
  const problems: string[] = [];
  if (validateAgainst(Pseudonym, payload.sub).length > 0) problems.push('`sub` must be a pseudonym (psn_…)');
  if (validateAgainst(OrganisationId, payload['org']).length > 0) problems.push('`org` must be an organisation slug');
  const rawRoles = payload['roles'];
  const roles = Array.isArray(rawRoles) ? rawRoles.filter(isRole) : [];
  if (roles.length === 0) problems.push('`roles` must name at least one known role');
  const rawGrants = payload['grants'];
  if (rawGrants !== undefined && !Array.isArray(rawGrants)) problems.push('`grants` must be an array');
  if (problems.length > 0) throw new AuthenticationError(`the token's claims are unusable: ${problems.join('; ')}`, 'AUTH.INVALID_CLAIMS');
  return {
    organisationId: payload['org'] as string,
    personId: payload.sub!,
    roles,
    grants: Array.isArray(rawGrants) ? rawGrants.filter(isGrant) : [],
    ...(typeof payload.jti === 'string' ? { tokenId: payload.jti } : {}),
  };
}

/** A precise, non-revealing reason for a refused token. */
function explain(err: unknown, settings: AuthSettings): string {
  if (err instanceof errors.JWTExpired) return 'the token has expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    switch (err.claim) {
      case 'iss':
        return `the token was not issued by ${settings.issuer}`;
      case 'aud':
        return `the token is not meant for this service (audience ${settings.audience})`;
      case 'nbf':
        return 'the token is not valid yet';
      case 'iat':
        return 'the token was issued in the future';
      default:
        return `the token's "${err.claim}" claim is missing or invalid`;
    }
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return `the token's algorithm is not accepted (allowed: ${settings.algorithms.join(', ')})`;
  if (err instanceof errors.JWKSNoMatchingKey) return "no trusted key matches the token's key id";
  if (err instanceof errors.JWKSMultipleMatchingKeys) return "the token's key id is ambiguous";
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) {
    return 'the identity provider keys could not be loaded; try again later';
  }
  if (err instanceof errors.JOSENotSupported) return "the token's algorithm or key type is not supported";
  if (err instanceof errors.JWTInvalid || err instanceof errors.JWSInvalid) return 'the token is malformed';
  return 'the token could not be verified';
}
