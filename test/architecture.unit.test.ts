import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * Domain code and the pure libraries import no framework, database, broker or crypto-token code,
 * directly or through the project's own infrastructure libraries. This walks the sources, so a new
 * file that breaks the rule fails here.
 */
const ROOT = join(__dirname, '..');
const FORBIDDEN = [/^@nestjs\//, /^typeorm/, /^kafkajs/, /^pg(\/|$)/, /^jose/, /^express/, /^@aal\/(kafka|outbox|database|http|service-kit|testing)(\/|$)/];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

function domainFolders(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (!statSync(path).isDirectory() || name === 'node_modules') return [];
    return name === 'domain' ? [path] : domainFolders(path);
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => (m[1] ?? m[2])!);
}

const pureRoots = [...domainFolders(join(ROOT, 'apps')), join(ROOT, 'libs/ledger-core/src'), join(ROOT, 'libs/contracts/src'), join(ROOT, 'libs/domain/src'), join(ROOT, 'libs/accountability/src')];

describe('architecture', () => {
  it('finds the domain folders of every service', () => {
    const services = new Set(pureRoots.filter((p) => p.includes('/apps/')).map((p) => relative(join(ROOT, 'apps'), p).split('/')[0]));
    expect([...services].sort()).toEqual(['deployment-approval', 'ledger', 'model-registry', 'usage-events']);
  });

  it.each(pureRoots.map((p) => [relative(ROOT, p)]))('%s imports no framework or I/O library', (folder) => {
    const offending = sources(join(ROOT, folder)).flatMap((file) =>
      importsOf(file)
        .filter((spec) => FORBIDDEN.some((rule) => rule.test(spec)))
        .map((spec) => `${relative(ROOT, file)} imports ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('lets only libs/kafka import kafkajs, so replacing the unmaintained client is a change in one folder', () => {
    const everywhere = ['apps', 'libs', 'test', 'bench', 'scripts'].flatMap((dir) => sourcesWithTests(join(ROOT, dir)));
    const offending = everywhere
      .filter((file) => !relative(ROOT, file).startsWith('libs/kafka/'))
      .flatMap((file) => importsOf(file).filter((spec) => /^kafkajs(\/|$)/.test(spec)).map((spec) => `${relative(ROOT, file)} imports ${spec}`));
    expect(offending).toEqual([]);
  });

  it('production code imports no test code (libs/testing, testing/ folders), so test data stays out of dist/', () => {
    const isTestCode = (path: string) => /(^|\/)testing(\/|$)/.test(relative(ROOT, path));
    const production = ['apps', 'libs', 'scripts'].flatMap((dir) => sources(join(ROOT, dir))).filter((file) => !isTestCode(file));
    const offending = production.flatMap((file) =>
      importsOf(file)
        .filter((spec) => /^@aal\/testing(\/|$)/.test(spec) || (spec.startsWith('.') && isTestCode(join(dirname(file), spec))))
        .map((spec) => `${relative(ROOT, file)} imports ${spec}`),
    );
    expect(production.length).toBeGreaterThan(100);
    expect(offending).toEqual([]);
  });

  it('libs/accountability (recomputed offline, later in a browser) imports only the contracts and itself, and no Node API', () => {
    const offending = sources(join(ROOT, 'libs/accountability/src'))
      .filter((file) => !file.includes('/testing/'))
      .flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        const bad = importsOf(file).filter((spec) => spec !== '@aal/contracts' && !spec.startsWith('./'));
        if (/\bBuffer\b|\bprocess\.|node:/.test(text)) bad.push('a Node API');
        return bad.map((spec) => `${relative(ROOT, file)} uses ${spec}`);
      });
    expect(offending).toEqual([]);
  });
});

/** Every TypeScript file below `dir`, tests included (node_modules excepted). */
function sourcesWithTests(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    if (statSync(path).isDirectory()) return sourcesWithTests(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}
