import { SERVICE_NAMES, type Actor } from '@aal/contracts';
import { DEFAULT_ALGORITHMS, issueToken, type AuthSettings, type Grant, type IssuerKey, type Role } from '@aal/auth';
import type { JSONWebKeySet, JWK } from 'jose';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The issuer every service under test trusts. */
export const TEST_ISSUER = 'https://identity.test.aal.invalid';

/** Every service's audience, so one test token works against whichever service a test calls. */
export const ALL_TEST_AUDIENCES = SERVICE_NAMES.map((service) => `aal:${service}`);

/** A fresh Ed25519 identity-provider key, made synchronously (kid = RFC 7638 thumbprint). */
export function makeIssuerKey(): IssuerKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' }) as JWK;
  const kid = createHash('sha256')
    .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x }))
    .digest('base64url');
  return { kid, privateKey, publicJwk: { ...jwk, kid, alg: 'EdDSA', use: 'sig' } };
}

let shared: { key: IssuerKey; jwksFile: string } | undefined;

/** The identity provider of this test process: one key, its JWKS also written to a file for spawned services. */
export function testIdentity(): { key: IssuerKey; jwks: JSONWebKeySet; jwksFile: string } {
  if (!shared) {
    const key = makeIssuerKey();
    const jwksFile = join(mkdtempSync(join(tmpdir(), 'aal-identity-')), 'jwks.json');
    writeFileSync(jwksFile, JSON.stringify({ keys: [key.publicJwk] }));
    shared = { key, jwksFile };
  }
  return { key: shared.key, jwks: { keys: [shared.key.publicJwk] }, jwksFile: shared.jwksFile };
}

/** Auth settings of a service under test: trusts the test identity; rate limiting off unless asked for. */
export function testAuthSettings(service: string, overrides: Partial<AuthSettings> = {}): AuthSettings {
  return {
    issuer: TEST_ISSUER,
    audience: `aal:${service}`,
    jwks: { kind: 'inline', jwks: testIdentity().jwks },
    algorithms: [...DEFAULT_ALGORITHMS],
    clockToleranceSeconds: 30,
    rateLimitPerMinute: 0,
    ...overrides,
  };
}

/** Environment that makes a spawned service trust the test identity. */
export function testAuthEnv(): Record<string, string> {
  return { AUTH_ISSUER: TEST_ISSUER, AUTH_JWKS_FILE: testIdentity().jwksFile };
}

/** A bearer token for `caller` acting in its role (plus any extra roles or grants). */
export function tokenFor(caller: Actor, extra: { roles?: Role[]; grants?: Grant[]; audience?: string | string[] } = {}): Promise<string> {
  return issueToken(
    testIdentity().key,
    {
      organisationId: caller.organisationId,
      personId: caller.personId,
      roles: [caller.role as Role, ...(extra.roles ?? [])],
      ...(extra.grants ? { grants: extra.grants } : {}),
    },
    { issuer: TEST_ISSUER, audience: extra.audience ?? ALL_TEST_AUDIENCES },
  );
}
