import { EVENT_CATALOGUE } from '@aal/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FINDING_CODES } from './findings';
import { OVERSIGHT_FINDING_CODES } from './oversight-findings';
import { renderRegulatoryMarkdown } from './regulatory-docs';
import { REGULATORY_DUTIES } from './regulatory-map';

describe('docs/regulatory.md', () => {
  it('is generated from the current duties map (run `npm run docs:regulatory` when this fails)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'regulatory.md'), 'utf8');
    expect(committed).toBe(renderRegulatoryMarkdown());
  });

  it('maps each duty the issue names, once', () => {
    const ids = REGULATORY_DUTIES.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const source of ['DCB0129', 'DCB0160', 'Art. 12', 'Art. 14', 'Art. 26(6)', 'Art. 72', 'Art. 73'])
      expect(REGULATORY_DUTIES.some((d) => d.source.includes(source))).toBe(true);
  });

  it('names only events of the catalogue and findings of the findings tables, and says so plainly where none flags a duty', () => {
    const names = new Set(EVENT_CATALOGUE.map((d) => d.name));
    const findings = new Set<string>([...FINDING_CODES, ...OVERSIGHT_FINDING_CODES]);
    for (const d of REGULATORY_DUTIES) {
      expect(d.events.filter((e) => !names.has(e))).toEqual([]);
      expect(d.findings.filter((f) => !findings.has(f))).toEqual([]);
      if (d.findings.length === 0) expect(d.notRecorded).toEqual(expect.any(String));
      // Each finding once per duty (the scope codes already hold some that were also listed by name).
      expect(d.findings.filter((f, i) => d.findings.indexOf(f) !== i)).toEqual([]);
      expect(d.events.filter((e, i) => d.events.indexOf(e) !== i)).toEqual([]);
    }
    expect(renderRegulatoryMarkdown()).toContain('| no finding flags it |');
  });
});
