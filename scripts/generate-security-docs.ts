import { HealthController, MetricsModule } from '@aal/service-kit';
import { CONTROLLER_WATERMARK } from '@nestjs/common/constants';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderRouteTable, routeTable, withRouteTable, type RouteRow } from '../libs/auth/src/route-table';

/**
 * The role-route table of docs/security.md, from the code: every `*.controller.ts` under
 * `apps/<service>/src` plus the service kit's health and metrics controllers, read through their
 * Nest metadata. Works from the sources (tests) and from the compiled tree (`npm run docs:security`).
 */
export function discoverRoutes(root = join(__dirname, '..')): RouteRow[] {
  const appsDir = join(root, 'apps');
  return readdirSync(appsDir)
    .filter((service) => statSync(join(appsDir, service)).isDirectory())
    .sort()
    .flatMap((service) => {
      const controllers = controllerFiles(join(appsDir, service, 'src')).flatMap(controllersIn);
      const kit = [HealthController, ...(MetricsModule.forRoot(service).controllers ?? [])];
      return routeTable(service, [...kit, ...controllers]);
    });
}

/** docs/security.md with its route table regenerated. */
export function securityDocument(root = join(__dirname, '..'), docsRoot = root): string {
  return withRouteTable(readFileSync(join(docsRoot, 'docs', 'security.md'), 'utf8'), renderRouteTable(discoverRoutes(root)));
}

function controllerFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return controllerFiles(path);
      return /\.controller\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
    })
    .sort();
}

function controllersIn(file: string): Array<abstract new (...args: never[]) => unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(file) as Record<string, unknown>;
  return Object.values(exported).filter(
    (value): value is abstract new (...args: never[]) => unknown =>
      typeof value === 'function' && Reflect.getMetadata(CONTROLLER_WATERMARK, value) === true,
  );
}

if (require.main === module) {
  // Compiled to dist/scripts: the compiled controllers are under dist/, the document under the checkout.
  const compiledRoot = join(__dirname, '..');
  const checkout = join(compiledRoot, '..');
  const target = join(checkout, 'docs', 'security.md');
  writeFileSync(target, securityDocument(compiledRoot, checkout));
  process.stdout.write(`wrote ${target}\n`);
}
