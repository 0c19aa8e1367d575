import { EventKeyError, NoteError, parseEventKeySet, parseVerifierKey, parseWitnessVerifierKey, type EventKeySet } from '@aal/ledger-core';
import { Presets, SingleBar } from 'cli-progress';
import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BundleSource, readBundleDocument } from './bundle-source';
import { caseProblemLocation, isCaseBundle, verifyCaseBundle } from './case-bundle-verifier';
import { HttpLedgerSource } from './http-ledger-source';
import type { LedgerSource } from './ledger-source';
import type { LogExportHeader } from './log-export-format';
import { readLogExportHeader, verifyLogExport } from './log-export-reader';
import type { VerifierKey } from './log-verifier';
import { advanceTrustState, trustedCheckpoint } from './trust-state';
import { defaultTrustStatePath, loadTrustState, saveTrustState } from './trust-state-file';
import { problemLocation } from './verification-problem';
import { VerifierSetupError } from './verifier-setup.error';
import { verifyLog, type VerifyLogResult } from './verify-log';
import { TOOL_VERSION } from './version';
import { applyWitnessPolicy, type WitnessPolicy } from './witness-policy';

/** Exit statuses of `ledger-verify`. */
export const EXIT = { verified: 0, problem: 1, usage: 2 } as const;

/** Below this many entries a progress bar is noise. */
const PROGRESS_THRESHOLD = 5000;

export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly cwd: string;
  /** Wall clock, for the trust state's `verifiedAt`. */
  readonly now: () => Date;
  /** Monotonic milliseconds, for the rate. */
  readonly clock: () => number;
}

interface CliOptions {
  url?: string;
  bundle?: string;
  key?: string;
  trustServerKey?: boolean;
  origin?: string;
  state?: string;
  progress: boolean;
  json?: boolean;
  eventKeys?: string;
  token?: string;
  witnessKey: string[];
  witnessesRequired?: string;
}

const processIo = (): CliIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  now: () => new Date(),
  clock: () => performance.now(),
});

/**
 * `ledger-verify`: verifies a ledger log from its URL or an exported bundle against a trusted
 * key, and returns the exit status: 0 verified, 1 the log disagrees (the message names the first
 * bad seq or checkpoint), 2 usage or I/O error.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runProgram(buildProgram(io), argv, io, (options: CliOptions) => verify(options, io));
}

/**
 * Parses `argv` with `program` (exitOverride on), runs `action` on its options and maps the outcome
 * to an exit status the same way for every tool: usage errors and VerifierSetupError are 2 (the
 * message on stderr, prefixed with the program's name), anything unexpected too, with its stack.
 */
export async function runProgram<O extends object>(
  program: Command,
  argv: readonly string[],
  io: Pick<CliIo, 'stderr'>,
  action: (options: O) => Promise<number>,
): Promise<number> {
  try {
    program.parse([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.verified : EXIT.usage;
    throw err;
  }
  try {
    return await action(program.opts() as O);
  } catch (err) {
    if (err instanceof VerifierSetupError) {
      io.stderr.write(`${program.name()}: ${err.message}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`${program.name()}: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.usage;
  }
}

function buildProgram(io: CliIo): Command {
  return new Command('ledger-verify')
    .description(
      'Verify an AI Accountability Ledger log without trusting the server: recompute every entry hash and the hash ' +
        'chain, the Merkle root at every signed checkpoint (signature checked with YOUR key), and, across runs, that ' +
        'the log neither shrank (rollback) nor changed its history (fork) since the last checkpoint verified.',
    )
    .version(TOOL_VERSION)
    .addOption(new Option('--url <url>', 'ledger service base URL, e.g. http://127.0.0.1:3004').conflicts('bundle'))
    .addOption(
      new Option(
        '--bundle <file>',
        'exported file: a whole log (aal-log-export/v1 from `ledger export`, streamed; or aal-ledger-export/v1) or one case (aal-case-export/v2 or v1)',
      ),
    )
    .addOption(
      new Option('--key <key>', 'trusted verifier key "<name>+<keyid>+<base64>" (C2SP), or @file holding it').conflicts('trustServerKey'),
    )
    .option('--trust-server-key', 'take the key the server or bundle announces (weak: whoever rewrites the log can re-sign it)')
    .option('--origin <origin>', 'the log origin checkpoints must carry (default: the one the source announces)')
    .option('--state <file>', 'trust state file (default: .ledger-verify/<origin>.json in the current folder)')
    .option('--no-progress', 'no progress bar on stderr')
    .option('--json', 'print the full result (summary or problem with its evidence) as JSON on stdout')
    .option(
      '--token <jwt>',
      'bearer token for --url (an auditor with the all-organisations grant may read raw entries); default: $LEDGER_TOKEN',
    )
    .option(
      '--witness-key <key>',
      'a trusted witness verifier key "<name>+<keyid>+<base64>" (type 0x04), or @file (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option(
      '--witnesses-required <k>',
      'trust only a checkpoint cosigned by at least k distinct --witness-key witnesses (default: all given)',
    )
    .option(
      '--event-keys <file>',
      "trusted event signing keys per producer (JSON, as the ledger's EVENT_KEYS_FILE): re-check who emitted every entry",
    )
    .addHelpText(
      'after',
      '\nExit status:\n  0  everything verifies\n  1  the log disagrees (the message names the first bad seq or checkpoint)\n  2  usage or I/O error\n\nExamples:\n  ledger-verify --url http://127.0.0.1:3004 --key @.keys/ledger-verifier-key.txt\n  ledger-verify --bundle export.json --key "localhost/ai-accountability-ledger+1a2b3c4d+AQ..."\n  ledger-verify --bundle case.json --key @trusted-key.txt\n',
    )
    .showHelpAfterError('(run ledger-verify --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
}

/** What the options ask for, resolved (keys read and parsed, the bundle read), before anything is verified. */
interface VerifySettings {
  /** The key given with --key, or null with --trust-server-key. */
  readonly pinnedKey: string | null;
  readonly eventKeys: EventKeySet | null;
  readonly policy: WitnessPolicy | null;
  readonly origin?: string;
  readonly statePath?: string;
  readonly json: boolean;
  readonly progress: boolean;
}

type VerifyPlan = (
  | { readonly kind: 'log'; readonly source: LedgerSource }
  | { readonly kind: 'export'; readonly header: LogExportHeader; readonly path: string }
  | { readonly kind: 'case'; readonly document: unknown; readonly path: string }
) &
  VerifySettings;

async function verify(options: CliOptions, io: CliIo): Promise<number> {
  const started = io.clock();
  const plan = await planVerification(options, io);
  return plan.kind === 'case' ? verifyCase(plan, io) : verifyWholeLog(plan, io, started);
}

/** Checks and resolves the options; throws VerifierSetupError (exit 2) for any that cannot be used. */
async function planVerification(options: CliOptions, io: CliIo): Promise<VerifyPlan> {
  if ((options.url === undefined) === (options.bundle === undefined))
    throw usage('give exactly one of --url <ledger url> or --bundle <file>');
  if (options.key === undefined && !options.trustServerKey)
    throw usage('give the trusted verifier key with --key <key | @file> (or, weakly, --trust-server-key)');
  const pinnedKey = options.key !== undefined ? readKeyOption(options.key, io.cwd) : null;
  if (pinnedKey !== null) parseKey(pinnedKey);
  const settings: VerifySettings = {
    pinnedKey,
    eventKeys: options.eventKeys !== undefined ? readEventKeys(options.eventKeys, io.cwd) : null,
    policy: witnessPolicy(options, io.cwd),
    ...(options.origin !== undefined ? { origin: options.origin } : {}),
    ...(options.state !== undefined ? { statePath: resolve(io.cwd, options.state) } : {}),
    json: options.json === true,
    progress: options.progress,
  };
  if (options.url !== undefined) {
    const token = options.token ?? process.env['LEDGER_TOKEN'];
    return { kind: 'log', source: new HttpLedgerSource(options.url, token ? { token } : {}), ...settings };
  }
  const path = resolve(io.cwd, options.bundle!);
  // A log export is recognised by its first line and read streamed; anything else is one JSON document.
  const header = await readLogExportHeader(path);
  if (header) return { kind: 'export', header, path, ...settings };
  const document = await readBundleDocument(path);
  if (isCaseBundle(document)) return { kind: 'case', document, path, ...settings };
  return { kind: 'log', source: BundleSource.fromDocument(document, path), ...settings };
}

/** Prints a problem (and with --json the whole outcome) the same way for every kind of run. */
function printProblem(
  io: CliIo,
  json: boolean,
  failure: {
    origin: string;
    location: string;
    problem: { kind: string; detail: string; evidence: unknown };
    verifiedBefore?: Record<string, number>;
  },
): number {
  const { origin, location, problem, verifiedBefore } = failure;
  if (json) io.stdout.write(`${JSON.stringify({ ok: false, origin, problem, ...(verifiedBefore ? { verifiedBefore } : {}) }, null, 2)}\n`);
  io.stderr.write(`ledger-verify: FAILED at ${location} (${problem.kind}): ${problem.detail}\n`);
  io.stderr.write(`evidence: ${JSON.stringify(problem.evidence)}\n`);
  if (verifiedBefore)
    io.stderr.write(
      `verified before the problem: ${Object.entries(verifiedBefore)
        .map(([what, n]) => `${n} ${what}`)
        .join(', ')}\n`,
    );
  return EXIT.problem;
}

/** A whole log, from a URL, an `aal-log-export/v1` file or an `aal-ledger-export/v1` bundle, with the trust state across runs. */
async function verifyWholeLog(plan: Exclude<VerifyPlan, { kind: 'case' }>, io: CliIo, started: number): Promise<number> {
  const { pinnedKey, eventKeys, policy } = plan;
  const announced = plan.kind === 'export' ? plan.header : await plan.source.announced();
  const description = plan.kind === 'export' ? plan.path : plan.source.description;
  const verifierKey = pinnedKey ?? announced.verifierKey;
  if (pinnedKey === null) {
    io.stderr.write(
      `warning: --trust-server-key: trusting the key ${description} announces (${verifierKey}). ` +
        'A log that rewrites its history can re-sign it; pin the key you were given with --key.\n',
    );
  }
  const key = parseKey(verifierKey);
  const origin = plan.origin ?? announced.origin;
  const statePath = plan.statePath ?? defaultTrustStatePath(io.cwd, origin);
  const state = await loadTrustState(statePath);
  const trusted = state ? trustedCheckpoint(state, key, verifierKey, origin) : null;

  const progress = progressBar(plan.progress && io.stderr.isTTY === true, io);
  let result: VerifyLogResult;
  try {
    const options = { key, origin, trusted, eventKeys, onProgress: progress.update };
    result = plan.kind === 'export' ? await verifyLogExport(plan.path, plan.header, options) : await verifyLog(plan.source, options);
  } finally {
    progress.stop();
  }
  const seconds = Math.max((io.clock() - started) / 1000, 1e-6);
  const rate = Math.round(result.entries / seconds);

  if (!result.ok) {
    return printProblem(io, plan.json, {
      origin,
      location: problemLocation(result.problem),
      problem: result.problem,
      verifiedBefore: { entries: result.entries, checkpoints: result.checkpoints.length },
    });
  }

  let latest = result.latest;
  let witnessedBy = '';
  if (policy !== null) {
    const witnessed = applyWitnessPolicy(result.checkpoints, policy);
    if (!witnessed.ok) {
      return printProblem(io, plan.json, {
        origin,
        location: problemLocation(witnessed.problem),
        problem: witnessed.problem,
        verifiedBefore: { entries: result.entries, checkpoints: result.checkpoints.length },
      });
    }
    latest = witnessed.checkpoint;
    witnessedBy = `; witnessed at size ${latest.treeSize} by ${witnessed.verdicts
      .filter((v) => v.status === 'valid')
      .map((v) => v.witness)
      .join(', ')} (${policy.required} of ${policy.witnesses.length} required)`;
    const unwitnessed = result.checkpoints.filter((c) => c.treeSize > witnessed.checkpoint.treeSize).length;
    if (unwitnessed > 0)
      io.stderr.write(
        `note: ${unwitnessed} later checkpoints are not yet cosigned by enough witnesses: the trust state stops at size ${latest.treeSize}\n`,
      );
    for (const v of witnessed.verdicts.filter((v) => v.status === 'bad'))
      io.stderr.write(`warning: witness ${v.witness}: bad cosignature: ${v.reason}\n`);
  }
  const next = advanceTrustState(state, latest, { origin, verifierKey, verifiedAt: io.now().toISOString() });
  if (next && next !== state) await saveTrustState(statePath, next);
  const summary =
    `verified ${origin}: ${result.entries} entries, ${result.checkpoints.length} checkpoints` +
    (result.consistencyProofs > 0 ? `, ${result.consistencyProofs} consistency proofs` : '') +
    (eventKeys !== null ? ', every event signed by its producer' : '') +
    `; latest tree size ${latest?.treeSize ?? 0}, root ${latest?.rootHash ?? '(no signed checkpoint yet)'}${witnessedBy}; ${rate} entries/s`;
  if (plan.json) {
    io.stdout.write(
      `${JSON.stringify({ ok: true, origin, entries: result.entries, checkpoints: result.checkpoints.length, consistencyProofs: result.consistencyProofs, latest, uncoveredEntries: result.uncoveredEntries, emittersChecked: eventKeys !== null, entriesPerSecond: rate, statePath }, null, 2)}\n`,
    );
  } else {
    io.stdout.write(`${summary}\n`);
  }
  if (eventKeys === null && result.entries > 0)
    io.stderr.write('note: emitters were not checked: give --event-keys <file> to re-check every event signature\n');
  if (!latest && result.entries > 0)
    io.stderr.write('warning: no signed checkpoint covers these entries yet: only their hash chain was checked\n');
  else if (result.uncoveredEntries > 0)
    io.stderr.write(`note: ${result.uncoveredEntries} entries after the latest checkpoint are chained but not yet signed\n`);
  if (next && next !== state) io.stderr.write(`trust state ${statePath}: tree size ${state?.treeSize ?? 'none'} → ${next.treeSize}\n`);
  return EXIT.verified;
}

/**
 * A case bundle (`aal-case-export/v2` or v1): the related entries of one case, each proven against one
 * signed checkpoint, the answers recomputed and the report rendered again from them. No trust
 * state is read or written: a case bundle is a partial view of the log, so it can show neither a
 * rollback nor a fork.
 */
function verifyCase(plan: Extract<VerifyPlan, { kind: 'case' }>, io: CliIo): number {
  const { document, path, pinnedKey, eventKeys, policy } = plan;
  const announced = document as { origin?: unknown; verifierKey?: unknown };
  if (pinnedKey === null && typeof announced.verifierKey !== 'string')
    throw new VerifierSetupError('SOURCE.BUNDLE_INVALID', `bundle ${path} announces no \`verifierKey\` string`, { path });
  const verifierKey = pinnedKey ?? (announced.verifierKey as string);
  if (pinnedKey === null) {
    io.stderr.write(
      `warning: --trust-server-key: trusting the key ${path} announces (${verifierKey}). Anyone who rewrites the bundle can re-sign it; pin the key you were given with --key.\n`,
    );
  }
  const origin = plan.origin ?? (typeof announced.origin === 'string' ? announced.origin : undefined);
  if (origin === undefined)
    throw new VerifierSetupError('SOURCE.BUNDLE_INVALID', `bundle ${path} announces no \`origin\` string; give --origin`, { path });
  const result = verifyCaseBundle(document, { key: parseKey(verifierKey), origin, eventKeys });
  if (!result.ok)
    return printProblem(io, plan.json, {
      origin,
      location: caseProblemLocation(result.problem),
      problem: result.problem,
      verifiedBefore: { entries: result.entries },
    });
  if (policy !== null) {
    const witnessed = applyWitnessPolicy([result.checkpoint], policy);
    if (!witnessed.ok)
      return printProblem(io, plan.json, { origin, location: problemLocation(witnessed.problem), problem: witnessed.problem });
  }
  if (plan.json) {
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    io.stdout.write(
      `verified case ${result.caseId} of ${origin}: ${result.entries} entries proven in the checkpoint of size ${result.checkpoint.treeSize}, ` +
        `root ${result.checkpoint.rootHash}; ${result.citations} evidence citations resolve to verified entries; ` +
        `${result.recomputedAnswers} output answers recomputed from them agree; the report re-rendered from them is the one the bundle carries` +
        (eventKeys !== null ? '; every event signed by its producer' : '') +
        '\n',
    );
    const hold = result.holds[result.holds.length - 1];
    if (hold && !hold.lifted)
      io.stdout.write(
        `legal hold: in force since ${hold.placedAt}, placed by ${hold.placedBy.personId} of ${hold.placedBy.organisationId} (${hold.reason}), as its proven entries record\n`,
      );
  }
  if (eventKeys === null && result.entries > 0)
    io.stderr.write('note: emitters were not checked: give --event-keys <file> to re-check every event signature\n');
  if (result.caseOpenedSeq === null)
    io.stderr.write(
      'note: the case.opened entry is not in this bundle (not yet under a checkpoint): the case details are unverified claims\n',
    );
  if (result.notCovered.length > 0)
    io.stderr.write(`note: ${result.notCovered.length} related entries were recorded after the checkpoint and are not in the bundle\n`);
  io.stderr.write(`note: not proven by any entry (the ledger's word; the report labels those it shows): ${result.unproven.join(', ')}\n`);
  return EXIT.verified;
}

export function readKeyOption(value: string, cwd: string): string {
  if (!value.startsWith('@')) return value.trim();
  const path = resolve(cwd, value.slice(1));
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new VerifierSetupError('SETUP.BAD_KEY', `cannot read the key file ${path}: ${(err as Error).message}`);
  }
}

/** The `--event-keys` file: `{ "<producer>": { "keys": [ <Ed25519 public JWK>, ... ] } }`. */
export function readEventKeys(value: string, cwd: string): EventKeySet {
  const path = resolve(cwd, value);
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new VerifierSetupError('SETUP.BAD_KEY', `cannot read the event keys file ${path}: ${(err as Error).message}`, { path });
  }
  try {
    return parseEventKeySet(document);
  } catch (err) {
    if (err instanceof EventKeyError)
      throw new VerifierSetupError('SETUP.BAD_KEY', `event keys file ${path}: ${err.message}`, { path, ...err.evidence });
    throw err;
  }
}

/** `--witness-key` and `--witnesses-required`, or null when no witness key is given. */
export function witnessPolicy(options: Pick<CliOptions, 'witnessKey' | 'witnessesRequired'>, cwd: string): WitnessPolicy | null {
  if (options.witnessKey.length === 0) {
    if (options.witnessesRequired !== undefined) throw usage('--witnesses-required needs at least one --witness-key');
    return null;
  }
  const witnesses = options.witnessKey.map((value) => {
    try {
      return parseWitnessVerifierKey(readKeyOption(value, cwd));
    } catch (err) {
      if (err instanceof NoteError) throw new VerifierSetupError('SETUP.BAD_KEY', `--witness-key: ${err.message}`);
      throw err;
    }
  });
  if (new Set(witnesses.map((w) => w.name)).size !== witnesses.length) throw usage('each --witness-key must name a different witness');
  const required = options.witnessesRequired === undefined ? witnesses.length : Number(options.witnessesRequired);
  if (!Number.isSafeInteger(required) || required < 1 || required > witnesses.length) {
    throw usage(`--witnesses-required must be between 1 and the ${witnesses.length} --witness-key given`);
  }
  return { witnesses, required };
}

export function parseKey(text: string): VerifierKey {
  try {
    return parseVerifierKey(text);
  } catch (err) {
    if (err instanceof NoteError)
      throw new VerifierSetupError('SETUP.BAD_KEY', `${err.message} (expected <name>+<8 hex key id>+<base64 key>)`);
    throw err;
  }
}

function usage(message: string): VerifierSetupError {
  return new VerifierSetupError('SETUP.BAD_OPTION', `${message} (run ledger-verify --help for usage)`);
}

/** A progress bar on stderr, shown only on a terminal and only for logs worth waiting for. */
function progressBar(enabled: boolean, io: CliIo): { update: (verified: number, claimed: number) => void; stop: () => void } {
  let bar: SingleBar | null = null;
  return {
    update: (verified, claimed) => {
      if (!enabled) return;
      const total = Math.max(verified, claimed);
      if (!bar) {
        if (total <= PROGRESS_THRESHOLD) return;
        bar = new SingleBar(
          {
            stream: io.stderr as NodeJS.WritableStream,
            format: 'verifying |{bar}| {value}/{total} entries | {percentage}% | eta {eta_formatted}',
            hideCursor: true,
            clearOnComplete: true,
          },
          Presets.shades_classic,
        );
        bar.start(total, verified);
        return;
      }
      bar.setTotal(total);
      bar.update(verified);
    },
    stop: () => bar?.stop(),
  };
}
