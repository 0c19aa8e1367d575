import { AuthenticationError, setCaller } from '@aal/http';
import { DomainError } from '@aal/domain';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ACCESS_METADATA, type RouteAccess } from './access.decorator';
import type { Principal } from './principal';
import type { Role } from './roles';
import type { TokenVerifier } from './token-verifier';

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');
const PRINCIPAL = Symbol('aal.principal');

/**
 * The one gate in front of every route: public routes pass; every other route needs a bearer
 * token that verifies and a role the route admits. A route that declares nothing is refused
 * (deny by default), so a forgotten decorator fails closed.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verify: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ACCESS_METADATA, [context.getHandler(), context.getClass()]);
    const req = context.switchToHttp().getRequest<Request>();
    if (access?.kind === 'public') return true;
    const principal = await this.verify(bearerToken(req));
    (req as unknown as Record<symbol, Principal>)[PRINCIPAL] = principal;
    const admitted = access?.kind === 'roles' ? access.roles : [];
    const role = admitted.find((r) => principal.roles.includes(r));
    if (!role) throw roleNotAllowed(principal, admitted, req);
    setCaller(req, { organisationId: principal.organisationId, personId: principal.personId, role });
    return true;
  }
}

export function principalOf(req: Request): Principal | undefined {
  return (req as unknown as Record<symbol, Principal | undefined>)[PRINCIPAL];
}

function bearerToken(req: Request): string {
  const header = req.header('authorization');
  if (!header) throw new AuthenticationError('a bearer token is required (Authorization: Bearer <JWT>)', 'AUTH.TOKEN_REQUIRED');
  const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(header.trim());
  if (!match) throw new AuthenticationError('the Authorization header must be "Bearer " followed by a compact JWT', 'AUTH.INVALID_TOKEN');
  return match[1]!;
}

function roleNotAllowed(principal: Principal, admitted: readonly Role[], req: Request): DomainError {
  const detail =
    admitted.length === 0
      ? `${req.method} ${req.path} admits no role`
      : `${req.method} ${req.path} requires one of the roles ${admitted.join(', ')}; the token grants ${principal.roles.join(', ')}`;
  return new DomainError('AUTH.ROLE_NOT_ALLOWED', 'forbidden', detail, { requiredRoles: admitted });
}
