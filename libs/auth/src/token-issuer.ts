import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type JWK, type KeyLike } from 'jose';
import type { Grant, Role } from './roles';

/** What a token says about its holder. */
export interface TokenClaims {
  readonly organisationId: string;
  readonly personId: string;
  readonly roles: readonly Role[];
  readonly grants?: readonly Grant[];
}

export interface IssuerKey {
  readonly kid: string;
  readonly privateKey: KeyLike;
  readonly publicJwk: JWK;
}

/** A fresh Ed25519 signing key for an identity provider, with its public JWK (kid = RFC 7638 thumbprint). */
export async function generateIssuerKey(): Promise<IssuerKey & { privateJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    privateKey,
    publicJwk: { ...publicJwk, kid, alg: 'EdDSA', use: 'sig' },
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'EdDSA' },
  };
}

export function jwksOf(...keys: IssuerKey[]): JSONWebKeySet {
  return { keys: keys.map((k) => k.publicJwk) };
}

/**
 * Signs an access token, as an identity provider would: `sub` the pseudonym, `org`, `roles`,
 * optional `grants`, pinned `iss` and `aud`, and a bounded lifetime. For the development
 * identity provider and tests; production tokens come from the organisation's own provider.
 */
export async function issueToken(
  key: IssuerKey,
  claims: TokenClaims,
  options: { issuer: string; audience: string | string[]; expiresInSeconds?: number; now?: Date },
): Promise<string> {
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({
    org: claims.organisationId,
    roles: [...claims.roles],
    ...(claims.grants?.length ? { grants: [...claims.grants] } : {}),
  })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' })
    .setSubject(claims.personId)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + (options.expiresInSeconds ?? 3600))
    .setJti(crypto.randomUUID())
    .sign(key.privateKey);
}
