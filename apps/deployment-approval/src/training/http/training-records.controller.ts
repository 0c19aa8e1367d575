import { Access, assertCanRead, CurrentPrincipal, readableOrganisation, type Principal } from '@aal/auth';
import { ApiAnswer, CurrentCaller, SchemaPipe, type Caller } from '@aal/http';
import { CLOCK, type Clock } from '@aal/service-kit';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import { ExecuteTrainingCommand } from '../application/execute-training-command.handler';
import { TrainingQueries } from '../application/training.queries';
import { TrainingListAnswer, TrainingRecordAnswer } from './training.answers';
import { IdParam, ListTrainingQuery, RecordTrainingRequest } from './training.requests';

const uuid = new SchemaPipe(IdParam, 'path');

@ApiTags('training')
@Controller('training-records')
export class TrainingRecordsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: TrainingQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @Access('employer-admin')
  @HttpCode(201)
  @ApiAnswer(201, TrainingRecordAnswer)
  @ApiOperation({ summary: "Record that a professional completed training for one of the caller's deployments." })
  @ApiBody({ schema: RecordTrainingRequest as object })
  async record(@Body(new SchemaPipe(RecordTrainingRequest)) body: Static<typeof RecordTrainingRequest>, @CurrentCaller() caller: Caller) {
    const trainingId = randomUUID();
    const command = { kind: 'RecordTraining' as const, trainingId, ...body, actor: caller, occurredAt: this.clock.now().toISOString() };
    await this.commands.execute(new ExecuteTrainingCommand(command));
    return this.queries.get(trainingId);
  }

  @Get()
  @Access('employer-requester', 'employer-approver', 'employer-admin', 'auditor')
  @ApiAnswer(200, TrainingListAnswer)
  @ApiOperation({ summary: 'List training records, by professional, employer or deployment.' })
  list(
    @Query(new SchemaPipe(ListTrainingQuery, 'query')) query: Static<typeof ListTrainingQuery>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.queries.list({
      professionalId: query.professionalId,
      employerId: readableOrganisation(principal, query.employerId),
      deploymentId: query.deploymentId,
      limit: Number(query.limit ?? 50),
      offset: Number(query.offset ?? 0),
    });
  }

  @Get(':trainingId')
  @Access('employer-requester', 'employer-approver', 'employer-admin', 'auditor')
  @ApiAnswer(200, TrainingRecordAnswer)
  @ApiOperation({ summary: 'A training record with its event history.' })
  async get(@Param('trainingId', uuid) trainingId: string, @CurrentPrincipal() principal: Principal) {
    const record = await this.queries.get(trainingId);
    assertCanRead(principal, record.employerId, 'training record', trainingId);
    return record;
  }
}
