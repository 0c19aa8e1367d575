import { RateLimitedError } from '@aal/http';
import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerRequest } from '@nestjs/throttler';
import type { Request } from 'express';
import { principalOf } from './access.guard';

/** Throttler names, one per guard: each guard applies only its own. */
export const PER_ADDRESS = 'per-address';
export const PER_CALLER = 'per-caller';

/**
 * Rate limit per verified caller (organisation + pseudonym) across all of a service's routes.
 * Runs after AccessGuard so it can tell callers apart. Counters are per instance (in memory): with
 * N instances the effective limit is N times the setting (docs/security.md).
 */
@Injectable()
export class CallerRateLimitGuard extends ThrottlerGuard {
  protected readonly throttlerName: string = PER_CALLER;

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    return request.throttler.name === this.throttlerName ? super.handleRequest(request) : true;
  }

  protected override async getTracker(req: Request): Promise<string> {
    const principal = principalOf(req);
    return principal ? `caller:${principal.organisationId}/${principal.personId}` : `address:${req.ip}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new RateLimitedError(detail.limit, Math.round(detail.ttl / 1000), Math.max(1, detail.timeToBlockExpire));
  }
}

/**
 * A looser limit per client address that runs before any token is checked, so a flood of bad or
 * forged tokens (each costing a signature check) is also pushed back with 429.
 */
@Injectable()
export class AddressRateLimitGuard extends CallerRateLimitGuard {
  protected override readonly throttlerName: string = PER_ADDRESS;

  protected override async getTracker(req: Request): Promise<string> {
    return `address:${req.ip}`;
  }
}
