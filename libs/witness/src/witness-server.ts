import { TLOG_SIZE_CONTENT_TYPE, WITNESS_STATUS } from '@aal/ledger-core';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Witness } from './witness';

/** A checkpoint with a 63-hash proof is under 4 KiB; anything far larger is not a request. */
const MAX_BODY_BYTES = 64 * 1024;

export interface WitnessServerEvents {
  /** Called after each answer, for logs: the status and a reason. */
  readonly onAnswer?: (status: number, kind: string, detail: string) => void;
}

/**
 * The C2SP tlog-witness HTTP interface: `POST /add-checkpoint` (submission prefix = monitoring
 * prefix = `/`), plus `GET /healthz` and `GET /witness-key` (the verifier key to pin). node:http
 * with keep-alive: one small process with nothing of the ledger's in it.
 */
export function createWitnessServer(witness: Witness, verifierKey: string, events: WitnessServerEvents = {}): Server {
  const server = createServer((req, res) => {
    void handle(witness, verifierKey, req, res, events).catch((err: unknown) => {
      events.onAnswer?.(500, 'error', (err as Error).message);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'the witness could not store its state\n');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

async function handle(
  witness: Witness,
  verifierKey: string,
  req: IncomingMessage,
  res: ServerResponse,
  events: WitnessServerEvents,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/healthz') return send(res, 200, 'text/plain; charset=utf-8', 'ok\n');
  if (req.method === 'GET' && path === '/witness-key') return send(res, 200, 'text/plain; charset=utf-8', `${verifierKey}\n`);
  if (path !== '/add-checkpoint') return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    return send(res, 405, 'text/plain; charset=utf-8', 'use POST\n');
  }
  const body = await readBody(req);
  if (body === null) return send(res, 413, 'text/plain; charset=utf-8', `request body over ${MAX_BODY_BYTES} bytes\n`);
  const { decision, cosignature } = await witness.addCheckpoint(body);
  const status = WITNESS_STATUS[decision.kind];
  switch (decision.kind) {
    case 'cosign':
      events.onAnswer?.(status, decision.kind, `${decision.origin} size ${decision.next.size}`);
      return send(res, status, 'text/plain; charset=utf-8', cosignature!);
    case 'conflict':
      events.onAnswer?.(status, decision.kind, decision.reason);
      return send(res, status, TLOG_SIZE_CONTENT_TYPE, `${decision.heldSize}\n`);
    case 'unknown-log':
      events.onAnswer?.(status, decision.kind, decision.origin);
      return send(res, status, 'text/plain; charset=utf-8', `unknown log origin ${JSON.stringify(decision.origin)}\n`);
    case 'bad-proof':
    case 'bad-signature':
    case 'malformed':
      events.onAnswer?.(status, decision.kind, decision.reason);
      return send(res, status, 'text/plain; charset=utf-8', `${decision.reason}\n`);
    default: {
      const never: never = decision;
      throw new Error(`unhandled decision ${JSON.stringify(never)}`);
    }
  }
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > MAX_BODY_BYTES) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
