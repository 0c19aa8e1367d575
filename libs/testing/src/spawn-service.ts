import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from './infrastructure';
import { testAuthEnv } from './test-identity';
import { TEST_PRODUCERS, testEventKeyFiles, type TestProducer } from './test-signer';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface SpawnedService {
  readonly process: ChildProcess;
  readonly output: () => string;
  /** SIGKILL: no shutdown hooks, no offset commits, like a crash. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The test event keys a service needs: every service trusts every producer's test key
 * (EVENT_KEYS_FILE), and each signs its own events with its own (EVENT_SIGNING_KEY_FILE).
 */
function testEventKeyEnv(name: string): Record<string, string> {
  const files = testEventKeyFiles();
  const env: Record<string, string> = { EVENT_KEYS_FILE: files.keySetFile };
  if ((TEST_PRODUCERS as readonly string[]).includes(name)) env['EVENT_SIGNING_KEY_FILE'] = files.signingKeyFile[name as TestProducer];
  return env;
}

/**
 * Runs a compiled service (`dist/apps/<name>/src/main.js`) as its own process, for tests that
 * must crash it. Requires `npm run build` (scripts/test.sh runs it before jest). `nodeArgs` go
 * to Node itself (benches pass `--cpu-prof`, which NODE_OPTIONS does not allow).
 */
export function spawnService(name: string, env: Record<string, string>, nodeArgs: readonly string[] = []): SpawnedService {
  const main = join(REPO_ROOT, 'dist', 'apps', name, 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  const child = spawn(process.execPath, [...nodeArgs, '-r', join(REPO_ROOT, 'scripts', 'register-paths.js'), main], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', KAFKAJS_NO_PARTITIONER_WARNING: '1', ...testAuthEnv(), ...testEventKeyEnv(name), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20000)));
  child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return { process: child, output: () => output, crash: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
}
