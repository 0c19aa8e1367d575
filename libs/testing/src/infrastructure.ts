import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * How tests reach Kafka and PostgreSQL, in order of preference:
 * 1. `KAFKA_BROKERS` and `DATABASE_URL` are set: use those services (this is how CI runs);
 * 2. a Docker engine answers: start both with testcontainers;
 * 3. otherwise: start the project's own Kafka (scripts/kafka.sh) and use the local PostgreSQL.
 */
export type InfrastructureMode = 'environment' | 'testcontainers' | 'local-script';

/**
 * The repository root: the nearest folder above with a package.json, so it is the same whether
 * this runs from the sources (tests) or from its compiled copy in dist/ (benchmarks). dist/ holds
 * a copy of package.json (the verifier imports its version), so dist/ itself is passed over.
 */
export const REPO_ROOT = repositoryRoot(__dirname);

function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (basename(dir) !== 'dist' && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export function dockerAvailable(): boolean {
  const socket = process.env['DOCKER_HOST'] ?? '/var/run/docker.sock';
  if (!process.env['DOCKER_HOST'] && !existsSync(socket)) return false;
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

export function chooseMode(env: NodeJS.ProcessEnv = process.env): InfrastructureMode {
  if (env['KAFKA_BROKERS'] && env['DATABASE_URL']) return 'environment';
  if (dockerAvailable()) return 'testcontainers';
  return 'local-script';
}

/** KAFKA_VERSION's default in scripts/kafka.sh: the one place the project's Kafka version is stated. */
export function scriptKafkaVersion(): string {
  const version = /KAFKA_VERSION="\$\{KAFKA_VERSION:-([0-9.]+)\}"/.exec(readFileSync(join(REPO_ROOT, 'scripts', 'kafka.sh'), 'utf8'))?.[1];
  if (!version) throw new Error('scripts/kafka.sh states no default KAFKA_VERSION');
  return version;
}
