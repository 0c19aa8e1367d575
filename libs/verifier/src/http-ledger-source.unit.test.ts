import { buildConsistencyProof } from '@aal/ledger-core';
import { HttpLedgerSource } from './http-ledger-source';
import { buildTestLog, type TestLog } from './testing/log-fixture';
import { VerifierSetupError } from './verifier-setup.error';
import { verifyLog } from './verify-log';
import type { WireEntry } from './wire-format';

// HttpLedgerSource against a fake `fetch` that plays the ledger's HTTP API over a test log.

let log: TestLog;
beforeAll(() => {
  log = buildTestLog(40, [10, 20, 30, 40]);
});

type Handler = (url: URL) => Response | undefined;

/** The ledger API over `log`, with its own page limits; `override` may answer first. */
function fakeLedger(served: { entries?: WireEntry[]; proofHex?: (from: number, to: number) => string[] } = {}, override?: Handler) {
  const entries = served.entries ?? log.entries;
  const calls: string[] = [];
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetchImpl = (async (input: string | URL | Request) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    calls.push(`${url.pathname}${url.search}`);
    const answer = override?.(url);
    if (answer) return answer;
    const q = (name: string) => Number(url.searchParams.get(name) ?? 0);
    const limit = Math.min(q('limit') || 100, 1000);
    switch (url.pathname) {
      case '/ledger/log/public-key':
        return json({ origin: log.origin, keyName: log.signer.name, keyId: log.verifierKey.split('+')[1], verifierKey: log.verifierKey });
      case '/ledger/checkpoints': {
        const page = log.checkpoints.filter((c) => c.id > q('after')).slice(0, limit);
        return json({ checkpoints: page, next: page.length === limit ? page[page.length - 1]!.id : null });
      }
      case '/ledger/entries': {
        const from = q('from');
        const page = entries
          .filter((e) => e.seq >= from)
          .slice(0, limit)
          .map((e) => ({ ...e, event: { id: e.headers['ce_id'] } }));
        return json({ entries: page, next: page.length === limit ? from + limit : null });
      }
      case '/ledger/proofs/consistency': {
        const [from, to] = [q('from'), q('to')];
        const proof = served.proofHex?.(from, to) ?? buildConsistencyProof(from, to, log.nodes).map((b) => b.toString('hex'));
        return json({ from, to, proof });
      }
      default:
        return json(
          { type: 'about:blank', title: 'Not Found', status: 404, detail: `no route ${url.pathname}`, code: 'HTTP.NOT_FOUND' },
          404,
        );
    }
  }) as typeof fetch;
  return { fetch: fetchImpl, calls };
}

const noSleep = { sleeps: [] as number[] };
function source(fetchImpl: typeof fetch, extra: { pageSize?: number } = {}) {
  noSleep.sleeps = [];
  return new HttpLedgerSource('http://ledger.test/ledger', {
    fetch: fetchImpl,
    pageSize: extra.pageSize ?? 7,
    sleep: async (ms) => {
      noSleep.sleeps.push(ms);
    },
  });
}

const verifyOver = (fetchImpl: typeof fetch, trusted = null as null | { treeSize: number; rootHash: string; note: string }) =>
  verifyLog(source(fetchImpl, { pageSize: 3 }), { key: log.key, origin: log.origin, trusted });

describe('HttpLedgerSource with verifyLog', () => {
  it('given an honest ledger, when verified over HTTP in small pages, then entries, checkpoints and consistency proofs all verify', async () => {
    const ledger = fakeLedger();
    const result = await verifyOver(ledger.fetch);
    expect(result).toMatchObject({ ok: true, entries: 40, latest: { treeSize: 40 }, consistencyProofs: 3 });
    expect(ledger.calls).toContain('/ledger/checkpoints?limit=3');
    expect(ledger.calls).toContain('/ledger/checkpoints?after=3&limit=3');
    expect(ledger.calls).toContain('/ledger/entries?from=39&limit=3');
    expect(ledger.calls).toEqual(
      expect.arrayContaining([
        '/ledger/proofs/consistency?from=10&to=20',
        '/ledger/proofs/consistency?from=20&to=30',
        '/ledger/proofs/consistency?from=30&to=40',
      ]),
    );
  });

  it('given a trusted checkpoint, when verified over HTTP, then it verifies with every successive proof', async () => {
    const ledger = fakeLedger();
    const trusted = { treeSize: 20, rootHash: log.checkpoints[1]!.rootHash, note: log.checkpoints[1]!.note };
    expect(await verifyOver(ledger.fetch, trusted)).toMatchObject({ ok: true, consistencyProofs: 3 });
  });

  it('given a ledger serving a changed entry, when verified over HTTP, then the problem names its seq and no proof is asked for', async () => {
    const entries = log.entries.map((e) => (e.seq === 31 ? { ...e, offset: '999999' } : e));
    const ledger = fakeLedger({ entries });
    expect(await verifyOver(ledger.fetch)).toMatchObject({ ok: false, problem: { kind: 'entry-tampered', seq: 31 } });
    expect(ledger.calls.some((c) => c.startsWith('/ledger/proofs'))).toBe(false);
  });

  it('given a ledger whose consistency proof is wrong, when verified over HTTP, then consistency-proof-invalid names the newer checkpoint', async () => {
    const proofHex = (from: number, to: number) =>
      buildConsistencyProof(from, to, log.nodes).map((b, i) => (from === 20 && i === 0 ? 'ff'.repeat(32) : b.toString('hex')));
    expect(await verifyOver(fakeLedger({ proofHex }).fetch)).toMatchObject({
      ok: false,
      problem: {
        kind: 'consistency-proof-invalid',
        checkpointSize: 30,
        evidence: { code: 'PROOF.CONSISTENCY_MISMATCH', from: { treeSize: 20 }, to: { treeSize: 30 } },
      },
    });
  });
});

describe('HttpLedgerSource requests', () => {
  it('given two 503s, when a page is read, then it retries with exponential backoff and succeeds', async () => {
    let failures = 2;
    const ledger = fakeLedger({}, (url) =>
      url.pathname.endsWith('/public-key') && failures-- > 0 ? new Response('busy', { status: 503 }) : undefined,
    );
    const s = source(ledger.fetch);
    await expect(s.announced()).resolves.toEqual({ origin: log.origin, verifierKey: log.verifierKey });
    expect(noSleep.sleeps).toEqual([250, 500]);
  });

  it('given a 429 with Retry-After, when a page is read, then it waits as asked', async () => {
    let failures = 1;
    const ledger = fakeLedger({}, (url) =>
      url.pathname.endsWith('/public-key') && failures-- > 0
        ? new Response('{}', { status: 429, headers: { 'retry-after': '3' } })
        : undefined,
    );
    const s = source(ledger.fetch);
    await s.announced();
    expect(noSleep.sleeps).toEqual([3000]);
  });

  it('given a ledger that keeps failing, when a page is read, then it gives up after the bounded retries with a clear error', async () => {
    const ledger = fakeLedger(
      {},
      () => new Response('{"detail":"database unavailable","code":"DB.DOWN"}', { status: 503, statusText: 'Service Unavailable' }),
    );
    const s = source(ledger.fetch);
    const error = await s.announced().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VerifierSetupError);
    expect(error).toMatchObject({
      code: 'SOURCE.HTTP_STATUS',
      message:
        'GET http://ledger.test/ledger/log/public-key failed after 5 attempts: HTTP 503 Service Unavailable — DB.DOWN: database unavailable',
      context: { status: 503 },
    });
    expect(ledger.calls).toHaveLength(5);
  });

  it('given a 404 problem, when a page is read, then it fails at once with the problem detail', async () => {
    const ledger = fakeLedger({}, (url) =>
      url.pathname.endsWith('/checkpoints')
        ? new Response(JSON.stringify({ status: 404, detail: 'no such route', code: 'HTTP.NOT_FOUND' }), {
            status: 404,
            statusText: 'Not Found',
          })
        : undefined,
    );
    await expect(source(ledger.fetch).checkpoints()).rejects.toMatchObject({
      code: 'SOURCE.HTTP_STATUS',
      message: expect.stringMatching(/failed: HTTP 404 Not Found — HTTP.NOT_FOUND: no such route$/),
    });
    expect(ledger.calls).toHaveLength(1);
  });

  it('given the ledger cannot be reached, when a page is read, then it retries and reports the network error', async () => {
    const refused = (async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    }) as typeof fetch;
    await expect(source(refused).announced()).rejects.toMatchObject({
      code: 'SOURCE.NETWORK',
      message: expect.stringMatching(/after 5 attempts: fetch failed \(ECONNREFUSED\)$/),
    });
    expect(noSleep.sleeps).toEqual([250, 500, 1000, 2000]);
  });

  it('given an answer that is not JSON, when a page is read, then it fails as a bad response', async () => {
    const ledger = fakeLedger({}, () => new Response('<html>proxy error</html>', { status: 200 }));
    await expect(source(ledger.fetch).announced()).rejects.toMatchObject({
      code: 'SOURCE.BAD_RESPONSE',
      message: expect.stringContaining('not JSON'),
    });
  });

  it('given a page cursor that does not move forward, when entries are read, then it stops with a bad response instead of looping', async () => {
    const ledger = fakeLedger({}, (url) => (url.pathname.endsWith('/entries') ? Response.json({ entries: [], next: 0 }) : undefined));
    const read = async () => {
      for await (const page of source(ledger.fetch).entries()) void page;
    };
    await expect(read()).rejects.toMatchObject({ code: 'SOURCE.BAD_RESPONSE', message: expect.stringContaining('does not move past 0') });
  });

  it('given a page of the wrong shape, when entries are read, then it fails as a bad response', async () => {
    const ledger = fakeLedger({}, (url) => (url.pathname.endsWith('/entries') ? Response.json({ items: [] }) : undefined));
    const read = async () => {
      for await (const page of source(ledger.fetch).entries()) void page;
    };
    await expect(read()).rejects.toMatchObject({ code: 'SOURCE.BAD_RESPONSE' });
  });

  it('given a consumer that stops early while the next page fails, when it stops, then nothing is left unhandled', async () => {
    const ledger = fakeLedger({}, (url) => (url.searchParams.get('from') === '7' ? new Response('{}', { status: 400 }) : undefined));
    for await (const page of source(ledger.fetch).entries()) {
      expect(page).toHaveLength(7);
      break;
    }
    await new Promise((resolve) => setImmediate(resolve));
  });

  it.each(['not a url', 'ftp://ledger.test'])('given the URL %p, when constructed, then it is refused as a usage error', (url) => {
    expect(() => new HttpLedgerSource(url)).toThrow(expect.objectContaining({ code: 'SETUP.BAD_OPTION' }));
  });

  it('given a ledger whose witnesses cosigned, when asked for the witnessed checkpoint, then it returns the note as text; 404 is null', async () => {
    const note = `${log.checkpoints[3]!.note}— regulator.test/witness AAAA\n`;
    const cosigned = fakeLedger({}, (url) =>
      url.pathname === '/ledger/checkpoint/witnessed'
        ? new Response(note, { status: 200, headers: { 'content-type': 'text/plain' } })
        : undefined,
    );
    expect(await source(cosigned.fetch).witnessedCheckpoint()).toBe(note);
    const none = fakeLedger({}, (url) =>
      url.pathname === '/ledger/checkpoint/witnessed'
        ? new Response(JSON.stringify({ code: 'CHECKPOINT.NOT_FOUND', detail: 'no checkpoint is cosigned by a witness yet' }), {
            status: 404,
          })
        : undefined,
    );
    expect(await source(none.fetch).witnessedCheckpoint()).toBeNull();
    const broken = fakeLedger({}, (url) =>
      url.pathname === '/ledger/checkpoint/witnessed' ? new Response('no', { status: 403 }) : undefined,
    );
    await expect(source(broken.fetch).witnessedCheckpoint()).rejects.toBeInstanceOf(VerifierSetupError);
  });
});
