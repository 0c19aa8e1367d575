import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The verification engine does no I/O and reads no clock: everything it judges is given to it, so
 * the same input always gives the same verdict. I/O lives in the sources, the state file and the
 * CLI. This reads the engine's sources and fails when one reaches for the outside world.
 */
const ENGINE = [
  'log-verifier.ts',
  'case-bundle-verifier.ts',
  'wire-format.ts',
  'log-export-format.ts',
  'verification-problem.ts',
  'trust-state.ts',
  'verify-log.ts',
  'verifier-setup.error.ts',
  'ledger-source.ts',
  'event-signature-check.ts',
  'witness-policy.ts',
];
// @aal/accountability and @aal/contracts are pure too (test/architecture.unit.test.ts): the answers are recomputed with
// the ledger's own code, and subjects and catalogue names are read from the contracts.
const ALLOWED_IMPORTS = [/^@aal\/ledger-core$/, /^@aal\/accountability$/, /^@aal\/contracts$/, /^\.\/[a-z-.]+$/];
const FORBIDDEN_CALLS = [
  /\bfetch\(/,
  /\bprocess\./,
  /\bDate\.now\(/,
  /\bnew Date\(/,
  /\bperformance\./,
  /\bsetTimeout\(/,
  /\bconsole\./,
  /\brequire\(/,
];

const source = (file: string) => readFileSync(join(__dirname, file), 'utf8');
const importsOf = (text: string) => [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);

describe('verification engine purity', () => {
  it.each(ENGINE)('%s imports only ledger-core, accountability, contracts and engine files', (file) => {
    expect(importsOf(source(file)).filter((spec) => !ALLOWED_IMPORTS.some((rule) => rule.test(spec)))).toEqual([]);
  });

  it.each(ENGINE)('%s reads no clock, environment or network', (file) => {
    const text = source(file);
    expect(FORBIDDEN_CALLS.filter((rule) => rule.test(text)).map(String)).toEqual([]);
  });

  it('the engine files import one another only, never the I/O layer', () => {
    const io = ['./http-ledger-source', './bundle-source', './trust-state-file', './cli'];
    expect(
      ENGINE.flatMap((file) =>
        importsOf(source(file))
          .filter((spec) => io.includes(spec))
          .map((spec) => `${file} → ${spec}`),
      ),
    ).toEqual([]);
  });
});
