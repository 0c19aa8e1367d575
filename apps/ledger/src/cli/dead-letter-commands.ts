import { createKafka, EventPublisher, kafkaSettingsFromEnv, readTopicToEnd, topicsFor, type OutgoingMessage } from '@aal/kafka';
import type { Command } from 'commander';
import { readDeadLetter, redriveMessage, type DeadLetter } from '../intake/infrastructure/dead-letter';
import type { LedgerCliIo } from './ledger-cli';

/** Which dead letters a command is about: all of them, by code, or by their `<partition>:<offset>` in the topic. */
interface Selection {
  readonly code?: string;
  readonly offset: string[];
  readonly all?: boolean;
}

/**
 * `ledger dead-letters` (triage) and `ledger redrive` (after the cause is mended). Both read the
 * dead-letter topic to its current end through the broker of `KAFKA_BROKERS`, with the topic
 * names of `KAFKA_TOPIC_PREFIX`, as the service does. A re-driven event is checked by the ledger
 * as if it arrived the first time; one already recorded is a duplicate and makes no entry, so a
 * re-drive can be repeated safely.
 */
export function registerDeadLetterCommands(program: Command, io: LedgerCliIo, run: (action: () => Promise<number>) => void): void {
  const select = (command: Command) =>
    command
      .option('--code <code>', 'only dead letters refused with this code, e.g. EVENT.SIGNATURE_INVALID')
      .option('--offset <partition:offset>', 'only this dead letter (repeatable)', (v: string, p: string[]) => [...p, v], [] as string[]);
  select(
    program
      .command('dead-letters')
      .description('List the events the ledger refused (the dead-letter topic), oldest first: where each came from, its code and reason.'),
  )
    .option('--json', 'one JSON object per dead letter on stdout')
    .action((options: Selection & { json?: boolean }) => run(() => listDeadLetters(options, io)));
  select(
    program
      .command('redrive')
      .description(
        'Publish selected dead letters again, unchanged (signature included), to the topic each was read from, for the ledger to check afresh. ' +
          'Needs --all, --code or --offset. Already-recorded events are duplicates and make no entry.',
      ),
  )
    .option('--all', 'every dead letter (with --code: every one with that code)')
    .option('--dry-run', 'say what would be re-driven, publish nothing')
    .action((options: Selection & { dryRun?: boolean }) => run(() => redrive(options, io)));
}

async function listDeadLetters(options: Selection & { json?: boolean }, io: LedgerCliIo): Promise<number> {
  const letters = (await selected(options, io)).map((s) => s.letter);
  for (const d of letters) io.stdout.write(options.json ? `${JSON.stringify(d)}\n` : `${describe(d)}\n`);
  if (!options.json) io.stderr.write(`${letters.length} dead letter(s)\n`);
  return 0;
}

async function redrive(options: Selection & { dryRun?: boolean }, io: LedgerCliIo): Promise<number> {
  if (!options.all && options.code === undefined && options.offset.length === 0) {
    io.stderr.write('ledger redrive: say which dead letters: --all, --code <code> or --offset <partition:offset>\n');
    return 2;
  }
  const settings = kafkaSettingsFromEnv('ledger-cli', io.env);
  const eventTopics = Object.values(topicsFor(settings).events);
  const chosen = await selected(options, io);
  const messages: OutgoingMessage[] = [];
  let refused = 0;
  for (const { letter, message } of chosen) {
    const again = redriveMessage(message, eventTopics);
    if ('refused' in again) {
      io.stderr.write(`not re-driven: ${again.refused}\n`);
      refused++;
      continue;
    }
    io.stdout.write(`${options.dryRun ? 'would re-drive' : 're-driving'} ${describe(letter)}\n`);
    messages.push(again);
  }
  if (!options.dryRun && messages.length > 0) {
    const client = createKafka(settings);
    const publisher = new EventPublisher(client);
    try {
      await publisher.publish(messages);
    } finally {
      await publisher.disconnect();
      await client.close();
    }
  }
  io.stderr.write(`${messages.length} dead letter(s) ${options.dryRun ? 'would be re-driven' : 're-driven'}, ${refused} refused\n`);
  return refused > 0 ? 1 : 0;
}

async function selected(options: Selection, io: LedgerCliIo) {
  const settings = kafkaSettingsFromEnv('ledger-cli', io.env);
  const client = createKafka(settings);
  try {
    const all = await readTopicToEnd(client, topicsFor(settings).deadLetter);
    const wanted = new Set(options.offset);
    const found = new Set<string>();
    const chosen = all.flatMap((message) => {
      const letter = readDeadLetter(message);
      if (!letter) return [];
      if (options.code !== undefined && letter.code !== options.code) return [];
      if (wanted.size > 0 && !wanted.has(letter.at)) return [];
      found.add(letter.at);
      return [{ letter, message }];
    });
    const missing = options.offset.filter((at) => !found.has(at));
    if (missing.length > 0) throw new Error(`no dead letter at ${missing.join(', ')}${options.code ? ` with code ${options.code}` : ''}`);
    return chosen;
  } finally {
    await client.close();
  }
}

function describe(d: DeadLetter): string {
  const { id, type } = d.event;
  return `${d.at}  ${d.rejectedAt}  ${d.code}  from ${d.original.topic}/${d.original.partition}@${d.original.offset}  ${type ?? '(no type)'} ${id ?? '(no id)'}: ${d.reason}`;
}
