import { renderRetentionMarkdown } from '@aal/service-kit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_SCHEMAS } from '../scripts/service-schemas';

describe('docs/retention.md', () => {
  it("is generated from every service's retention table (run `npm run docs:retention` when this fails)", () => {
    expect(readFileSync(join(__dirname, '..', 'docs', 'retention.md'), 'utf8')).toBe(renderRetentionMarkdown(ALL_SCHEMAS));
  });

  it('states the log kept for ever and every table of every schema', () => {
    const markdown = renderRetentionMarkdown(ALL_SCHEMAS);
    expect(markdown).toContain('| `entries` | kept for ever, append-only |');
    for (const schema of ALL_SCHEMAS)
      for (const table of Object.keys(schema.retention.tables)) expect(markdown).toContain(`| \`${table}\` |`);
  });
});
