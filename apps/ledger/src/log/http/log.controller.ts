import { Public } from '@aal/auth';
import { ApiAnswer, SchemaPipe } from '@aal/http';
import { verifierKeyString } from '@aal/ledger-core';
import { Controller, Get, Header, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Type, type Static } from '@sinclair/typebox';
import { DataSource } from 'typeorm';
import { CHECKPOINT_SETTINGS } from '../application/checkpoint.publisher';
import { ProofsQuery } from '../application/proofs.query';
import {
  CheckpointAnswer,
  CheckpointNote,
  CheckpointPageAnswer,
  ConsistencyProofAnswer,
  InclusionProofAnswer,
  PublicKeyAnswer,
} from './log.answers';
import { logErrors } from '../domain/log.errors';
import type { CheckpointSettings } from '../domain/signing-config';
import { checkpointJson } from '../application/checkpoint-json';
import { CheckpointRepository } from '../infrastructure/checkpoint.repository';

const Count = Type.String({ pattern: '^(0|[1-9][0-9]{0,15})$' });
const PageQuery = Type.Object(
  { after: Type.Optional(Count), limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]{0,2}|1000)$' })) },
  { additionalProperties: false },
);
const AtQuery = Type.Object(
  { size: Type.Optional(Count), time: Type.Optional(Type.String({ format: 'date-time' })) },
  { additionalProperties: false },
);
const InclusionQuery = Type.Object({ treeSize: Count }, { additionalProperties: false });
const ConsistencyQuery = Type.Object({ from: Count, to: Count }, { additionalProperties: false });

/** Signed checkpoints, the key that signs them, and proofs against them. Public: no caller needed. */
@ApiTags('log')
@Public(
  'Checkpoints, the verifier key and proofs are hashes and signatures only; witnesses and verifiers must reach them without an account.',
)
@Controller()
export class LogController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly proofs: ProofsQuery,
    @Inject(CHECKPOINT_SETTINGS) private readonly settings: CheckpointSettings,
  ) {}

  private get checkpoints() {
    return new CheckpointRepository(this.dataSource.manager);
  }

  @Get('log/public-key')
  @ApiAnswer(200, PublicKeyAnswer)
  @ApiOperation({
    summary:
      'The checkpoint origin and the verifier key (C2SP signed-note format) to pin in verifiers; during a key rotation also `nextVerifierKey`, which signs every checkpoint too.',
  })
  publicKey() {
    const { signer, nextSigner, origin } = this.settings;
    const verifierKey = verifierKeyString(signer.name, signer.publicKey);
    const next = nextSigner ? { nextVerifierKey: verifierKeyString(nextSigner.name, nextSigner.publicKey) } : {};
    return { origin, keyName: signer.name, keyId: verifierKey.split('+')[1], verifierKey, ...next };
  }

  @Get('checkpoint')
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiAnswer(200, CheckpointNote, 'The latest checkpoint.', 'text/plain')
  @ApiOperation({
    summary: 'The latest checkpoint as a signed note (C2SP tlog-checkpoint), with any witness cosignatures it has appended.',
  })
  async latestNote() {
    const latest = await this.checkpoints.latest();
    if (!latest) throw logErrors.noCheckpoint('yet: the log is empty');
    return latest.note;
  }

  @Get('checkpoint/witnessed')
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiAnswer(200, CheckpointNote, 'The newest witnessed checkpoint.', 'text/plain')
  @ApiOperation({
    summary: 'The newest checkpoint that carries witness cosignatures (C2SP tlog-cosignature lines after the log signature).',
  })
  async witnessedNote() {
    const witnessed = await this.checkpoints.latestWitnessed();
    if (!witnessed) throw logErrors.noCheckpoint('is cosigned by a witness yet');
    return witnessed.note;
  }

  @Get('checkpoints/latest')
  @ApiAnswer(200, CheckpointAnswer)
  @ApiOperation({ summary: 'The latest checkpoint.' })
  async latest() {
    const latest = await this.checkpoints.latest();
    if (!latest) throw logErrors.noCheckpoint('yet: the log is empty');
    return checkpointJson(latest);
  }

  @Get('checkpoints/at')
  @ApiAnswer(200, CheckpointAnswer)
  @ApiOperation({ summary: 'The newest checkpoint at or before a tree size (`size`) or a time (`time`).' })
  async at(@Query(new SchemaPipe(AtQuery, 'query')) query: Static<typeof AtQuery>) {
    if ((query.size === undefined) === (query.time === undefined)) {
      throw logErrors.checkpointQuery();
    }
    const found =
      query.size !== undefined
        ? await this.checkpoints.atOrBeforeSize(Number(query.size))
        : await this.checkpoints.atOrBeforeTime(query.time!);
    if (!found) throw logErrors.noCheckpoint(query.size !== undefined ? `at or before size ${query.size}` : `at or before ${query.time}`);
    return checkpointJson(found);
  }

  @Get('checkpoints')
  @ApiAnswer(200, CheckpointPageAnswer)
  @ApiOperation({ summary: 'Every checkpoint, oldest first, paged by id (`after`, `limit` ≤ 1000).' })
  async page(@Query(new SchemaPipe(PageQuery, 'query')) query: Static<typeof PageQuery>) {
    const limit = Number(query.limit ?? 100);
    const page = await this.checkpoints.page(Number(query.after ?? 0), limit);
    return { checkpoints: page.map(checkpointJson), next: page.length === limit ? page[page.length - 1]!.id : null };
  }

  @Get('entries/:seq/inclusion-proof')
  @ApiAnswer(200, InclusionProofAnswer)
  @ApiOperation({ summary: 'RFC 9162 inclusion proof of entry `seq` in the tree of size `treeSize` (hex hashes).' })
  inclusion(
    @Param('seq', new SchemaPipe(Count, 'path')) seq: string,
    @Query(new SchemaPipe(InclusionQuery, 'query')) query: Static<typeof InclusionQuery>,
  ) {
    return this.proofs.inclusion(Number(seq), Number(query.treeSize));
  }

  @Get('proofs/consistency')
  @ApiAnswer(200, ConsistencyProofAnswer)
  @ApiOperation({ summary: 'RFC 9162 consistency proof between tree sizes `from` and `to` (hex hashes).' })
  consistency(@Query(new SchemaPipe(ConsistencyQuery, 'query')) query: Static<typeof ConsistencyQuery>) {
    return this.proofs.consistency(Number(query.from), Number(query.to));
  }
}
