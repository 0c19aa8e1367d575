import { Access, assertAllOrganisations, CurrentPrincipal, type Principal } from '@aal/auth';
import { ApiAnswer, SchemaPipe } from '@aal/http';
import type { WireEntry } from '@aal/verifier';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Type, type Static } from '@sinclair/typebox';
import { DataSource } from 'typeorm';
import { entryJson } from '../application/entry-json';
import { EntryAnswer, EntryPageAnswer } from './log.answers';
import { logErrors } from '../domain/log.errors';
import { EntriesRepository, type RecordedEntry } from '../infrastructure/entries.repository';

const RAW_ENTRIES = 'raw log entries';

const SeqParam = Type.String({ pattern: '^(0|[1-9][0-9]{0,15})$', description: '0-based sequence number' });
const RangeQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ pattern: '^(0|[1-9][0-9]{0,15})$', description: 'first sequence number, default 0' })),
    limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]{0,2}|1000)$', description: '1-1000, default 100' })),
  },
  { additionalProperties: false },
);

/** Raw log entries exactly as recorded, with their hashes, for verifiers and auditors. */
@ApiTags('log')
@Access('auditor')
@Controller('entries')
export class EntriesController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiAnswer(200, EntryPageAnswer)
  @ApiOperation({ summary: 'Entries by range, oldest first (paged by sequence number).' })
  async range(@Query(new SchemaPipe(RangeQuery, 'query')) query: Static<typeof RangeQuery>, @CurrentPrincipal() principal: Principal) {
    assertAllOrganisations(principal, RAW_ENTRIES);
    const from = Number(query.from ?? 0);
    const limit = Number(query.limit ?? 100);
    const rows = await new EntriesRepository(this.dataSource.manager).range(from, limit);
    const entries = rows.map(present);
    const next = entries.length === limit ? from + limit : null;
    return { entries, next };
  }

  @Get(':seq')
  @ApiAnswer(200, EntryAnswer)
  @ApiOperation({ summary: 'One entry by sequence number.' })
  async one(@Param('seq', new SchemaPipe(SeqParam, 'path')) seq: string, @CurrentPrincipal() principal: Principal) {
    assertAllOrganisations(principal, RAW_ENTRIES);
    const rows = await new EntriesRepository(this.dataSource.manager).bySeqs([Number(seq)]);
    if (!rows[0]) throw logErrors.entryNotFound(seq);
    return present(rows[0]);
  }
}

/** The entry, its event decoded for people, and its chain hash; members in the order this route has always served them. */
function present(e: RecordedEntry): WireEntry & { event: unknown } {
  const { leafHash, ...recorded } = entryJson(e);
  return {
    ...recorded,
    event: { ...cloudEventAttributes(e.headers), data: parseData(e.value) },
    leafHash,
    chainHash: e.chainHash.toString('hex'),
  };
}

/** Entries hold validated JSON, but this view must never fail on a byte it did not expect. */
function parseData(value: Buffer): unknown {
  try {
    return JSON.parse(value.toString('utf8'));
  } catch {
    return null;
  }
}

function cloudEventAttributes(headers: Record<string, string>) {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([k]) => k.startsWith('ce_'))
      .map(([k, v]) => [k.slice(3), v]),
  );
}
