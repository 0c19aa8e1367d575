import { renderRetentionMarkdown } from '@aal/service-kit';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_SCHEMAS } from './service-schemas';

/** Regenerates docs/retention.md from every service's retention table. */
const target = join(__dirname, '..', '..', 'docs', 'retention.md');
writeFileSync(target, renderRetentionMarkdown(ALL_SCHEMAS));
process.stdout.write(`wrote ${target}\n`);
