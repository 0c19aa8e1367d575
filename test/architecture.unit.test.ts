import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { SERVICE_NAMES, SUBJECT_KINDS } from '@aal/contracts';

/**
 * Domain code and the pure libraries import no framework, database, broker or crypto-token code,
 * directly or through the project's own infrastructure libraries. This walks the sources, so a new
 * file that breaks the rule fails here.
 */
const ROOT = join(__dirname, '..');
const FORBIDDEN = [
  /^@nestjs\//,
  /^typeorm/,
  /^kafkajs/,
  /^pg(\/|$)/,
  /^jose/,
  /^express/,
  /^@aal\/(kafka|outbox|database|http|service-kit|testing|telemetry)(\/|$)/,
  /^@opentelemetry\//,
];

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
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => (m[1] ?? m[2])!,
  );
}

/** Every module a file loads, side-effect imports (`import './x'`) included, in source order. */
function importsOrSideEffects(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^import\s(?:[^'"]*?from\s+)?['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

const pureRoots = [
  ...domainFolders(join(ROOT, 'apps')),
  join(ROOT, 'libs/ledger-core/src'),
  join(ROOT, 'libs/contracts/src'),
  join(ROOT, 'libs/domain/src'),
  join(ROOT, 'libs/accountability/src'),
];

describe('architecture', () => {
  it('finds the domain folders of every service', () => {
    const services = new Set(pureRoots.filter((p) => p.includes('/apps/')).map((p) => relative(join(ROOT, 'apps'), p).split('/')[0]));
    expect([...services].sort()).toEqual([...SERVICE_NAMES].sort());
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
      .flatMap((file) =>
        importsOf(file)
          .filter((spec) => /^kafkajs(\/|$)/.test(spec))
          .map((spec) => `${relative(ROOT, file)} imports ${spec}`),
      );
    expect(offending).toEqual([]);
  });

  it('lets only libs/telemetry import @opentelemetry/*, so the tracing set-up and its spans are in one folder', () => {
    const offending = ['apps', 'libs', 'test', 'bench', 'scripts']
      .flatMap((dir) => sourcesWithTests(join(ROOT, dir)))
      .filter((file) => !relative(ROOT, file).startsWith('libs/telemetry/'))
      .flatMap((file) =>
        importsOf(file)
          .filter((spec) => /^@opentelemetry\//.test(spec))
          .map((spec) => `${relative(ROOT, file)} imports ${spec}`),
      );
    expect(offending).toEqual([]);
  });

  it.each(SERVICE_NAMES.map((s) => [s]))(
    "%s: main.ts imports its tracing.ts first, which starts tracing under the service's name",
    (service) => {
      const main = join(ROOT, 'apps', service, 'src', 'main.ts');
      expect(importsOrSideEffects(main)[0]).toBe('./tracing');
      expect(readFileSync(join(ROOT, 'apps', service, 'src', 'tracing.ts'), 'utf8')).toContain(`startTracing('${service}');`);
    },
  );

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

  it("spells subjects only through the contracts' subjectOf, so `<kind>/<id>` is written in one place", () => {
    // Its own definition, and the contracts' tests that specify the format, are the only places it is spelt out.
    const spelling = new RegExp(`[\`'"](?:${SUBJECT_KINDS.join('|')})/\\$\\{|\\$\\{[A-Z_]*AGGREGATE\\}/\\$\\{`);
    const offending = ['apps', 'libs', 'test', 'bench', 'scripts']
      .flatMap((dir) => sourcesWithTests(join(ROOT, dir)))
      .map((file) => relative(ROOT, file))
      .filter((file) => file !== 'libs/contracts/src/subjects.ts' && !/^libs\/contracts\/src\/[^/]+\.test\.ts$/.test(file))
      .flatMap((file) =>
        readFileSync(join(ROOT, file), 'utf8')
          .split('\n')
          .flatMap((line, i) => (spelling.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(offending).toEqual([]);
  });

  // TypeBox (plain JavaScript, no I/O) defines the answers' schemas, as it does the contracts' events.
  it('libs/accountability (recomputed offline, later in a browser) imports only the contracts, TypeBox and itself, and no Node API', () => {
    const offending = sources(join(ROOT, 'libs/accountability/src'))
      .filter((file) => !file.includes('/testing/'))
      .flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        const bad = importsOf(file).filter((spec) => spec !== '@aal/contracts' && spec !== '@sinclair/typebox' && !spec.startsWith('./'));
        if (/\bBuffer\b|\bprocess\.|node:/.test(text)) bad.push('a Node API');
        return bad.map((spec) => `${relative(ROOT, file)} uses ${spec}`);
      });
    expect(offending).toEqual([]);
  });
});

/**
 * usage-events, bottom to top: a kernel (the two clocks, the rules every report obeys), the
 * features (outputs, instructions, incidents, deployment directory, idempotency: their deciders,
 * request schemas, records and queries), the `reports/` write path that folds reports through
 * the features' deciders, and the routes (controllers, modules, batches, FHIR, app wiring). A file
 * imports only from its own layer or below, so no arrow runs back up.
 */
const USAGE_EVENTS = join(ROOT, 'apps/usage-events/src');
const USAGE_LAYERS = ['kernel', 'features', 'reports', 'routes'] as const;

function usageLayerOf(file: string): (typeof USAGE_LAYERS)[number] {
  const path = relative(USAGE_EVENTS, file);
  if (/\.(controller|module)\.ts$/.test(path) || /^(batches|fhir|testing)\//.test(path) || !path.includes('/')) return 'routes';
  if (path.startsWith('reports/')) return 'reports';
  if (path.startsWith('usage/') || path.startsWith('database/')) return 'kernel';
  return 'features';
}

describe('usage-events layering', () => {
  const files = sources(USAGE_EVENTS);

  it('finds files in every layer', () => {
    expect([...new Set(files.map(usageLayerOf))].sort()).toEqual([...USAGE_LAYERS].sort());
  });

  it('has no import running from a lower layer up to a higher one', () => {
    const rank = (file: string) => USAGE_LAYERS.indexOf(usageLayerOf(file));
    const offending = files.flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => `${resolve(dirname(file), spec)}.ts`)
        .filter((target) => rank(target) > rank(file))
        .map(
          (target) =>
            `${relative(USAGE_EVENTS, file)} (${usageLayerOf(file)}) imports ${relative(USAGE_EVENTS, target)} (${usageLayerOf(target)})`,
        ),
    );
    expect(offending).toEqual([]);
  });

  it('keeps the kernel free of every other folder', () => {
    const offending = files
      .filter((file) => relative(USAGE_EVENTS, file).startsWith('usage/'))
      .flatMap((file) =>
        importsOf(file)
          .filter((spec) => spec.startsWith('.') && !relative(USAGE_EVENTS, resolve(dirname(file), spec)).startsWith('usage/'))
          .map((spec) => `${relative(USAGE_EVENTS, file)} imports ${spec}`),
      );
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
