'use strict';
// Runs one of the project's compiled command-line tools (ledger-verify, ledger-monitor, …) from
// dist/. When the compiled code is missing or older than its TypeScript sources, builds the repo
// first with `npm run --silent build`, so a fresh checkout works without a manual build.

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
/** The libraries the tools are built from: the verifier and what it imports. */
const SOURCE_DIRS = ['libs/verifier/src', 'libs/accountability/src', 'libs/ledger-core/src', 'libs/contracts/src'];

function sourceFiles(dir) {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((d) => {
    const relative = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(relative);
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') && !d.name.endsWith('.d.ts') ? [relative] : [];
  });
}

/** The first source whose compiled file is missing or older, or null when dist is up to date. */
function staleSource() {
  for (const source of SOURCE_DIRS.flatMap(sourceFiles)) {
    const compiled = path.join(ROOT, 'dist', source.replace(/\.ts$/, '.js'));
    let compiledAt;
    try {
      compiledAt = fs.statSync(compiled).mtimeMs;
    } catch {
      return source;
    }
    if (compiledAt < fs.statSync(path.join(ROOT, source)).mtimeMs) return source;
  }
  return null;
}

/**
 * Runs `exported(argv)` of the compiled module `compiledPath` (relative to dist/) and exits with
 * the status it resolves to; any unexpected failure exits 2.
 */
function launch(tool, compiledPath, exported) {
  const cli = path.join(ROOT, 'dist', compiledPath);
  if (staleSource() !== null) {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const build = spawnSync(npm, ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
    // tsc emits even when other parts of the repo have type errors, so only our own output matters.
    if (!fs.existsSync(cli)) {
      process.stderr.write(
        `${tool}: could not build it:\n${build.stdout ?? ''}${build.stderr ?? ''}${build.error ? `${build.error.message}\n` : ''}`,
      );
      process.exit(2);
    }
    const stillStale = staleSource();
    if (stillStale !== null)
      process.stderr.write(`${tool}: warning: ${stillStale} changed during the build; running the code just built\n`);
  }
  require(path.join(ROOT, 'scripts', 'register-paths.js'));
  const { runAsProcess } = require(path.join(ROOT, 'dist', 'libs', 'verifier', 'src', 'process-main.js'));
  runAsProcess(tool, require(cli)[exported]);
}

module.exports = { launch };
