import { Access, CurrentPrincipal, type Principal } from '@aal/auth';
import { ApiAnswer, CurrentCaller, SchemaPipe, type Caller } from '@aal/http';
import { CLOCK, type Clock } from '@aal/service-kit';
import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import { IncidentQueries } from '../application/incident.queries';
import { ClassifyIncidentCommand, RecordIncidentCommand } from '../application/execute-incident-command.handler';
import { INFORM_PROVIDER_HOURS } from '../incidents.tokens';
import {
  AuthorityReportRequest,
  ClassifyIncidentRequest,
  IdParam,
  ProviderAwareRequest,
  ProviderInformedRequest,
} from './incident.requests';
import { SeriousIncidentAnswer } from './incident.answers';

const uuid = new SchemaPipe(IdParam, 'path');

/** The deployer's roles that classify incidents and inform the provider: its clinical safety officer and its administrators. */
const DEPLOYER_ROLES = ['employer-approver', 'employer-admin'] as const;

/**
 * Serious incidents and their reports: the deployer classifies and informs the provider; the
 * provider records its awareness and its reports to the authorities. The deadlines are the
 * ledger's (GET /incidents/{incidentId}/reporting-clock there, docs/incidents.md).
 */
@ApiTags('incidents')
@Controller('incidents')
export class IncidentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: IncidentQueries,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(INFORM_PROVIDER_HOURS) private readonly informProviderWithinHours: number,
  ) {}

  @Post()
  @ApiAnswer(201, SeriousIncidentAnswer)
  @Access(...DEPLOYER_ROLES)
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Classify an incident in one of the caller’s deployments (death, serious harm to health, widespread infringement, critical infrastructure disruption, other serious incident, not serious) and state when the deployer became aware of it.',
  })
  @ApiBody({ schema: ClassifyIncidentRequest as object })
  async classify(
    @Body(new SchemaPipe(ClassifyIncidentRequest)) body: Static<typeof ClassifyIncidentRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    const { incidentId = randomUUID(), publicHealthThreat = false, outputIds, ...rest } = body;
    await this.commands.execute(
      new ClassifyIncidentCommand({
        kind: 'ClassifyIncident',
        incidentId,
        ...rest,
        publicHealthThreat,
        ...(outputIds !== undefined ? { outputIds } : {}),
        informProviderWithinHours: this.informProviderWithinHours,
        actor: caller,
        occurredAt: this.now(),
      }),
    );
    return this.queries.get(incidentId);
  }

  @Get(':incidentId')
  @ApiAnswer(200, SeriousIncidentAnswer)
  @Access(...DEPLOYER_ROLES, 'vendor-safety-officer', 'auditor')
  @ApiOperation({ summary: 'An incident with its event history, for its deployer and its provider.' })
  get(@Param('incidentId', uuid) incidentId: string, @CurrentPrincipal() principal: Principal) {
    return this.queries.get(incidentId, principal);
  }

  @Post(':incidentId/provider-notices')
  @ApiAnswer(201, SeriousIncidentAnswer)
  @Access(...DEPLOYER_ROLES)
  @HttpCode(201)
  @ApiOperation({ summary: 'Record that the deployer informed the provider of the incident: when, and a reference to the notice.' })
  @ApiBody({ schema: ProviderInformedRequest as object })
  async informed(
    @Param('incidentId', uuid) incidentId: string,
    @Body(new SchemaPipe(ProviderInformedRequest)) body: Static<typeof ProviderInformedRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    const occurredAt = this.now();
    return this.record({
      kind: 'RecordProviderInformed',
      incidentId,
      madeAt: body.madeAt ?? occurredAt,
      reference: body.reference,
      actor: caller,
      occurredAt,
    });
  }

  @Post(':incidentId/provider-awareness')
  @ApiAnswer(201, SeriousIncidentAnswer)
  @Access('vendor-safety-officer')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Record when the provider became aware of the incident: its reporting clock starts then, or at the deployer’s notice if earlier.',
  })
  @ApiBody({ schema: ProviderAwareRequest as object })
  async aware(
    @Param('incidentId', uuid) incidentId: string,
    @Body(new SchemaPipe(ProviderAwareRequest)) body: Static<typeof ProviderAwareRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    return this.record({ kind: 'RecordProviderAware', incidentId, awareAt: body.awareAt, actor: caller, occurredAt: this.now() });
  }

  @Post(':incidentId/authority-reports')
  @ApiAnswer(201, SeriousIncidentAnswer)
  @Access('vendor-safety-officer')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Record a report the provider made to an authority (the market surveillance authority, or the MHRA for a medical device): which, when, and the authority’s reference.',
  })
  @ApiBody({ schema: AuthorityReportRequest as object })
  async reported(
    @Param('incidentId', uuid) incidentId: string,
    @Body(new SchemaPipe(AuthorityReportRequest)) body: Static<typeof AuthorityReportRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    const occurredAt = this.now();
    return this.record({
      kind: 'RecordAuthorityReport',
      incidentId,
      authority: body.authority,
      madeAt: body.madeAt ?? occurredAt,
      reference: body.reference,
      actor: caller,
      occurredAt,
    });
  }

  private async record(command: RecordIncidentCommand['command']) {
    await this.commands.execute(new RecordIncidentCommand(command));
    return this.queries.get(command.incidentId);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
