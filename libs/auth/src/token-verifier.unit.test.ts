import { AuthenticationError } from '@aal/http';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type JWK, type JWTPayload, type KeyLike } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authSettingsFromEnv, DEFAULT_ALGORITHMS, type AuthSettings } from './auth-settings';
import { generateIssuerKey, jwksOf, type IssuerKey } from './token-issuer';
import { createTokenVerifier, type TokenVerifier } from './token-verifier';

// The bearer-token matrix of issue #6 at unit level: every way a token can be wrong, each refused
// with its own precise reason, against an inline key set; then a remote key set under a flood of
// unknown key ids and a key rotation.

const ISSUER = 'https://identity.unit.aal.invalid';
const AUDIENCE = 'aal:unit-service';
const claims = { org: 'st-swithins', roles: ['employer-admin'] };
const person = 'psn_unit_person_01';

function settingsFor(jwks: AuthSettings['jwks'], overrides: Partial<AuthSettings> = {}): AuthSettings {
  return {
    issuer: ISSUER,
    audience: AUDIENCE,
    jwks,
    algorithms: [...DEFAULT_ALGORITHMS],
    clockToleranceSeconds: 30,
    rateLimitPerMinute: 0,
    ...overrides,
  };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A token as a well-behaved issuer signs it; each option breaks exactly one thing. */
async function sign(
  key: { privateKey: KeyLike; kid: string },
  options: {
    alg?: string;
    header?: Record<string, unknown>;
    payload?: JWTPayload;
    issuer?: string;
    audience?: string;
    exp?: number | null;
    nbf?: number;
    iat?: number;
    sub?: string;
  } = {},
): Promise<string> {
  const now = nowSeconds();
  const jwt = new SignJWT({ ...claims, ...options.payload })
    .setProtectedHeader({ alg: options.alg ?? 'EdDSA', kid: key.kid, typ: 'JWT', ...options.header })
    .setSubject(options.sub ?? person)
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt(options.iat ?? now)
    .setNotBefore(options.nbf ?? now);
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? now + 300);
  return jwt.sign(key.privateKey);
}

async function refusal(verify: TokenVerifier, token: string): Promise<{ code: string; message: string }> {
  try {
    await verify(token);
  } catch (err) {
    if (err instanceof AuthenticationError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('the token was accepted');
}

describe('createTokenVerifier: the token matrix (inline key set)', () => {
  let issuer: IssuerKey;
  let attacker: IssuerKey;
  let verify: TokenVerifier;

  beforeAll(async () => {
    issuer = await generateIssuerKey();
    attacker = await generateIssuerKey();
    verify = createTokenVerifier(settingsFor({ kind: 'inline', jwks: jwksOf(issuer) }));
  });

  it('accepts a well-formed token and builds the principal from its claims only', async () => {
    const principal = await verify(
      await sign(issuer, { payload: { roles: ['employer-admin', 'not-a-role'], grants: ['all-organisations', 'root'] } }),
    );
    expect(principal).toEqual({
      organisationId: 'st-swithins',
      personId: person,
      roles: ['employer-admin'],
      grants: ['all-organisations'],
    });
  });

  it('refuses a string that is not a compact JWS as malformed', async () => {
    expect(await refusal(verify, 'not.a-jwt')).toEqual({ code: 'AUTH.INVALID_TOKEN', message: 'the token is malformed' });
    expect(await refusal(verify, 'e30.e30.')).toEqual({ code: 'AUTH.INVALID_TOKEN', message: 'the token is malformed' });
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const token = new UnsecuredJWT({ ...claims })
      .setSubject(person)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .encode();
    expect(await refusal(verify, token)).toEqual({
      code: 'AUTH.INVALID_TOKEN',
      message: `the token's algorithm is not accepted (allowed: ${DEFAULT_ALGORITHMS.join(', ')})`,
    });
  });

  it("refuses HS256 signed with the public key's bytes as the secret (algorithm confusion)", async () => {
    for (const secret of [new TextEncoder().encode(JSON.stringify(issuer.publicJwk)), Buffer.from(issuer.publicJwk.x!, 'base64url')]) {
      const token = await sign({ privateKey: secret as unknown as KeyLike, kid: issuer.kid }, { alg: 'HS256' });
      expect(await refusal(verify, token)).toEqual({
        code: 'AUTH.INVALID_TOKEN',
        message: `the token's algorithm is not accepted (allowed: ${DEFAULT_ALGORITHMS.join(', ')})`,
      });
    }
  });

  it('refuses an asymmetric algorithm the service does not allow, even with a trusted key', async () => {
    const ec = await generateKeyPair('ES256', { extractable: true });
    const ecJwk: JWK = { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256' };
    const pinned = createTokenVerifier(
      settingsFor({ kind: 'inline', jwks: { keys: [issuer.publicJwk, ecJwk] } }, { algorithms: ['EdDSA'] }),
    );
    expect(await refusal(pinned, await sign({ privateKey: ec.privateKey, kid: 'ec-1' }, { alg: 'ES256' }))).toEqual({
      code: 'AUTH.INVALID_TOKEN',
      message: "the token's algorithm is not accepted (allowed: EdDSA)",
    });
    expect(await pinned(await sign(issuer))).toMatchObject({ personId: person });
  });

  it('refuses a token from another issuer', async () => {
    expect(await refusal(verify, await sign(issuer, { issuer: 'https://evil.example' }))).toEqual({
      code: 'AUTH.INVALID_TOKEN',
      message: `the token was not issued by ${ISSUER}`,
    });
  });

  it("refuses a token meant for another service's audience", async () => {
    expect(await refusal(verify, await sign(issuer, { audience: 'aal:ledger' }))).toEqual({
      code: 'AUTH.INVALID_TOKEN',
      message: `the token is not meant for this service (audience ${AUDIENCE})`,
    });
  });

  it('refuses a token without exp', async () => {
    expect(await refusal(verify, await sign(issuer, { exp: null }))).toEqual({
      code: 'AUTH.INVALID_TOKEN',
      message: 'the token\'s "exp" claim is missing or invalid',
    });
  });

  it('allows the clock tolerance and no more: expired 10 s ago passes with 30 s tolerance, 60 s ago is refused', async () => {
    const now = nowSeconds();
    expect(await verify(await sign(issuer, { iat: now - 600, nbf: now - 600, exp: now - 10 }))).toMatchObject({ personId: person });
    expect(await refusal(verify, await sign(issuer, { iat: now - 600, nbf: now - 600, exp: now - 60 }))).toEqual({
      code: 'AUTH.INVALID_TOKEN',
      message: 'the token has expired',
    });
    const strict = createTokenVerifier(settingsFor({ kind: 'inline', jwks: jwksOf(issuer) }, { clockToleranceSeconds: 0 }));
    expect(await refusal(strict, await sign(issuer, { iat: now - 600, nbf: now - 600, exp: now - 10 }))).toEqual({
      code: 'AUTH.INVALID_TOKEN',
      message: 'the token has expired',
    });
  });

  it('never accepts a token after its expiry because it was accepted before', async () => {
    let clock = Date.now();
    const timed = createTokenVerifier(settingsFor({ kind: 'inline', jwks: jwksOf(issuer) }), () => clock);
    const token = await sign(issuer, { exp: nowSeconds() + 60 });
    expect(await timed(token)).toMatchObject({ personId: person });
    clock += 60_000;
    expect(await timed(token)).toMatchObject({ personId: person });
    clock += 31_000; // beyond exp and the 30 s tolerance
    expect(await refusal(timed, token)).toEqual({ code: 'AUTH.INVALID_TOKEN', message: 'the token has expired' });
  });

  it('refuses a token differing from an accepted one by one character of its signature', async () => {
    const token = await sign(issuer);
    expect(await verify(token)).toMatchObject({ personId: person });
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    expect(await refusal(verify, `${token.slice(0, -2)}${last}${token.slice(-1)}`)).toEqual({
      code: 'AUTH.INVALID_TOKEN',
      message: 'the token signature is invalid',
    });
  });

  it('refuses a token that is not valid yet (nbf beyond the tolerance), and accepts one within it', async () => {
    const now = nowSeconds();
    expect(await refusal(verify, await sign(issuer, { nbf: now + 120 }))).toEqual({
      code: 'AUTH.INVALID_TOKEN',
      message: 'the token is not valid yet',
    });
    expect(await verify(await sign(issuer, { nbf: now + 10 }))).toMatchObject({ personId: person });
  });

  it('refuses a token whose kid no trusted key has', async () => {
    expect(await refusal(verify, await sign({ privateKey: issuer.privateKey, kid: 'unknown-kid' }))).toEqual({
      code: 'AUTH.INVALID_TOKEN',
      message: "no trusted key matches the token's key id",
    });
  });

  it('refuses a token naming a trusted kid but signed with another key', async () => {
    expect(await refusal(verify, await sign({ privateKey: attacker.privateKey, kid: issuer.kid }))).toEqual({
      code: 'AUTH.INVALID_TOKEN',
      message: 'the token signature is invalid',
    });
  });

  it('ignores a key the token brings itself: an embedded jwk header', async () => {
    const ownKid = await sign(attacker, { header: { jwk: attacker.publicJwk } });
    expect(await refusal(verify, ownKid)).toEqual({ code: 'AUTH.INVALID_TOKEN', message: "no trusted key matches the token's key id" });
    const borrowedKid = await sign(
      { privateKey: attacker.privateKey, kid: issuer.kid },
      { header: { jwk: { ...attacker.publicJwk, kid: issuer.kid } } },
    );
    expect(await refusal(verify, borrowedKid)).toEqual({ code: 'AUTH.INVALID_TOKEN', message: 'the token signature is invalid' });
  });

  it('ignores key locations the token names: jku and x5u headers are never fetched', async () => {
    let fetched = 0;
    const server = createServer((_req, res) => {
      fetched += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(jwksOf(attacker)));
    });
    const url = await listen(server);
    try {
      for (const header of [{ jku: `${url}/jwks.json` }, { x5u: `${url}/cert.pem` }]) {
        expect(await refusal(verify, await sign(attacker, { header }))).toEqual({
          code: 'AUTH.INVALID_TOKEN',
          message: "no trusted key matches the token's key id",
        });
        expect(await refusal(verify, await sign({ privateKey: attacker.privateKey, kid: issuer.kid }, { header }))).toEqual({
          code: 'AUTH.INVALID_TOKEN',
          message: 'the token signature is invalid',
        });
      }
      expect(fetched).toBe(0);
    } finally {
      await close(server);
    }
  });

  it('refuses a verified token whose claims cannot name a caller', async () => {
    expect(await refusal(verify, await sign(issuer, { sub: 'alice@example.org' }))).toEqual({
      code: 'AUTH.INVALID_CLAIMS',
      message: "the token's claims are unusable: `sub` must be a pseudonym (psn_…)",
    });
    expect(await refusal(verify, await sign(issuer, { payload: { roles: ['superuser'] } }))).toEqual({
      code: 'AUTH.INVALID_CLAIMS',
      message: "the token's claims are unusable: `roles` must name at least one known role",
    });
    expect(await refusal(verify, await sign(issuer, { payload: { org: 'Not An Org!' } }))).toEqual({
      code: 'AUTH.INVALID_CLAIMS',
      message: "the token's claims are unusable: `org` must be an organisation slug",
    });
  });
});

describe('authSettingsFromEnv', () => {
  const base = { AUTH_ISSUER: ISSUER, AUTH_JWKS_FILE: '/etc/aal/jwks.json' };

  it('pins issuer, audience per service, asymmetric algorithms and the defaults', () => {
    expect(authSettingsFromEnv('ledger', base)).toEqual({
      issuer: ISSUER,
      audience: 'aal:ledger',
      jwks: { kind: 'file', path: '/etc/aal/jwks.json' },
      algorithms: [...DEFAULT_ALGORITHMS],
      clockToleranceSeconds: 30,
      rateLimitPerMinute: 1200,
      jwksRefetchCooldownSeconds: 30,
    });
  });

  it('refuses HMAC or none in the allow-list, and a missing or doubled key source', () => {
    expect(() => authSettingsFromEnv('ledger', { ...base, AUTH_ALGORITHMS: 'EdDSA,HS256,none' })).toThrow(
      'AUTH_ALGORITHMS may only name asymmetric JWS algorithms; refused: HS256, none',
    );
    expect(() => authSettingsFromEnv('ledger', { AUTH_ISSUER: ISSUER })).toThrow('set exactly one of AUTH_JWKS_URL or AUTH_JWKS_FILE');
    expect(() => authSettingsFromEnv('ledger', { ...base, AUTH_JWKS_URL: 'https://idp/jwks' })).toThrow(
      'set exactly one of AUTH_JWKS_URL or AUTH_JWKS_FILE',
    );
    expect(() => authSettingsFromEnv('ledger', { AUTH_JWKS_FILE: '/x' })).toThrow('AUTH_ISSUER is required');
  });
});

describe('createTokenVerifier: a remote key set', () => {
  /** A JWKS endpoint on 127.0.0.1 that counts its requests; `keys` may change (rotation). */
  async function jwksServer(keys: IssuerKey[]) {
    const state = { requests: 0, keys };
    const server = createServer((_req, res) => {
      state.requests += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(jwksOf(...state.keys)));
    });
    const url = await listen(server);
    return { state, url: `${url}/.well-known/jwks.json`, close: () => close(server) };
  }

  it('does not refetch the key set for a flood of unknown kids, and still verifies good tokens', async () => {
    const issuer = await generateIssuerKey();
    const idp = await jwksServer([issuer]);
    try {
      const verify = createTokenVerifier(settingsFor({ kind: 'url', url: idp.url }));
      const flood = await Promise.all(
        Array.from({ length: 50 }, () => sign({ privateKey: issuer.privateKey, kid: `made-up-${crypto.randomUUID()}` })),
      );
      for (const token of flood) {
        expect(await refusal(verify, token)).toEqual({ code: 'AUTH.INVALID_TOKEN', message: "no trusted key matches the token's key id" });
      }
      expect(await verify(await sign(issuer))).toMatchObject({ personId: person });
      expect(idp.state.requests).toBeGreaterThanOrEqual(1);
      expect(idp.state.requests).toBeLessThanOrEqual(2);
    } finally {
      await idp.close();
    }
  });

  it('accepts a token signed by a newly rotated-in key once the refetch cooldown has passed', async () => {
    const [old, rotated] = [await generateIssuerKey(), await generateIssuerKey()];
    const idp = await jwksServer([old]);
    try {
      const verify = createTokenVerifier(settingsFor({ kind: 'url', url: idp.url }, { jwksRefetchCooldownSeconds: 1 }));
      expect(await verify(await sign(old))).toMatchObject({ personId: person });
      idp.state.keys = [old, rotated];
      const fresh = await sign(rotated);
      // Within the cooldown the new kid is unknown; after it, one refetch finds it.
      let accepted = false;
      const deadline = Date.now() + 20_000;
      while (!accepted && Date.now() < deadline) {
        accepted = await verify(fresh).then(
          () => true,
          (err: AuthenticationError) => {
            expect(err.message).toBe("no trusted key matches the token's key id");
            return false;
          },
        );
        if (!accepted) await new Promise((r) => setTimeout(r, 100));
      }
      expect(accepted).toBe(true);
      expect(await verify(await sign(old))).toMatchObject({ personId: person });
      expect(idp.state.requests).toBeGreaterThanOrEqual(2);
    } finally {
      await idp.close();
    }
  });
});

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
