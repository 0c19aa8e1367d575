import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderRegulatoryMarkdown } from '@aal/accountability';

/** Regenerates docs/regulatory.md from the regulatory duties' map. */
const target = join(__dirname, '..', '..', 'docs', 'regulatory.md');
writeFileSync(target, renderRegulatoryMarkdown());
process.stdout.write(`wrote ${target}\n`);
