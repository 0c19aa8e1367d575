import type { Principal } from './principal';

/** How long a verified token is answered from memory at most (a key withdrawn from the key set stops counting after this). */
export const VERIFIED_TOKEN_MAX_AGE_MS = 60_000;
/** Tokens remembered at most; the least recently used leave first. */
export const VERIFIED_TOKEN_CAPACITY = 10_000;

interface Remembered {
  readonly principal: Principal;
  /** Epoch ms after which the token is no longer accepted from memory (its `exp` with the clock tolerance, or the max age). */
  readonly until: number;
}

/**
 * Bearer tokens whose signature and claims were verified, by their exact text: a client sends the
 * same token on every request until it expires, and one Ed25519 verification per request is the
 * largest part of a cheap request's CPU (docs/benchmarks.md, bench:api-load). A different byte is
 * a different key, so only the identical, already verified token is ever a hit; only successes
 * are kept, so a refused token is verified (and refused) every time.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, Remembered>();

  constructor(
    private readonly capacity = VERIFIED_TOKEN_CAPACITY,
    private readonly maxAgeMs = VERIFIED_TOKEN_MAX_AGE_MS,
  ) {}

  /** The principal of `token` if it was verified and is still within its time at `now`; else undefined. */
  get(token: string, now: number): Principal | undefined {
    const hit = this.entries.get(token);
    if (!hit) return undefined;
    this.entries.delete(token);
    if (now > hit.until) return undefined;
    this.entries.set(token, hit);
    return hit.principal;
  }

  /** Remembers a verified token until `expiresAt` (epoch ms, tolerance included) or the max age, whichever is first. */
  remember(token: string, principal: Principal, expiresAt: number, now: number): void {
    this.entries.delete(token);
    this.entries.set(token, { principal, until: Math.min(expiresAt, now + this.maxAgeMs) });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}
