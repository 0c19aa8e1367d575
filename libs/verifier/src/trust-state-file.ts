import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { originSlug, parseTrustState, type TrustState } from './trust-state';
import { VerifierSetupError } from './verifier-setup.error';

/** `.ledger-verify/<origin-slug>.json` under `cwd`. */
export function defaultTrustStatePath(cwd: string, origin: string): string {
  return join(cwd, '.ledger-verify', `${originSlug(origin)}.json`);
}

/** The saved state, or null when the file does not exist yet. Throws `VerifierSetupError` `STATE.*`. */
export async function loadTrustState(path: string): Promise<TrustState | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new VerifierSetupError('STATE.IO', `cannot read trust state ${path}: ${(err as Error).message}`, { path });
  }
  return parseTrustState(text, path);
}

/** Writes the state atomically (temporary file, then rename), creating the folder if needed. */
export async function saveTrustState(path: string, state: TrustState): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o644 });
    await rename(temporary, path);
  } catch (err) {
    throw new VerifierSetupError('STATE.IO', `cannot write trust state ${path}: ${(err as Error).message}`, { path });
  }
}
