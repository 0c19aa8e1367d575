import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderFindingsMarkdown } from '@aal/accountability';

/** Regenerates docs/findings.md from the finding definitions. */
const target = join(__dirname, '..', '..', 'docs', 'findings.md');
writeFileSync(target, renderFindingsMarkdown());
process.stdout.write(`wrote ${target}\n`);
