import {
  buildConsistencyProof,
  ed25519KeyId,
  ed25519Signer,
  formatAddCheckpointRequest,
  leafHashOfText,
  MerkleAccumulator,
  nodeKey,
  rootFromNodes,
  signCheckpoint,
} from '@aal/ledger-core';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Witness } from '../libs/witness/src/witness';
import { createWitnessServer } from '../libs/witness/src/witness-server';
import { fmt, percentile, report, runBench } from './bench-support';

/**
 * Witness round trip on loopback: `POST /add-checkpoint` of a checkpoint one entry larger than the
 * last, with its consistency proof, answered with a cosignature after the witness verified the
 * log signature and the proof and fsynced its state file. Baseline, same run, same server
 * framework (node:http) and client (fetch, keep-alive): a POST of a body of the same size to an
 * endpoint that only answers. p50/p99 in milliseconds, sequential requests.
 *   npm run bench:witness          (BENCH_REQUESTS, default 1000)
 */
const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 1000);
const START_SIZE = 100_000;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'aal-bench-witness-'));
  const log = ed25519Signer('bench.local/aal', generateKeyPairSync('ed25519').privateKey);
  const witnessSigner = ed25519Signer('bench.local/witness', generateKeyPairSync('ed25519').privateKey);
  const witness = new Witness(
    witnessSigner,
    [{ origin: log.name, keys: [{ name: log.name, keyId: ed25519KeyId(log.name, log.publicKey), publicKey: log.publicKey }] }],
    new Map(),
    join(dir, 'state.json'),
  );
  const witnessServer = createWitnessServer(witness, 'bench');
  const baseline = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 3 }).end('ok\n'));
  });
  const witnessUrl = `${await listen(witnessServer)}/add-checkpoint`;
  const baselineUrl = `${await listen(baseline)}/add-checkpoint`;

  process.stdout.write(`building a tree of ${fmt(START_SIZE + REQUESTS)} leaves and the requests ...\n`);
  const accumulator = new MerkleAccumulator();
  const nodes = new Map<string, Buffer>();
  const append = (i: number) => {
    const leaf = leafHashOfText(`entry ${i}`);
    nodes.set(nodeKey({ level: 0, index: i }), leaf);
    for (const n of accumulator.append(leaf)) nodes.set(nodeKey(n.id), n.hash);
  };
  for (let i = 0; i < START_SIZE; i += 1) append(i);
  const bodies: string[] = [];
  let proofHashes = 0;
  const note = (size: number) => signCheckpoint({ origin: log.name, size, rootHash: rootFromNodes(size, nodes), extensions: [] }, log);
  bodies.push(formatAddCheckpointRequest(0, [], note(START_SIZE)));
  for (let size = START_SIZE + 1; size <= START_SIZE + REQUESTS; size += 1) {
    append(size - 1);
    const proof = buildConsistencyProof(size - 1, size, nodes);
    proofHashes = proof.length;
    bodies.push(formatAddCheckpointRequest(size - 1, proof, note(size)));
  }

  const time = async (url: string, body: string, expect: number) => {
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', body });
    await response.text();
    if (response.status !== expect) throw new Error(`${url} answered ${response.status}`);
    return performance.now() - started;
  };
  await time(witnessUrl, bodies[0]!, 200);
  for (let i = 0; i < 50; i += 1) await time(baselineUrl, bodies[1]!, 200);
  // Interleaved, so both see the same machine load.
  const witnessMs: number[] = [];
  const baselineMs: number[] = [];
  for (let i = 1; i < bodies.length; i += 1) {
    baselineMs.push(await time(baselineUrl, bodies[i]!, 200));
    witnessMs.push(await time(witnessUrl, bodies[i]!, 200));
  }
  witnessMs.sort((a, b) => a - b);
  baselineMs.sort((a, b) => a - b);
  const [w50, w99, b50, b99] = [
    percentile(witnessMs, 50),
    percentile(witnessMs, 99),
    percentile(baselineMs, 50),
    percentile(baselineMs, 99),
  ];
  report(
    `witness round trip on loopback, ${fmt(witnessMs.length)} sequential add-checkpoint requests from tree size ${fmt(START_SIZE)} (last proof: ${proofHashes} hashes)`,
    [
      ['add-checkpoint p50 / p99', `${fmt(w50, 2)} ms / ${fmt(w99, 2)} ms`],
      ['baseline POST p50 / p99', `${fmt(b50, 2)} ms / ${fmt(b99, 2)} ms`],
      ['ratio p50 / p99', `${fmt(w50 / b50, 1)}x / ${fmt(w99 / b99, 1)}x`],
    ],
  );
  await Promise.all([close(witnessServer), close(baseline)]);
  rmSync(dir, { recursive: true, force: true });
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}
function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

runBench(main);
