import { Actor, validateAgainst, type Actor as ActorType } from '@aal/contracts';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** The authenticated caller, as every event records it (`actor`). */
export type Caller = ActorType;

export const CALLER_HEADERS = {
  organisationId: 'x-aal-organisation',
  personId: 'x-aal-person',
  role: 'x-aal-role',
} as const;

/** The caller could not be identified; becomes a 401 problem. */
export class AuthenticationError extends Error {
  readonly code = 'AUTH.UNAUTHENTICATED';
}

/**
 * Reads the caller from the identity headers set by the development identity (see README,
 * "Identity"). Issue #6 replaces this with a verified JWT; handlers only ever see `Caller`.
 */
export function callerFromRequest(req: Request): Caller {
  const caller = {
    organisationId: req.header(CALLER_HEADERS.organisationId),
    personId: req.header(CALLER_HEADERS.personId),
    role: req.header(CALLER_HEADERS.role),
  };
  const issues = validateAgainst(Actor, caller);
  if (issues.length > 0) {
    throw new AuthenticationError(
      `caller identity is missing or malformed (${issues.map((i) => `${i.pointer.replace('/', '')} ${i.message}`).join('; ')})`,
    );
  }
  return caller as Caller;
}

export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller =>
  callerFromRequest(ctx.switchToHttp().getRequest<Request>()),
);
