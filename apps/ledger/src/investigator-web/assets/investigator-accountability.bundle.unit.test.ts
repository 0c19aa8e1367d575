import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACCOUNTABILITY_BUNDLE_FILE, readAccountabilityBundle } from './investigator-accountability.bundle';

describe('readAccountabilityBundle', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'aal-bundle-'));
    writeFileSync(join(root, 'package.json'), '{}');
    mkdirSync(join(root, 'dist', 'apps', 'ledger'), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('given no bundle, when read, then it fails naming the file and the build that writes it', () => {
    expect(() => readAccountabilityBundle(join(root, 'dist', 'apps', 'ledger'))).toThrow(
      /investigator-accountability\.js is missing: run `npm run build`/,
    );
  });

  it('given the bundle under dist/web of the nearest package root, when read from deep inside dist, then it is returned', () => {
    mkdirSync(join(root, 'dist', 'web'), { recursive: true });
    writeFileSync(join(root, ACCOUNTABILITY_BUNDLE_FILE), 'var AalAccountability = {};');
    expect(readAccountabilityBundle(join(root, 'dist', 'apps', 'ledger'))).toBe('var AalAccountability = {};');
  });

  it('given the package.json tsc copies into dist/, when read from inside dist, then the bundle of the repository root is returned', () => {
    writeFileSync(join(root, 'dist', 'package.json'), '{}');
    mkdirSync(join(root, 'dist', 'web'), { recursive: true });
    writeFileSync(join(root, ACCOUNTABILITY_BUNDLE_FILE), 'var AalAccountability = {};');
    expect(readAccountabilityBundle(join(root, 'dist', 'apps', 'ledger'))).toBe('var AalAccountability = {};');
  });
});
