import { RateLimitedError } from '@aal/http';
import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request } from 'express';
import { principalOf } from './access.guard';

/**
 * Rate limit per caller across all of a service's routes: the verified person and organisation
 * when there is a token, the client address otherwise. Runs after AccessGuard so it can tell
 * callers apart. Counters are per instance (in memory): with N instances the effective limit is
 * N times the setting, which is documented in docs/security.md.
 */
@Injectable()
export class CallerRateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, any>): Promise<string> {
    const principal = principalOf(req as Request);
    return principal ? `caller:${principal.organisationId}/${principal.personId}` : `address:${(req as Request).ip}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new RateLimitedError(detail.limit, Math.round(detail.ttl / 1000), Math.max(1, detail.timeToBlockExpire));
  }
}
