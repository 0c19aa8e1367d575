import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import type { Role } from './roles';

export const ACCESS_METADATA = 'aal:access';

/** What a route admits: anyone (public), or callers holding one of the roles. */
export type RouteAccess = { readonly kind: 'public'; readonly why: string } | { readonly kind: 'roles'; readonly roles: readonly Role[] };

/**
 * The roles that may call this route (or every route of a controller). Routes without `@Access`
 * or `@Public` are refused to everyone: access is denied by default. The caller acts in the first
 * role of this list that their token holds; that role is what events record.
 */
export function Access(...roles: [Role, ...Role[]]) {
  return applyDecorators(
    SetMetadata(ACCESS_METADATA, { kind: 'roles', roles } satisfies RouteAccess),
    ApiBearerAuth(),
    ApiExtension('x-aal-roles', roles),
  );
}

/** A route anyone may call without a token (health, metrics, the log's public proofs); say why. */
export function Public(why: string) {
  return applyDecorators(SetMetadata(ACCESS_METADATA, { kind: 'public', why } satisfies RouteAccess), ApiExtension('x-aal-public', why));
}
