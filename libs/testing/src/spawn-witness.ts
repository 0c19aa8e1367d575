import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './infrastructure';
import { freePort, type SpawnedService } from './spawn-service';

export interface SpawnedWitness extends SpawnedService {
  readonly url: string;
  /** The witness verifier key (type 0x04) to give the ledger and ledger-verify. */
  readonly verifierKey: string;
  readonly name: string;
  readonly keyFile: string;
  readonly stateFile: string;
}

/**
 * Runs `bin/ledger-witness.js serve` as its own process on a free loopback port, with a new key
 * (made by `ledger-witness keygen`) unless `keyFile` is given, and its state in `stateFile` (a
 * new temporary folder by default). Resolves once it listens. Requires `npm run build`.
 */
export async function spawnWitness(options: {
  logs: ReadonlyArray<{ origin: string; verifierKey: string }>;
  name?: string;
  keyFile?: string;
  stateFile?: string;
  port?: number;
}): Promise<SpawnedWitness> {
  const dir = mkdtempSync(join(tmpdir(), 'aal-witness-'));
  const bin = join(REPO_ROOT, 'bin', 'ledger-witness.js');
  const name = options.name ?? 'regulator.test/witness';
  const keyFile = options.keyFile ?? join(dir, 'witness-key.json');
  if (options.keyFile === undefined) {
    const made = spawnSync(process.execPath, [bin, 'keygen', '--name', name, '--out', keyFile], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`ledger-witness keygen failed: ${made.stderr}`);
  }
  const stateFile = options.stateFile ?? join(dir, 'witness-state.json');
  const port = options.port ?? (await freePort());
  const args = [
    bin,
    'serve',
    '--key',
    keyFile,
    '--state',
    stateFile,
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
    ...options.logs.flatMap((l) => ['--log', `${l.origin}=${l.verifierKey}`]),
  ];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = new Promise<{ verifierKey: string; witness: string }>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output = (output + d.toString()).slice(-20000);
      const line = output.split('\n').find((l) => l.includes('"witness listening"'));
      if (line) resolve(JSON.parse(line) as { verifierKey: string; witness: string });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20000)));
    void exited.then(() => reject(new Error(`ledger-witness exited before listening:\n${output}`)));
  });
  const started = await listening;
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return {
    process: child,
    output: () => output,
    crash: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
    url: `http://127.0.0.1:${port}`,
    verifierKey: started.verifierKey,
    name: started.witness,
    keyFile,
    stateFile,
  };
}

/** The witness's state file as JSON (for assertions). */
export function readWitnessState(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}
