import { Access, CurrentPrincipal, type Principal } from '@aal/auth';
import { DomainError, NotFoundError } from '@aal/domain';
import { SchemaPipe } from '@aal/http';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Type, type Static } from '@sinclair/typebox';
import { DataSource } from 'typeorm';

const SeqParam = Type.String({ pattern: '^(0|[1-9][0-9]{0,15})$', description: '0-based sequence number' });
const RangeQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ pattern: '^(0|[1-9][0-9]{0,15})$', description: 'first sequence number, default 0' })),
    limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]{0,2}|1000)$', description: '1-1000, default 100' })),
  },
  { additionalProperties: false },
);

interface EntryRow {
  seq: string;
  recorded_at_text: string;
  kafka_topic: string;
  kafka_partition: number;
  kafka_offset: string;
  headers: Record<string, string>;
  value: Buffer;
  leaf_hash: Buffer;
  chain_hash: Buffer;
}

/** The log holds every organisation's records: reading it raw needs the auditor's cross-organisation grant. */
function requireAllOrganisations(principal: Principal): void {
  if (!principal.grants.includes('all-organisations')) {
    throw new DomainError('AUTH.GRANT_REQUIRED', 'forbidden', 'raw log entries span every organisation; reading them needs the all-organisations grant', {
      requiredGrant: 'all-organisations',
    });
  }
}

/** Raw log entries exactly as recorded, with their hashes, for verifiers and auditors. */
@ApiTags('log')
@Access('auditor')
@Controller('entries')
export class EntriesController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'Entries by range, oldest first (paged by sequence number).' })
  async range(@Query(new SchemaPipe(RangeQuery, 'query')) query: Static<typeof RangeQuery>, @CurrentPrincipal() principal: Principal) {
    requireAllOrganisations(principal);
    const from = Number(query.from ?? 0);
    const limit = Number(query.limit ?? 100);
    const rows: EntryRow[] = await this.dataSource.query(
      `SELECT seq, recorded_at_text, kafka_topic, kafka_partition, kafka_offset, headers, value, leaf_hash, chain_hash
         FROM ledger.entries WHERE seq >= $1 ORDER BY seq LIMIT $2`,
      [from, limit],
    );
    const entries = rows.map(present);
    const next = entries.length === limit ? from + limit : null;
    return { entries, next };
  }

  @Get(':seq')
  @ApiOperation({ summary: 'One entry by sequence number.' })
  async one(@Param('seq', new SchemaPipe(SeqParam, 'path')) seq: string, @CurrentPrincipal() principal: Principal) {
    requireAllOrganisations(principal);
    const rows: EntryRow[] = await this.dataSource.query(
      `SELECT seq, recorded_at_text, kafka_topic, kafka_partition, kafka_offset, headers, value, leaf_hash, chain_hash
         FROM ledger.entries WHERE seq = $1`,
      [seq],
    );
    if (!rows[0]) throw new NotFoundError('entry', seq);
    return present(rows[0]);
  }
}

function present(r: EntryRow) {
  return {
    seq: Number(r.seq),
    recordedAt: r.recorded_at_text,
    topic: r.kafka_topic,
    partition: r.kafka_partition,
    offset: r.kafka_offset,
    headers: r.headers,
    value: r.value.toString('base64'),
    event: { ...cloudEventAttributes(r.headers), data: parseData(r.value) },
    leafHash: r.leaf_hash.toString('hex'),
    chainHash: r.chain_hash.toString('hex'),
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
  return Object.fromEntries(Object.entries(headers).filter(([k]) => k.startsWith('ce_')).map(([k, v]) => [k.slice(3), v]));
}
