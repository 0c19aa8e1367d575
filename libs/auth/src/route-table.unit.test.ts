import { Controller, Get, Post } from '@nestjs/common';
import { Access, Public } from './access.decorator';
import { renderRouteTable, routeTable, undeclaredRoutes, withRouteTable } from './route-table';

@Access('auditor')
@Controller('things')
class ThingsController {
  @Get()
  list() {}

  @Post(':thingId/approval')
  @Access('employer-approver', 'employer-admin')
  approve() {}

  @Get('public-summary')
  @Public('Only counts.')
  summary() {}

  get notARoute() {
    throw new Error('a getter must not be read');
  }

  helper() {}
}

@Controller()
class ForgottenController {
  @Get('/forgotten/')
  forgotten() {}
}

describe('routeTable', () => {
  const rows = routeTable('svc', [ThingsController, ForgottenController]);

  it("reads each route's method, full path and access; the handler's declaration overrides the controller's", () => {
    expect(rows.map((r) => ({ method: r.method, path: r.path, access: r.access }))).toEqual([
      { method: 'GET', path: '/forgotten', access: undefined },
      { method: 'GET', path: '/things', access: { kind: 'roles', roles: ['auditor'] } },
      { method: 'POST', path: '/things/:thingId/approval', access: { kind: 'roles', roles: ['employer-approver', 'employer-admin'] } },
      { method: 'GET', path: '/things/public-summary', access: { kind: 'public', why: 'Only counts.' } },
    ]);
  });

  it('names the routes that declare nothing', () => {
    expect(undeclaredRoutes(rows).map((r) => `${r.controller}.${r.handler}`)).toEqual(['ForgottenController.forgotten']);
  });

  it('renders one Markdown row per route: roles, "public — why", or nobody', () => {
    const table = renderRouteTable(rows);
    expect(table.split('\n')).toEqual([
      '| service | method | path | who may call it |',
      '|---|---|---|---|',
      '| svc | GET | `/forgotten` | **nobody** (no `@Access` or `@Public`: denied by default) |',
      '| svc | GET | `/things` | `auditor` |',
      '| svc | POST | `/things/:thingId/approval` | `employer-approver`, `employer-admin` |',
      '| svc | GET | `/things/public-summary` | public — Only counts. |',
    ]);
  });
});

describe('withRouteTable', () => {
  it('replaces exactly what lies between the markers, and is idempotent', () => {
    const doc = 'intro\n<!-- routes:start -->\nold table\n<!-- routes:end -->\noutro\n';
    const once = withRouteTable(doc, 'NEW');
    expect(once).toBe('intro\n<!-- routes:start -->\nNEW\n<!-- routes:end -->\noutro\n');
    expect(withRouteTable(once, 'NEW')).toBe(once);
  });

  it('refuses a document without the markers', () => {
    expect(() => withRouteTable('no markers', 'x')).toThrow('<!-- routes:start -->');
  });
});
