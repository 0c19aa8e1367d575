import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where the page loads the accountability bundle from (same origin, so `script-src 'self'` admits it). */
export const INVESTIGATOR_ACCOUNTABILITY_PATH = '/investigate/accountability.js';

/** The bundle `npm run build` writes (scripts/bundle-web.js), relative to the repository root. */
export const ACCOUNTABILITY_BUNDLE_FILE = join('dist', 'web', 'investigator-accountability.js');

/**
 * Reads the browser bundle of @aal/accountability (the global `AalAccountability`) from dist/web.
 * The repository root is the nearest folder above this module holding package.json, so this works
 * from the compiled dist/ tree and from the sources under ts-jest alike. A ledger without the
 * bundle refuses to start: a page that cannot re-derive its answers must not look as if it could.
 */
export function readAccountabilityBundle(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}: cannot find ${ACCOUNTABILITY_BUNDLE_FILE}`);
    dir = parent;
  }
  const file = join(dir, ACCOUNTABILITY_BUNDLE_FILE);
  if (!existsSync(file))
    throw new Error(
      `the investigator page's accountability bundle ${file} is missing: run \`npm run build\` (it runs scripts/bundle-web.js)`,
    );
  return readFileSync(file, 'utf8');
}
