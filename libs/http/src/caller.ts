import type { Actor } from '@aal/contracts';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** The authenticated caller, as every event records it (`actor`). */
export type Caller = Actor;

/** The caller could not be identified (no token, or one that does not verify); becomes a 401 problem. */
export class AuthenticationError extends Error {
  constructor(
    message: string,
    readonly code: string = 'AUTH.UNAUTHENTICATED',
  ) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

/** Too many requests from one caller; becomes a 429 problem with Retry-After. */
export class RateLimitedError extends Error {
  readonly code = 'REQUEST.RATE_LIMITED';
  constructor(
    readonly limit: number,
    readonly windowSeconds: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`more than ${limit} requests in ${windowSeconds} s from this caller; retry after ${retryAfterSeconds} s`);
    this.name = 'RateLimitedError';
  }
}

const CALLER = Symbol('aal.caller');

/** Called by the access guard once the token is verified; handlers read it with `@CurrentCaller()`. */
export function setCaller(req: Request, caller: Caller): void {
  (req as unknown as Record<symbol, Caller>)[CALLER] = caller;
}

export function callerOf(req: Request): Caller {
  const caller = (req as unknown as Record<symbol, Caller | undefined>)[CALLER];
  // Only reachable if a route reads the caller without declaring who may call it.
  if (!caller) throw new AuthenticationError('this request carries no verified caller');
  return caller;
}

/** The verified caller, in the role the route admitted them in. */
export const CurrentCaller = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Caller => callerOf(ctx.switchToHttp().getRequest<Request>()),
);
