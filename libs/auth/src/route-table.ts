import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ACCESS_METADATA, type RouteAccess } from './access.decorator';

/** One HTTP route of a service and who may call it, read from the Nest metadata of its controller. */
export interface RouteRow {
  readonly service: string;
  readonly method: string;
  /** Express-style path with a leading slash, e.g. `/deployments/:deploymentId/approval`. */
  readonly path: string;
  /** The route's own declaration, else its controller's; undefined when neither declares one (refused to everyone). */
  readonly access: RouteAccess | undefined;
  readonly controller: string;
  readonly handler: string;
}

type ControllerClass = abstract new (...args: never[]) => unknown;

/**
 * Every route of `controllers`, as AccessGuard will judge it: the handler's `@Access`/`@Public`
 * overrides the controller's. Sorted by service, path and method, so the output is stable.
 */
export function routeTable(service: string, controllers: readonly ControllerClass[]): RouteRow[] {
  const rows: RouteRow[] = [];
  for (const controller of controllers) {
    const prefixes = asArray(Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined);
    const classAccess = Reflect.getMetadata(ACCESS_METADATA, controller) as RouteAccess | undefined;
    const proto = controller.prototype as object;
    for (const handler of Object.getOwnPropertyNames(proto)) {
      // Descriptors, not property reads: a getter on the prototype must not run.
      const fn: unknown = Object.getOwnPropertyDescriptor(proto, handler)?.value;
      if (handler === 'constructor' || typeof fn !== 'function') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
      const paths = Reflect.getMetadata(PATH_METADATA, fn) as string | string[] | undefined;
      if (method === undefined || paths === undefined) continue;
      const access = (Reflect.getMetadata(ACCESS_METADATA, fn) as RouteAccess | undefined) ?? classAccess;
      for (const prefix of prefixes.length > 0 ? prefixes : ['']) {
        for (const path of asArray(paths)) {
          rows.push({ service, method: RequestMethod[method], path: joinPath(prefix, path), access, controller: controller.name, handler });
        }
      }
    }
  }
  return rows.sort((a, b) => byCodePoint(a.service, b.service) || byCodePoint(a.path, b.path) || byCodePoint(a.method, b.method));
}

/** Locale-independent, so the generated table is the same on every machine. */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The routes that declare neither `@Access` nor `@Public`: refused to everyone, almost certainly by mistake. */
export function undeclaredRoutes(rows: readonly RouteRow[]): RouteRow[] {
  return rows.filter((r) => r.access === undefined);
}

/** A Markdown table: service, method, path, and the roles admitted or "public — why". */
export function renderRouteTable(rows: readonly RouteRow[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const who = (access: RouteAccess | undefined) =>
    access === undefined
      ? '**nobody** (no `@Access` or `@Public`: denied by default)'
      : access.kind === 'public'
        ? `public — ${access.why}`
        : access.roles.map((r) => `\`${r}\``).join(', ');
  return [
    '| service | method | path | who may call it |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.service} | ${r.method} | \`${cell(r.path)}\` | ${cell(who(r.access))} |`),
  ].join('\n');
}

export const ROUTES_START = '<!-- routes:start -->';
export const ROUTES_END = '<!-- routes:end -->';

/** `document` with everything between the route markers replaced by `table`; throws when a marker is missing. */
export function withRouteTable(document: string, table: string): string {
  const start = document.indexOf(ROUTES_START);
  const end = document.indexOf(ROUTES_END);
  if (start < 0 || end < start) throw new Error(`the document must hold ${ROUTES_START} followed by ${ROUTES_END}`);
  return `${document.slice(0, start + ROUTES_START.length)}\n${table}\n${document.slice(end)}`;
}

function asArray(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function joinPath(prefix: string, path: string): string {
  const parts = [prefix, path].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean);
  return `/${parts.join('/')}`;
}
