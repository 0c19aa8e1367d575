import { Access, assertCanReadAny, CurrentPrincipal, type Principal } from '@aal/auth';
import { Id } from '@aal/contracts';
import { ApiAnswer, SchemaPipe } from '@aal/http';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import { IncidentClockQuery } from '../application/incident-clock.query';
import { AccountabilityParams, accountabilityRequest } from './accountability.controller';
import { IncidentClockAnswer } from './accountability.answers';

@ApiTags('accountability')
@Access('auditor')
@Controller('incidents')
export class IncidentClockController {
  constructor(private readonly query: IncidentClockQuery) {}

  @Get(':incidentId/reporting-clock')
  @ApiAnswer(200, IncidentClockAnswer)
  @ApiOperation({
    summary:
      'One classified incident’s reporting clock: its classification, the deadlines of the rule set in force when the deployer became aware (the notice to the provider, the report to the market surveillance authority, the MHRA report for a medical device), the notices and reports recorded by `asOf`, and its findings.',
    description:
      '`asOf` defaults to the recorded time of the last entry known (`knownAt`). Every item carries `evidence` and `inclusionProofs`, and `basis` lists the entries the answer was computed from (docs/incidents.md, docs/findings.md).',
  })
  @ApiQuery({ name: 'asOf', required: false, type: String })
  @ApiQuery({ name: 'knownAt', required: false, type: String })
  @ApiQuery({ name: 'waitFor', required: false, type: String })
  get(
    @Param('incidentId', new SchemaPipe(Id, 'path')) incidentId: string,
    @Query(new SchemaPipe(AccountabilityParams, 'query')) query: Static<typeof AccountabilityParams>,
    @CurrentPrincipal() principal: Principal,
  ) {
    // The parties concerned, the deployer and the provider, read it with an auditor token; any organisation with the all-organisations grant.
    return this.query.forIncident(incidentId, accountabilityRequest(query), (organisations) =>
      assertCanReadAny(principal, organisations, 'incident', incidentId),
    );
  }
}
