import { CurrentCaller, SchemaPipe, type Caller } from '@aal/http';
import { CLOCK, type Clock } from '@aal/service-kit';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import { ExecuteTrainingCommand } from '../application/execute-training-command.handler';
import { TrainingQueries } from '../application/training.queries';
import { IdParam, ListTrainingQuery, RecordTrainingRequest } from './training.requests';

const uuid = new SchemaPipe(IdParam, 'path');

@ApiTags('training')
@ApiHeader({ name: 'x-aal-organisation', required: true, description: 'Caller organisation (development identity)' })
@ApiHeader({ name: 'x-aal-person', required: true, description: 'Caller pseudonym (development identity)' })
@ApiHeader({ name: 'x-aal-role', required: true, description: 'Caller role (development identity)' })
@Controller('training-records')
export class TrainingRecordsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: TrainingQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: "Record that a professional completed training for one of the caller's deployments." })
  @ApiBody({ schema: RecordTrainingRequest as object })
  async record(@Body(new SchemaPipe(RecordTrainingRequest)) body: Static<typeof RecordTrainingRequest>, @CurrentCaller() caller: Caller) {
    const trainingId = randomUUID();
    const command = { kind: 'RecordTraining' as const, trainingId, ...body, actor: caller };
    await this.commands.execute(new ExecuteTrainingCommand(command, this.clock.now().toISOString()));
    return this.queries.get(trainingId);
  }

  @Get()
  @ApiOperation({ summary: 'List training records, by professional, employer or deployment.' })
  list(@Query(new SchemaPipe(ListTrainingQuery, 'query')) query: Static<typeof ListTrainingQuery>) {
    return this.queries.list({
      professionalId: query.professionalId,
      employerId: query.employerId,
      deploymentId: query.deploymentId,
      limit: Number(query.limit ?? 50),
      offset: Number(query.offset ?? 0),
    });
  }

  @Get(':trainingId')
  @ApiOperation({ summary: 'A training record with its event history.' })
  get(@Param('trainingId', uuid) trainingId: string) {
    return this.queries.get(trainingId);
  }
}
