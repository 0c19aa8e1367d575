import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { EXIT, parseKey, readEventKeys, readKeyOption, runProgram, witnessPolicy, type CliIo } from './cli';
import { followLog } from './follow-log';
import { HttpLedgerSource } from './http-ledger-source';
import { advanceTrustState, trustedCheckpoint } from './trust-state';
import { defaultTrustStatePath, loadTrustState, saveTrustState } from './trust-state-file';
import { problemLocation } from './verification-problem';
import { VerifierSetupError } from './verifier-setup.error';
import { TOOL_VERSION } from './version';

interface MonitorOptions {
  url: string;
  key: string;
  origin?: string;
  state?: string;
  token?: string;
  eventKeys?: string;
  org: string[];
  interval: string;
  rounds?: string;
  witnessKey: string[];
  witnessesRequired?: string;
  witnessGrace: string;
}

export interface MonitorIo extends CliIo {
  readonly sleep: (ms: number) => Promise<void>;
}

const processIo = (): MonitorIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  now: () => new Date(),
  clock: () => performance.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
});

/**
 * `ledger-monitor`: follows a live ledger and prints one NDJSON line per alert on stdout: the log
 * misbehaving (fork, rollback, bad signature, a changed or missing entry: then it exits 1), and,
 * with `--org`, every proven entry that names a watched organisation. Progress goes to stderr.
 * Exit status: 0 after `--rounds` polls, 1 the log misbehaved, 2 usage or I/O error.
 */
export async function runMonitorCli(argv: readonly string[], io: MonitorIo = processIo()): Promise<number> {
  const program = new Command('ledger-monitor')
    .description(
      'Follow a live AI Accountability Ledger, verifying it as it grows without trusting the server, and print one NDJSON alert per line.',
    )
    .version(TOOL_VERSION)
    .requiredOption('--url <url>', 'ledger service base URL, e.g. http://127.0.0.1:3004')
    .requiredOption('--key <key>', 'trusted verifier key "<name>+<keyid>+<base64>" (C2SP), or @file holding it')
    .option('--origin <origin>', 'the log origin checkpoints must carry (default: the one the ledger announces)')
    .option('--state <file>', 'trust state file, shared with ledger-verify (default: .ledger-verify/<origin>.json)')
    .option('--token <jwt>', 'bearer token (an auditor with the all-organisations grant reads raw entries); default: $LEDGER_TOKEN')
    .option(
      '--event-keys <file>',
      "trusted event signing keys per producer (JSON, as the ledger's EVENT_KEYS_FILE): re-check who emitted every entry",
    )
    .addOption(
      new Option('--org <organisation>', 'alert on every proven entry naming this organisation (repeatable)')
        .argParser((v: string, all: string[] = []) => [...all, v])
        .default([]),
    )
    .option('--interval <seconds>', 'seconds between polls', '5')
    .option(
      '--witness-key <key>',
      'a trusted witness verifier key (type 0x04), or @file (repeatable): alert when the log runs ahead of their cosignatures',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--witnesses-required <k>', 'how many distinct --witness-key witnesses must cosign (default: all given)')
    .option(
      '--witness-grace <seconds>',
      'how long the log may run ahead of its newest sufficiently cosigned checkpoint before an alert (witnesses cosign at intervals)',
      '180',
    )
    .option('--rounds <n>', 'stop after this many polls (default: follow until stopped)')
    .addHelpText(
      'after',
      '\nAlerts (stdout, one JSON object per line):\n  {"alert":"log-misbehaviour","kind":"fork"|"rollback"|"checkpoint-bad-signature"|…,"detail":…,"evidence":…}\n  {"alert":"organisation-named","organisationId":…,"seq":…,"type":…,"pointers":[…],"provenBy":{"treeSize":…,"rootHash":…}}\n  {"alert":"witness","kind":"missing-cosignatures"|"bad-cosignature","latestSize":…,"witnessedSize":…,"verdicts":[…]}\n',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  return runProgram(program, argv, io, (options: MonitorOptions) => monitor(options, io));
}

async function monitor(options: MonitorOptions, io: MonitorIo): Promise<number> {
  const interval = Number(options.interval);
  if (!Number.isFinite(interval) || interval <= 0)
    throw new VerifierSetupError('SETUP.BAD_OPTION', `--interval ${options.interval} is not a positive number of seconds`);
  const rounds = options.rounds === undefined ? undefined : Number(options.rounds);
  if (rounds !== undefined && (!Number.isSafeInteger(rounds) || rounds < 1))
    throw new VerifierSetupError('SETUP.BAD_OPTION', `--rounds ${options.rounds} is not a whole number of polls`);
  const policy = witnessPolicy(options, io.cwd);
  const grace = Number(options.witnessGrace);
  if (!Number.isFinite(grace) || grace < 0)
    throw new VerifierSetupError('SETUP.BAD_OPTION', `--witness-grace ${options.witnessGrace} is not a number of seconds`);
  const verifierKey = readKeyOption(options.key, io.cwd);
  const key = parseKey(verifierKey);
  const eventKeys = options.eventKeys !== undefined ? readEventKeys(options.eventKeys, io.cwd) : null;
  const token = options.token ?? process.env['LEDGER_TOKEN'];
  const source = new HttpLedgerSource(options.url, token ? { token } : {});
  const origin = options.origin ?? (await source.announced()).origin;
  const statePath = options.state !== undefined ? resolve(io.cwd, options.state) : defaultTrustStatePath(io.cwd, origin);
  let state = await loadTrustState(statePath);
  const trusted = state ? trustedCheckpoint(state, key, verifierKey, origin) : null;

  const result = await followLog(source, {
    key,
    origin,
    trusted,
    eventKeys,
    organisations: options.org,
    witnesses: policy ? { policy, graceMs: grace * 1000 } : null,
    intervalMs: interval * 1000,
    ...(rounds !== undefined ? { rounds } : {}),
    emit: (alert) => io.stdout.write(`${JSON.stringify(alert)}\n`),
    onVerified: async (latest, round) => {
      const next = advanceTrustState(state, latest, { origin, verifierKey, verifiedAt: io.now().toISOString() });
      if (next && next !== state) {
        await saveTrustState(statePath, next);
        state = next;
      }
      io.stderr.write(`round ${round}: ${origin} verified up to tree size ${latest.treeSize}, root ${latest.rootHash}\n`);
    },
    sleep: io.sleep,
    now: () => io.now().toISOString(),
  });
  if (!result.ok) {
    io.stderr.write(
      `ledger-monitor: the log misbehaved at ${problemLocation(result.problem)} (${result.problem.kind}): ${result.problem.detail}\n`,
    );
    return EXIT.problem;
  }
  return EXIT.verified;
}
