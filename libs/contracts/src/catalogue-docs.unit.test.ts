import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_CATALOGUE } from './catalogue';
import { renderCatalogueMarkdown } from './catalogue-docs';

describe('docs/events.md', () => {
  it('is generated from the current contracts (run `npm run docs:events` when this fails)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'events.md'), 'utf8');
    expect(committed).toBe(renderCatalogueMarkdown());
  });

  it('documents every event type with each of its fields', () => {
    const markdown = renderCatalogueMarkdown();
    for (const definition of EVENT_CATALOGUE) {
      expect(markdown).toContain(`## ${definition.name}`);
      for (const field of Object.keys(definition.schema.properties)) expect(markdown).toContain(`| \`${field}\` |`);
    }
  });
});
