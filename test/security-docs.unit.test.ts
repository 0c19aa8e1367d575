import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { undeclaredRoutes } from '../libs/auth/src/route-table';
import { discoverRoutes, securityDocument } from '../scripts/generate-security-docs';

const root = join(__dirname, '..');

describe('docs/security.md and the routes of every service', () => {
  it('holds the role-route table generated from the current controllers (run `npm run docs:security` when this fails)', () => {
    expect(readFileSync(join(root, 'docs', 'security.md'), 'utf8')).toBe(securityDocument(root));
  });

  it('finds the routes of all four services, health and metrics included', () => {
    const routes = discoverRoutes(root);
    expect([...new Set(routes.map((r) => r.service))]).toEqual(['deployment-approval', 'ledger', 'model-registry', 'usage-events']);
    for (const service of ['deployment-approval', 'ledger', 'model-registry', 'usage-events']) {
      expect(routes.filter((r) => r.service === service).map((r) => `${r.method} ${r.path}`)).toEqual(
        expect.arrayContaining(['GET /health/live', 'GET /health/ready', 'GET /metrics']),
      );
    }
  });

  it('has no route that declares neither @Access nor @Public (such a route is refused to everyone)', () => {
    expect(undeclaredRoutes(discoverRoutes(root)).map((r) => `${r.service} ${r.method} ${r.path} (${r.controller}.${r.handler})`)).toEqual(
      [],
    );
  });

  it("keeps public routes to health, metrics, the investigator page and the log's checkpoints, key and proofs", () => {
    const publicPaths = discoverRoutes(root)
      .filter((r) => r.access?.kind === 'public')
      .map((r) => r.path);
    for (const path of publicPaths) {
      expect(path).toMatch(
        /^\/(health\/(live|ready)|metrics|checkpoint(\/witnessed)?|checkpoints(\/.*)?|log\/public-key|entries\/:seq\/inclusion-proof|proofs\/consistency|tile\/\*path|investigate(\/(app\.js|accountability\.js|view\.js|icon\.svg))?)$/,
      );
    }
  });
});
