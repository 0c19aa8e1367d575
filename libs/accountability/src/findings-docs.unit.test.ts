import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FINDING_CODES, FINDINGS } from './findings';
import { renderFindingsMarkdown } from './findings-docs';

describe('docs/findings.md', () => {
  it('is generated from the current finding definitions (run `npm run docs:findings` when this fails)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'findings.md'), 'utf8');
    expect(committed).toBe(renderFindingsMarkdown());
  });

  it('documents every finding code with its title and description', () => {
    const markdown = renderFindingsMarkdown();
    for (const code of FINDING_CODES) {
      expect(markdown).toContain(`## ${code}`);
      expect(markdown).toContain(FINDINGS[code].title);
      expect(markdown).toContain(FINDINGS[code].description);
    }
  });
});
