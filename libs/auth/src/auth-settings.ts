import type { JSONWebKeySet } from 'jose';

/** Where a service finds the identity provider's public keys. */
export type JwksSource =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'inline'; readonly jwks: JSONWebKeySet };

/**
 * How one service checks bearer tokens. `issuer` and `audience` are pinned per service;
 * `algorithms` is the allow-list (asymmetric only: the keys are public, so an HMAC "signed with
 * the public key" must never verify).
 */
export interface AuthSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly jwks: JwksSource;
  readonly algorithms: readonly string[];
  /** Leeway for `exp`/`nbf`/`iat` between clocks, in seconds. */
  readonly clockToleranceSeconds: number;
  /** Requests per caller (or per address when anonymous) per minute; 0 turns the limit off. */
  readonly rateLimitPerMinute: number;
  /**
   * Remote key sets only: after a fetch, a token with an unknown `kid` triggers no new fetch for
   * this many seconds, so a flood of made-up key ids costs the identity provider at most one
   * request per window. Default 30; a rotated-in key is accepted at most this long after first use.
   */
  readonly jwksRefetchCooldownSeconds?: number;
}

/** Default of `AuthSettings.jwksRefetchCooldownSeconds`. */
export const DEFAULT_JWKS_REFETCH_COOLDOWN_SECONDS = 30;

export const DEFAULT_ALGORITHMS = ['EdDSA', 'ES256', 'ES384', 'RS256', 'PS256'] as const;
const ASYMMETRIC = new Set<string>(['EdDSA', 'ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']);

/** The audience a service pins when none is configured: `aal:<service>`. */
export function defaultAudience(service: string): string {
  return `aal:${service}`;
}

/** A service's auth settings from the environment; throws (the service does not start) when incomplete. */
export function authSettingsFromEnv(service: string, env: NodeJS.ProcessEnv = process.env): AuthSettings {
  const issuer = env['AUTH_ISSUER'];
  if (!issuer) throw new Error('AUTH_ISSUER is required: the issuer every bearer token must name (see README, "Identity")');
  const url = env['AUTH_JWKS_URL'];
  const path = env['AUTH_JWKS_FILE'];
  if (!url === !path)
    throw new Error('set exactly one of AUTH_JWKS_URL or AUTH_JWKS_FILE: where the identity provider publishes its public keys');
  const algorithms = (env['AUTH_ALGORITHMS'] ?? DEFAULT_ALGORITHMS.join(','))
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const refused = algorithms.filter((a) => !ASYMMETRIC.has(a));
  if (refused.length > 0) throw new Error(`AUTH_ALGORITHMS may only name asymmetric JWS algorithms; refused: ${refused.join(', ')}`);
  return {
    issuer,
    audience: env['AUTH_AUDIENCE'] ?? defaultAudience(service),
    jwks: url ? { kind: 'url', url } : { kind: 'file', path: path! },
    algorithms,
    clockToleranceSeconds: Number(env['AUTH_CLOCK_TOLERANCE_SECONDS'] ?? 30),
    rateLimitPerMinute: Number(env['RATE_LIMIT_PER_MINUTE'] ?? 1200),
    jwksRefetchCooldownSeconds: Number(env['AUTH_JWKS_REFETCH_COOLDOWN_SECONDS'] ?? DEFAULT_JWKS_REFETCH_COOLDOWN_SECONDS),
  };
}
