// One jest run covers every level; the level is in the file name
// (.unit.test.ts, .int.test.ts, .api.test.ts, .e2e.test.ts). Integration and e2e tests need
// Kafka and PostgreSQL: the global setup finds them (env, testcontainers, or the local script).
const { compilerOptions } = require('./tsconfig.base.json');
const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json', diagnostics: false }],
  },
  moduleNameMapper,
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 120000,
  verbose: false,
};
