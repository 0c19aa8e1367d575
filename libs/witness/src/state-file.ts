import { open, readFile, rename } from 'node:fs/promises';
import type { WitnessedCheckpoint } from '@aal/ledger-core';

/** The witness's durable state: per log origin, the latest checkpoint it cosigned. */
export type WitnessState = ReadonlyMap<string, WitnessedCheckpoint>;

interface StateDocument {
  readonly format: 'aal-witness-state/v1';
  readonly logs: Record<string, { size: number; rootHash: string }>;
}

/** Reads the state file; a missing file is an empty state (a new witness), anything else unreadable fails. */
export async function loadWitnessState(path: string): Promise<Map<string, WitnessedCheckpoint>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw err;
  }
  const doc = JSON.parse(text) as StateDocument;
  if (doc.format !== 'aal-witness-state/v1' || typeof doc.logs !== 'object') throw new Error(`${path} is not an aal-witness-state/v1 file`);
  return new Map(Object.entries(doc.logs).map(([origin, cp]) => [origin, { size: cp.size, rootHash: Buffer.from(cp.rootHash, 'base64') }]));
}

/**
 * Writes the state so that a crash leaves either the old or the new file, never a torn one:
 * write a temporary file, fsync it, rename it over the old one, fsync the folder.
 */
export async function saveWitnessState(path: string, state: WitnessState): Promise<void> {
  const doc: StateDocument = {
    format: 'aal-witness-state/v1',
    logs: Object.fromEntries([...state].map(([origin, cp]) => [origin, { size: cp.size, rootHash: cp.rootHash.toString('base64') }])),
  };
  const temp = `${path}.${process.pid}.tmp`;
  const file = await open(temp, 'w', 0o600);
  try {
    await file.writeFile(`${JSON.stringify(doc, null, 2)}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, path);
  const folder = await open(path.slice(0, Math.max(path.lastIndexOf('/'), 0)) || '.', 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
