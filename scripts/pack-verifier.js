// Packs `ledger-verify` as a tarball anyone can run with only Node.js (issue #17):
//   npx ./dist/pack/ai-accountability-ledger-verify-<version>.tgz --help
// esbuild bundles libs/verifier/src/packed-main.ts with everything it imports (the workspace
// libraries through tsconfig's paths, commander, ajv, cli-progress) into one CommonJS file, so the
// package declares no dependencies and npx installs nothing from a registry. Straight from the
// TypeScript sources: the monorepo need not be built. Prints the tarball's path.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
const template = path.join(root, 'packages', 'ledger-verify');
const stage = path.join(root, 'dist', 'pack', 'ledger-verify');
const rootPackage = require(path.join(root, 'package.json'));

fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(stage, { recursive: true });
esbuild.buildSync({
  entryPoints: [path.join(root, 'libs', 'verifier', 'src', 'packed-main.ts')],
  outfile: path.join(stage, 'ledger-verify.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  tsconfig: path.join(root, 'tsconfig.base.json'),
  banner: { js: '#!/usr/bin/env node' },
  legalComments: 'none',
  logLevel: 'warning',
});
fs.copyFileSync(path.join(template, 'README.md'), path.join(stage, 'README.md'));
const manifest = {
  name: 'ai-accountability-ledger-verify',
  version: rootPackage.version,
  description: 'Verify an AI Accountability Ledger log or case export offline, trusting no server.',
  license: rootPackage.license,
  bin: { 'ledger-verify': 'ledger-verify.js' },
  files: ['ledger-verify.js', 'README.md'],
  engines: rootPackage.engines,
};
fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', path.dirname(stage)], {
  cwd: stage,
  encoding: 'utf8',
}).trim();
process.stdout.write(`${path.join(path.dirname(stage), packed.split('\n').pop())}\n`);
