import { Access, canReadOrganisation, CurrentPrincipal, type Principal } from '@aal/auth';
import type { WithoutTime } from '@aal/domain';
import { ApiAnswer, CurrentCaller, SchemaPipe, type Caller } from '@aal/http';
import { CLOCK, type Clock } from '@aal/service-kit';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import { ExecuteModelCommand } from '../application/execute-model-command.handler';
import { ModelQueries } from '../application/model.queries';
import { ModelAnswer, ModelListAnswer } from './model.answers';
import type { ModelCommand } from '../domain/model.types';
import {
  IdParam,
  IssueSafetyNoticeRequest,
  ListQuery,
  RegisterModelRequest,
  ReleaseVersionRequest,
  ResolveSafetyNoticeRequest,
  UncodedContraindicationsPipe,
  WithdrawVersionRequest,
} from './model.requests';

const uuid = new SchemaPipe(IdParam, 'path');

@ApiTags('models')
@Controller('models')
export class ModelsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ModelQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private async run(command: WithoutTime<ModelCommand>): Promise<ModelAnswer> {
    await this.commands.execute(new ExecuteModelCommand({ ...command, occurredAt: this.clock.now().toISOString() } as ModelCommand));
    return this.queries.get(command.modelId);
  }

  @Post()
  @Access('vendor-admin')
  @HttpCode(201)
  @ApiAnswer(201, ModelAnswer)
  @ApiOperation({ summary: 'Register a model and its intended purpose (vendor).' })
  @ApiBody({ schema: RegisterModelRequest as object })
  register(@Body(new SchemaPipe(RegisterModelRequest)) body: Static<typeof RegisterModelRequest>, @CurrentCaller() caller: Caller) {
    return this.run({ kind: 'RegisterModel', modelId: randomUUID(), ...body, actor: caller });
  }

  @Post(':modelId/versions')
  @Access('vendor-admin')
  @HttpCode(201)
  @ApiAnswer(201, ModelAnswer)
  @ApiOperation({
    summary:
      'Release a version with coded contraindications and its intended population (age bands); its digest and content never change afterwards.',
  })
  @ApiBody({ schema: ReleaseVersionRequest as object })
  release(
    @Param('modelId', uuid) modelId: string,
    @Body(new UncodedContraindicationsPipe(), new SchemaPipe(ReleaseVersionRequest)) body: Static<typeof ReleaseVersionRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    return this.run({ kind: 'ReleaseVersion', modelId, versionId: randomUUID(), ...body, actor: caller });
  }

  @Post(':modelId/safety-notices')
  @Access('vendor-safety-officer', 'vendor-admin')
  @HttpCode(201)
  @ApiAnswer(201, ModelAnswer)
  @ApiOperation({ summary: 'Issue a safety notice affecting released versions.' })
  @ApiBody({ schema: IssueSafetyNoticeRequest as object })
  issueNotice(
    @Param('modelId', uuid) modelId: string,
    @Body(new SchemaPipe(IssueSafetyNoticeRequest)) body: Static<typeof IssueSafetyNoticeRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    return this.run({ kind: 'IssueSafetyNotice', modelId, noticeId: randomUUID(), ...body, actor: caller });
  }

  @Post(':modelId/safety-notices/:noticeId/resolution')
  @Access('vendor-safety-officer', 'vendor-admin')
  @HttpCode(201)
  @ApiAnswer(201, ModelAnswer)
  @ApiOperation({ summary: 'Resolve an open safety notice (its vendor only); the notice stays on record.' })
  @ApiBody({ schema: ResolveSafetyNoticeRequest as object })
  resolveNotice(
    @Param('modelId', uuid) modelId: string,
    @Param('noticeId', uuid) noticeId: string,
    @Body(new SchemaPipe(ResolveSafetyNoticeRequest)) body: Static<typeof ResolveSafetyNoticeRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    return this.run({ kind: 'ResolveSafetyNotice', modelId, noticeId, resolution: body.resolution, actor: caller });
  }

  @Post(':modelId/versions/:versionId/withdrawal')
  @Access('vendor-safety-officer', 'vendor-admin')
  @HttpCode(201)
  @ApiAnswer(201, ModelAnswer)
  @ApiOperation({ summary: 'Withdraw a version; it can never be released again.' })
  @ApiBody({ schema: WithdrawVersionRequest as object })
  withdraw(
    @Param('modelId', uuid) modelId: string,
    @Param('versionId', uuid) versionId: string,
    @Body(new SchemaPipe(WithdrawVersionRequest)) body: Static<typeof WithdrawVersionRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    const effectiveAt = body.effectiveAt ?? this.clock.now().toISOString();
    return this.run({ kind: 'WithdrawVersion', modelId, versionId, reason: body.reason, effectiveAt, actor: caller });
  }

  @Get()
  @Access('vendor-admin', 'vendor-safety-officer', 'employer-requester', 'employer-approver', 'employer-admin', 'investigator', 'auditor')
  @ApiOperation({ summary: 'List models, optionally of one vendor.' })
  @ApiAnswer(200, ModelListAnswer)
  list(@Query(new SchemaPipe(ListQuery, 'query')) query: Static<typeof ListQuery>): Promise<ModelListAnswer> {
    return this.queries.list({ vendorId: query.vendorId, limit: Number(query.limit ?? 50), offset: Number(query.offset ?? 0) });
  }

  @Get(':modelId')
  @Access('vendor-admin', 'vendor-safety-officer', 'employer-requester', 'employer-approver', 'employer-admin', 'investigator', 'auditor')
  @ApiOperation({
    summary:
      "A model with its versions and notices; its full event history (who at the vendor did what) only for the vendor's own staff and auditors allowed to read the vendor's records.",
  })
  @ApiAnswer(200, ModelAnswer)
  async get(@Param('modelId', uuid) modelId: string, @CurrentPrincipal() principal: Principal): Promise<ModelAnswer> {
    const model = await this.queries.get(modelId);
    if (canReadOrganisation(principal, (model as { vendorId: string }).vendorId)) return model;
    // Property level: the catalogue facts are every party's business, the vendor's staff pseudonyms are not.
    const { history: _history, ...facts } = model;
    return facts;
  }
}
