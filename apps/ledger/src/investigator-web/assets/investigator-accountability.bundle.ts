import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Where the page loads the accountability bundle from (same origin, so `script-src 'self'` admits it). */
export const INVESTIGATOR_ACCOUNTABILITY_PATH = '/investigate/accountability.js';

/** The bundle `npm run build` writes (scripts/bundle-web.js), relative to the repository root. */
export const ACCOUNTABILITY_BUNDLE_FILE = join('dist', 'web', 'investigator-accountability.js');

/** Where the page loads its words, dates and oversight charts from (global `AalView`, Observable Plot inside). */
export const INVESTIGATOR_VIEW_PATH = '/investigate/view.js';
export const VIEW_BUNDLE_FILE = join('dist', 'web', 'investigator-view.js');

/**
 * Reads the browser bundle of @aal/accountability (the global `AalAccountability`) from dist/web.
 * The repository root is the nearest folder above this module holding package.json, other than dist/
 * itself (tsc copies package.json there: the verifier imports its version), so this works from the
 * compiled dist/ tree and from the sources under ts-jest alike. A ledger without the
 * bundle refuses to start: a page that cannot re-derive its answers must not look as if it could.
 */
export function readAccountabilityBundle(from: string = __dirname): string {
  return readWebBundle(ACCOUNTABILITY_BUNDLE_FILE, from);
}

/** Reads one of scripts/bundle-web.js's bundles (`file`, relative to the repository root) as readAccountabilityBundle does. */
export function readWebBundle(file: string, from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) || basename(dir) === 'dist') {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}: cannot find ${file}`);
    dir = parent;
  }
  const path = join(dir, file);
  if (!existsSync(path))
    throw new Error(`the investigator page's bundle ${path} is missing: run \`npm run build\` (it runs scripts/bundle-web.js)`);
  return readFileSync(path, 'utf8');
}
