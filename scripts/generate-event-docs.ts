import { renderCatalogueMarkdown } from '@aal/contracts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Regenerates docs/events.md from the event definitions. */
const target = join(__dirname, '..', '..', 'docs', 'events.md');
writeFileSync(target, renderCatalogueMarkdown());
process.stdout.write(`wrote ${target}\n`);
