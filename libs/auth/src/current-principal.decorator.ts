import { AuthenticationError } from '@aal/http';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { principalOf } from './access.guard';
import type { Principal } from './principal';

/** Every role and grant of the verified caller, for object-level checks that need more than `@CurrentCaller()`. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = principalOf(ctx.switchToHttp().getRequest<Request>());
  if (!principal) throw new AuthenticationError('this request carries no verified caller');
  return principal;
});
