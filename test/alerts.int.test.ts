import { startProducer, type RunningProducer } from '@aal/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { TestLedger } from '../apps/ledger/src/testing/test-ledger';
import { AppModule as ModelRegistryModule } from '../apps/model-registry/src/app.module';
import { MODEL_REGISTRY_SCHEMA } from '../apps/model-registry/src/database/model-registry.schema';

/**
 * The alerting rules an operator loads (deploy/helm/ai-accountability-ledger/files/alerts.yml)
 * must watch metrics that exist: an alert on a misspelt or renamed metric never fires, silently.
 * Every metric an expression names is one the running services export (the ledger and a
 * producer, started as in production), and every alert points at a runbook section that exists.
 */
const ROOT = join(__dirname, '..');
interface Rule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: { readonly severity: string };
  readonly annotations: { readonly summary: string; readonly runbook: string };
}
const rules = (
  parseAllDocuments(readFileSync(join(ROOT, 'deploy/helm/ai-accountability-ledger/files/alerts.yml'), 'utf8'))[0]!.toJS() as {
    groups: Array<{ rules: Rule[] }>;
  }
).groups.flatMap((g) => g.rules);

/** Metric names in a PromQL expression: identifiers outside label matchers, ranges and strings, that are not functions, keywords or grouping labels. */
function metricsIn(expr: string): string[] {
  const bare = expr
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring)\s*\([^)]*\)/g, ' ');
  const words = bare.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  const promql = new Set(['sum', 'rate', 'increase', 'histogram_quantile', 'and', 'or', 'unless', 'max', 'min', 'avg', 'count', 'bool']);
  return [...new Set(words.filter((w) => !promql.has(w)))];
}

/** Names a /metrics page declares (`# TYPE name kind`), with each histogram's series names. */
function exported(page: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, kind] of page.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (kind === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

describe('alerting rules', () => {
  let ledger: TestLedger;
  let producer: RunningProducer;
  let metrics: Set<string>;

  beforeAll(async () => {
    ledger = await TestLedger.start('alerts-test');
    producer = await startProducer('model-registry', MODEL_REGISTRY_SCHEMA, (config) => ModelRegistryModule.register(config));
    const pages = await Promise.all([ledger.baseUrl, producer.baseUrl].map((url) => fetch(`${url}/metrics`).then((r) => r.text())));
    metrics = new Set(pages.flatMap((page) => [...exported(page)]));
  });

  afterAll(async () => {
    await producer?.close();
    await ledger?.stop();
  });

  it('has rules, each with a severity, a summary and a unique name', () => {
    expect(rules.length).toBeGreaterThanOrEqual(8);
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
    for (const rule of rules) {
      expect({ alert: rule.alert, severity: ['critical', 'warning'].includes(rule.labels.severity) }).toEqual({
        alert: rule.alert,
        severity: true,
      });
      expect(rule.annotations.summary.length).toBeGreaterThan(20);
    }
  });

  it('names only metrics the services export', () => {
    const missing = rules.flatMap((r) =>
      metricsIn(r.expr)
        .filter((m) => !metrics.has(m))
        .map((m) => `${r.alert}: ${m}`),
    );
    expect(missing).toEqual([]);
    // The check itself reads names: a misspelt metric is caught.
    expect(metricsIn('increase(ledger_dead_letter_total[15m]) > 0').filter((m) => !metrics.has(m))).toEqual(['ledger_dead_letter_total']);
  });

  it('points each alert at a section of the runbook that exists', () => {
    const operations = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
    // GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens.
    const anchors = new Set(
      [...operations.matchAll(/^#+ (.+)$/gm)].map(([, title]) =>
        title!
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    const broken = rules.filter((r) => {
      const [file, anchor] = r.annotations.runbook.split('#');
      return file !== 'docs/operations.md' || !anchors.has(anchor!);
    });
    expect(broken.map((r) => `${r.alert}: ${r.annotations.runbook}`)).toEqual([]);
  });
});
