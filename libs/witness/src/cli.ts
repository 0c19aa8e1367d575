import { NoteError, parseVerifierKey, type WitnessedLog } from '@aal/ledger-core';
import { Command, CommanderError } from 'commander';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadWitnessState } from './state-file';
import { Witness } from './witness';
import { generateWitnessKey, loadWitnessKey } from './witness-key';
import { createWitnessServer } from './witness-server';

/**
 * `ledger-witness`: `keygen` makes a witness key; `serve` runs a C2SP tlog-witness for the logs
 * given with `--log <origin>=<log verifier key>`. Returns the exit status (serve resolves when the
 * server closes, on SIGINT/SIGTERM).
 */
export async function runWitnessCli(argv: readonly string[]): Promise<number> {
  const program = new Command('ledger-witness')
    .description(
      'An independent witness for AI Accountability Ledger logs (C2SP tlog-witness, tlog-cosignature): it cosigns a checkpoint only if it is consistent with everything it cosigned before.',
    )
    .exitOverride();
  let action: Promise<number> = Promise.resolve(0);
  program
    .command('keygen')
    .description('make a witness key file and print its verifier key (publish that one)')
    .requiredOption('--name <name>', 'the witness name, e.g. regulator.example/witness')
    .requiredOption('--out <file>', 'where to write the key file (refuses to overwrite)')
    .option('--verifier-key-out <file>', 'also write the verifier key to this file')
    .action((options: { name: string; out: string; verifierKeyOut?: string }) => {
      const verifierKey = generateWitnessKey(options.name, resolve(options.out));
      if (options.verifierKeyOut) writeFileSync(resolve(options.verifierKeyOut), `${verifierKey}\n`);
      process.stdout.write(`${verifierKey}\n`);
    });
  program
    .command('serve')
    .description('serve POST /add-checkpoint')
    .requiredOption('--key <file>', 'the witness key file (from keygen)')
    .requiredOption('--state <file>', 'the state file: last cosigned size and root per log (created if absent)')
    .requiredOption(
      '--log <origin=verifierKey>',
      'a log to witness (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--port <port>', 'port', '0')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action((options: { key: string; state: string; log: string[]; port: string; host: string }) => {
      action = serve(options);
    });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  return action;
}

function parseLogs(values: readonly string[]): WitnessedLog[] {
  const byOrigin = new Map<string, WitnessedLog['keys'][number][]>();
  for (const value of values) {
    const at = value.lastIndexOf('=', value.indexOf('+'));
    if (at <= 0) throw new Error(`--log ${value}: expected <origin>=<log verifier key>`);
    try {
      const key = parseVerifierKey(value.slice(at + 1));
      byOrigin.set(value.slice(0, at), [...(byOrigin.get(value.slice(0, at)) ?? []), key]);
    } catch (err) {
      if (err instanceof NoteError) throw new Error(`--log ${value}: ${err.message}`);
      throw err;
    }
  }
  return [...byOrigin].map(([origin, keys]) => ({ origin, keys }));
}

async function serve(options: { key: string; state: string; log: string[]; port: string; host: string }): Promise<number> {
  const logs = parseLogs(options.log);
  if (logs.length === 0) throw new Error('give at least one --log <origin>=<log verifier key>');
  const { signer, verifierKey } = loadWitnessKey(resolve(options.key));
  const statePath = resolve(options.state);
  const witness = new Witness(signer, logs, await loadWitnessState(statePath), statePath);
  const server = createWitnessServer(witness, verifierKey, {
    onAnswer: (status, kind, detail) => process.stdout.write(`${JSON.stringify({ msg: 'add-checkpoint', status, kind, detail })}\n`),
  });
  await new Promise<void>((ready) => server.listen(Number(options.port), options.host, ready));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : Number(options.port);
  process.stdout.write(
    `${JSON.stringify({ msg: 'witness listening', url: `http://${options.host}:${port}`, witness: signer.name, verifierKey, logs: logs.map((l) => l.origin) })}\n`,
  );
  return new Promise<number>((done) => {
    const stop = () => {
      server.close(() => done(0));
      server.closeAllConnections();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
