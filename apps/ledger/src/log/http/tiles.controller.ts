import { Access, assertAllOrganisations, CurrentPrincipal, Public, type Principal } from '@aal/auth';
import {
  encodeEntry,
  encodeEntryBundle,
  MAX_BUNDLED_ENTRY_BYTES,
  nodeKey,
  parseTilePath,
  tileNodes,
  TilePathError,
  TILE_WIDTH,
  type TileRef,
} from '@aal/ledger-core';
import { ApiAnswer } from '@aal/http';
import { Controller, Get, Header, Param, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { gzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { TileBytes } from './log.answers';
import { tileErrors } from '../domain/tile.errors';
import { EntriesRepository } from '../infrastructure/entries.repository';
import { TreeRepository } from '../infrastructure/tree.repository';

/** Tiles never change once every hash in them exists: cache them for a year (C2SP: "long-lived"). */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Entry bundles hold event content and need a token: browsers may keep them, shared caches may not. */
const IMMUTABLE_PRIVATE = 'private, max-age=31536000, immutable';

/**
 * The log as C2SP tlog-tiles: hash tiles (public, like proofs: hashes only) and entry bundles (event
 * content of every organisation, so only for auditors with the all-organisations grant, as raw
 * entries are). Paths follow the spec; the checkpoint is `GET /checkpoint`.
 */
@ApiTags('log')
@Controller('tile')
export class TilesController {
  constructor(private readonly dataSource: DataSource) {}

  // Declared before the hash tiles so that Express matches `tile/entries/…` here first.
  @Get('entries/*path')
  @Access('auditor')
  @ApiAnswer(200, TileBytes, 'The entry bundle.', 'application/octet-stream')
  @ApiOperation({
    summary:
      'An entry bundle (C2SP tlog-tiles): up to 256 entries, each a big-endian uint16 length and the entry bytes; gzip when accepted.',
  })
  async entryBundle(
    @Param('path') rest: string | string[],
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    assertAllOrganisations(principal, 'entry bundles');
    const path = `tile/entries/${joined(rest)}`;
    const tile = parse(path);
    const first = tile.index * TILE_WIDTH;
    const entries = await new EntriesRepository(this.dataSource.manager).range(first, tile.width);
    if (entries.length < tile.width) throw tileErrors.notFound(path, first + entries.length);
    const encoded = entries.map((e) => ({ seq: e.seq, bytes: encodeEntry(e) }));
    const tooLarge = encoded.find((e) => e.bytes.length > MAX_BUNDLED_ENTRY_BYTES);
    if (tooLarge) throw tileErrors.entryTooLarge(path, tooLarge.seq, tooLarge.bytes.length);
    const bundle = encodeEntryBundle(encoded.map((e) => e.bytes));
    res.setHeader('cache-control', IMMUTABLE_PRIVATE);
    res.setHeader('vary', 'Accept-Encoding, Authorization');
    if (/\bgzip\b/.test(req.header('accept-encoding') ?? '')) {
      res.setHeader('content-encoding', 'gzip');
      return octets(gzipSync(bundle));
    }
    return octets(bundle);
  }

  @Get('*path')
  @Public('Tiles are hashes only, like proofs; tlog-tiles clients and CDNs must read them without an account.')
  @Header('cache-control', IMMUTABLE)
  @ApiAnswer(200, TileBytes, 'The hash tile.', 'application/octet-stream')
  @ApiOperation({ summary: 'A hash tile (C2SP tlog-tiles) `<L>/<N>[.p/<W>]`: up to 256 consecutive 32-byte tree hashes at height 8·L.' })
  async hashTile(@Param('path') rest: string | string[]): Promise<StreamableFile> {
    const path = `tile/${joined(rest)}`;
    const tile = parse(path);
    if (tile.kind !== 'hashes') throw tileErrors.badPath(path, 'entry bundles are under tile/entries/');
    const ids = tileNodes(tile);
    const nodes = await new TreeRepository(this.dataSource.manager).findNodes(ids);
    const hashes = ids.map((id) => nodes.get(nodeKey(id)));
    if (hashes.some((h) => h === undefined)) throw tileErrors.notFound(path, await this.logSize());
    return octets(Buffer.concat(hashes as Buffer[]));
  }

  private async logSize(): Promise<number> {
    const rows: Array<{ n: string | null }> = await this.dataSource.query('SELECT max(seq) + 1 AS n FROM ledger.entries');
    return rows[0]?.n == null ? 0 : Number(rows[0].n);
  }
}

/** Bytes as the response body (Nest would otherwise serialise a Buffer as JSON). */
function octets(body: Buffer): StreamableFile {
  return new StreamableFile(body, { type: 'application/octet-stream', length: body.length });
}

/** Express 5 hands a `*path` wildcard over as its segments. */
function joined(rest: string | string[]): string {
  return Array.isArray(rest) ? rest.join('/') : rest;
}

function parse(path: string): TileRef {
  try {
    return parseTilePath(path);
  } catch (err) {
    if (err instanceof TilePathError) throw tileErrors.badPath(path, err.reason);
    throw err;
  }
}
