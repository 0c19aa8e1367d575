// Resolves the @aal/* aliases of tsconfig.base.json against the compiled dist/ tree,
// so `node -r ./scripts/register-paths.js dist/...` runs without a bundler.
const path = require('node:path');
const tsConfigPaths = require('tsconfig-paths');
const { compilerOptions } = require('../tsconfig.base.json');
tsConfigPaths.register({
  baseUrl: path.join(__dirname, '..', 'dist'),
  paths: compilerOptions.paths,
});
