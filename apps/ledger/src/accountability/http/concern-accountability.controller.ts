import { Access, assertCanReadAny, CurrentPrincipal, type Principal } from '@aal/auth';
import { Id } from '@aal/contracts';
import { ApiAnswer, SchemaPipe } from '@aal/http';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import { ConcernAccountabilityQuery } from '../application/concern-accountability.query';
import { AccountabilityParams, accountabilityRequest } from './accountability.controller';
import { ConcernAccountabilityAnswer } from './accountability.answers';

@ApiTags('accountability')
@Access('auditor')
@Controller('concerns')
export class ConcernAccountabilityController {
  constructor(private readonly query: ConcernAccountabilityQuery) {}

  @Get(':concernId/accountability')
  @ApiAnswer(200, ConcernAccountabilityAnswer)
  @ApiOperation({
    summary:
      'One concern as the ledger holds it: as taken in, its acknowledgements and answers by `asOf`, its status, and its findings (due dates missed, the same concern about one version across organisations).',
    description:
      '`asOf` defaults to the recorded time of the last entry known (`knownAt`). Every item carries `evidence` and `inclusionProofs`, both clocks and, with `basis`, the entries the answer was computed from (docs/concerns.md, docs/findings.md).',
  })
  @ApiQuery({ name: 'asOf', required: false, type: String })
  @ApiQuery({ name: 'knownAt', required: false, type: String })
  @ApiQuery({ name: 'waitFor', required: false, type: String })
  get(
    @Param('concernId', new SchemaPipe(Id, 'path')) concernId: string,
    @Query(new SchemaPipe(AccountabilityParams, 'query')) query: Static<typeof AccountabilityParams>,
    @CurrentPrincipal() principal: Principal,
  ) {
    // Auditors read the concerns their organisation took in or must answer; any with the all-organisations grant.
    return this.query.forConcern(concernId, accountabilityRequest(query), (organisations) =>
      assertCanReadAny(principal, organisations, 'concern', concernId),
    );
  }
}
