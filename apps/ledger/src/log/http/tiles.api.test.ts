import { decodeEntryBundle, leafHash, parseVerifierKey, rootFromTiles, tilePath, tilesForSize, verifyCheckpoint } from '@aal/ledger-core';
import { testCheckpointSettings, tokenFor, type httpClient } from '@aal/testing';
import { registeredModel } from '../../testing/events';
import { TestLedger } from '../../testing/test-ledger';

const SIZE = 600;
const ORIGIN = 'tiles.test/aal';
const auditor = { organisationId: 'care-quality-audit', personId: 'psn_cqa_auditor_1', role: 'auditor' };

/** The log read as C2SP tlog-tiles by a client that trusts only the checkpoint key. */
describe('ledger API: the tree and entries as tiles', () => {
  let ledger: TestLedger;
  let call: ReturnType<typeof httpClient>;
  let checkpoint: { size: number; rootHash: Buffer };
  const keys = testCheckpointSettings(ORIGIN, { minIntervalMs: 50, idleIntervalMs: 200 });
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${ledger.baseUrl}/${path}`, { headers });
  const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());
  const hashesOf = (tile: Buffer) => Array.from({ length: tile.length / 32 }, (_, i) => tile.subarray(i * 32, i * 32 + 32));

  beforeAll(async () => {
    ledger = await TestLedger.start('tiles-test', { checkpoints: keys.settings });
    call = ledger.call;
    await ledger.publish(Array.from({ length: SIZE }, () => registeredModel('Tiles')));
    await ledger.checkpoint((treeSize) => treeSize === SIZE, `checkpoint ${SIZE}`);
    const note = await (await get('checkpoint')).text();
    const verified = verifyCheckpoint(note, parseVerifierKey((await call('GET', '/log/public-key')).body.verifierKey), ORIGIN);
    checkpoint = { size: verified.size, rootHash: verified.rootHash };
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  it("serves every tile the checkpoint needs, immutable, and the checkpoint's root is rebuilt from them alone", async () => {
    expect(checkpoint.size).toBe(SIZE);
    const fetched = new Map<string, Buffer>();
    for (const tile of tilesForSize(SIZE)) {
      const res = await get(tilePath(tile));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const body = await bytes(res);
      expect(body).toHaveLength(tile.width * 32);
      fetched.set(`${tile.level}/${tile.index}`, body);
    }
    expect([...fetched.keys()]).toEqual(['0/0', '0/1', '0/2', '1/0']);
    expect(
      rootFromTiles(SIZE, (level, index) => hashesOf(fetched.get(`${level}/${index}`) ?? Buffer.alloc(0))).equals(checkpoint.rootHash),
    ).toBe(true);
    // A partial tile is a prefix of the wider one: both never change.
    const prefix = await bytes(await get('tile/0/002.p/10'));
    expect(prefix.equals(fetched.get('0/2')!.subarray(0, 320))).toBe(true);
  });

  it('holds in level 0 exactly the leaf hashes of the entries, and entry bundles hash to them', async () => {
    const token = await tokenFor(auditor, { grants: ['all-organisations'] });
    const level0 = hashesOf(await bytes(await get('tile/0/001')));
    const entries = (await call('GET', '/entries?from=256&limit=256', { headers: { authorization: `Bearer ${token}` } })).body.entries;
    expect(level0.map((h) => h.toString('hex'))).toEqual(entries.map((e: { leafHash: string }) => e.leafHash));

    const full = await get('tile/entries/001', { authorization: `Bearer ${token}`, 'accept-encoding': 'identity' });
    expect(full.status).toBe(200);
    expect(full.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    const bundled = decodeEntryBundle(await bytes(full));
    expect(bundled.map((entry) => leafHash(entry).toString('hex'))).toEqual(level0.map((h) => h.toString('hex')));
    expect(JSON.parse(bundled[0]!.toString('utf8'))).toMatchObject({ seq: 256, v: 'aal-entry-v1' });

    const gzipped = await get('tile/entries/002.p/88', { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    const partial = decodeEntryBundle(await bytes(gzipped));
    expect(partial.map((entry) => leafHash(entry).toString('hex'))).toEqual(
      hashesOf(await bytes(await get('tile/0/002.p/88'))).map((h) => h.toString('hex')),
    );
  });

  it('keeps entry bundles, which hold every organisation’s event content, to auditors with the all-organisations grant', async () => {
    expect((await get('tile/entries/000')).status).toBe(401);
    const withoutGrant = await get('tile/entries/000', { authorization: `Bearer ${await tokenFor(auditor)}` });
    expect(withoutGrant.status).toBe(403);
    expect(((await withoutGrant.json()) as { code: string }).code).toBe('AUTH.GRANT_REQUIRED');
  });

  it('answers tiles beyond the log with 404 and malformed paths with 400, as problems', async () => {
    for (const path of ['tile/0/003', 'tile/0/002', 'tile/0/002.p/89', 'tile/1/000', 'tile/2/000.p/1']) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(((await res.json()) as { code: string }).code).toBe('TILE.NOT_FOUND');
    }
    for (const path of ['tile/0/2', 'tile/00/000', 'tile/0/000.p/256', 'tile/0/x000/001']) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(((await res.json()) as { code: string }).code).toBe('TILE.BAD_PATH');
    }
  });
});
