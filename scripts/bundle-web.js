// Bundles the pure accountability code for the investigator page (issue #12): one IIFE,
// dist/web/investigator-accountability.js, defining the global `AalAccountability`, served at
// /investigate/accountability.js. The page runs the same recomputeCaseAnswers (and the same
// timelineEntry, through recomputeTimeline) as the ledger and `ledger-verify --bundle`, not a copy,
// and its entry-proof code (browser/entry-proof.ts, WebCrypto only) from here too. The page's CSP
// forbids eval, so the contracts' Ajv validation (which compiles validators with `new Function`) is swapped for
// libs/contracts/src/validation.browser.ts, which checks the same TypeBox schemas with TypeBox's
// interpreter. Run by `npm run build`, after tsc.
//
// A second IIFE, dist/web/investigator-view.js (global `AalView`, served at /investigate/view.js),
// holds the page's words and dates (browser/view-words.ts) and its oversight charts
// (browser/oversight-charts.ts) with Observable Plot bundled in from node_modules (issue #14): no CDN.
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
const OUT = path.join(root, 'dist', 'web', 'investigator-accountability.js');
const VIEW_OUT = path.join(root, 'dist', 'web', 'investigator-view.js');
const VIEW_ENTRY = [
  "export { FIELD_WORDS, fieldWords, localTime, utcDayText, utcTitle } from './apps/ledger/src/investigator-web/assets/browser/view-words';",
  "export { OVERSIGHT_CHARTS, chartRows, periodText, renderChart } from './apps/ledger/src/investigator-web/assets/browser/oversight-charts';",
].join('\n');
// The only workspace libraries the browser code may reach: both are pure by design.
const LIBS = { '@aal/contracts': 'libs/contracts/src/index.ts', '@aal/accountability': 'libs/accountability/src/index.ts' };
const CONTRACTS_SRC = path.join(root, 'libs', 'contracts', 'src');
// What the page calls: the shared answer and timeline code, and its own proof code (WebCrypto only).
const ENTRY = [
  "export { expandSharedAnswers, recomputeCaseAnswers, recomputeTimeline, recommendationsRecomputation, holdsRecomputation, FINDINGS, OVERSIGHT_FINDINGS } from '@aal/accountability';",
  "export { entryText, equalBytes, fromBase64, fromHex, hex, leafHashOf, openCheckpoint, parseVerifierKey, rootFromInclusionProof } from './apps/ledger/src/investigator-web/assets/browser/entry-proof';",
].join('\n');

const browserResolution = {
  name: 'aal-browser',
  setup(build) {
    build.onResolve({ filter: /^@aal\// }, (args) => {
      const target = LIBS[args.path];
      if (!target)
        return {
          errors: [
            { text: `${args.path} is not browser-safe: the investigator bundle may import only ${Object.keys(LIBS).join(' and ')}` },
          ],
        };
      return { path: path.join(root, target) };
    });
    build.onResolve({ filter: /^\.\/validation$/ }, (args) =>
      path.resolve(args.resolveDir) === CONTRACTS_SRC ? { path: path.join(CONTRACTS_SRC, 'validation.browser.ts') } : undefined,
    );
  },
};

async function main() {
  const result = await esbuild.build({
    stdin: { contents: ENTRY, resolveDir: root, loader: 'ts', sourcefile: 'investigator-accountability.ts' },
    bundle: true,
    format: 'iife',
    globalName: 'AalAccountability',
    platform: 'browser',
    target: 'es2022',
    outfile: OUT,
    legalComments: 'eof',
    metafile: true,
    plugins: [browserResolution],
    logLevel: 'warning',
    banner: { js: '// Built by scripts/bundle-web.js from libs/accountability and libs/contracts; do not edit.' },
  });
  // Guard the CSP's premise: nothing that generates code may end up in the bundle.
  const inputs = Object.keys(result.metafile.inputs);
  const forbidden = inputs.filter((p) =>
    /node_modules\/ajv\/|libs\/contracts\/src\/validation\.ts$|typebox\/build\/[^/]+\/compiler\//.test(p),
  );
  if (forbidden.length > 0) throw new Error(`the investigator bundle must not contain code generators: ${forbidden.join(', ')}`);

  const view = await esbuild.build({
    stdin: { contents: VIEW_ENTRY, resolveDir: root, loader: 'ts', sourcefile: 'investigator-view.ts' },
    bundle: true,
    minify: true,
    format: 'iife',
    globalName: 'AalView',
    platform: 'browser',
    target: 'es2022',
    outfile: VIEW_OUT,
    legalComments: 'eof',
    metafile: true,
    plugins: [browserResolution],
    logLevel: 'warning',
    banner: { js: "// Built by scripts/bundle-web.js from the investigator page's view code and @observablehq/plot; do not edit." },
  });
  const generators = Object.keys(view.metafile.inputs).filter((p) => /node_modules\/ajv\//.test(p));
  if (generators.length > 0) throw new Error(`the investigator view bundle must not contain code generators: ${generators.join(', ')}`);
  // The page's CSP admits no eval: a chart library update that brings one in must fail the build, not the page.
  const text = require('node:fs').readFileSync(VIEW_OUT, 'utf8');
  if (/\bnew Function\s*\(|[^.\w]eval\s*\(/.test(text))
    throw new Error(`${VIEW_OUT} calls eval or new Function, which the page's CSP refuses`);
}

main().catch((err) => {
  console.error(`bundle-web: ${err?.message ? err.message : err}`);
  process.exit(1);
});
