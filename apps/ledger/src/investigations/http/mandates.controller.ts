import { Access } from '@aal/auth';
import { Id, MandateGrantedV1, MandateRevokedV1, OrganisationId } from '@aal/contracts';
import { ApiAnswer, CurrentCaller, SchemaPipe, type Caller } from '@aal/http';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Type, type Static } from '@sinclair/typebox';
import { MandatesService } from '../application/mandates.service';
import { MandateAnswer, MandateListAnswer } from './mandate.answers';

const strict = { additionalProperties: false } as const;
const granted = MandateGrantedV1.schema.properties;

export const GrantMandateRequest = Type.Object(
  {
    kind: granted.kind,
    investigatingOrganisationId: granted.investigatingOrganisationId,
    scope: granted.scope,
    organisationId: Type.Optional(
      Type.Unsafe<string>({
        ...OrganisationId,
        description:
          'Whose records: required for an organisation-wide regulator mandate; otherwise the ledger takes it from the records named.',
      }),
    ),
    reference: granted.reference,
    until: granted.until,
  },
  strict,
);
export const RevokeMandateRequest = Type.Pick(MandateRevokedV1.schema, ['reason'], strict);
const ListQuery = Type.Object(
  {
    limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]{0,2}|1000)$' })),
    offset: Type.Optional(Type.String({ pattern: '^(0|[1-9][0-9]{0,8})$' })),
  },
  strict,
);

/**
 * Mandates (issue #11): the recorded authority under which an investigating organisation opens
 * cases on another organisation's records. The routes admit every role that can give one; the
 * mandate decider decides which kind each may give, and over whose records.
 */
@ApiTags('investigations')
@Controller('mandates')
export class MandatesController {
  constructor(private readonly mandates: MandatesService) {}

  @Post()
  @HttpCode(201)
  @ApiAnswer(201, MandateAnswer)
  @Access('employer-approver', 'employer-admin', 'data-controller', 'regulator')
  @ApiOperation({
    summary:
      "Give an investigating organisation a mandate: an `incident-referral` of the caller's organisation's incident (clinical safety officer, admin or data controller), a `data-controller-grant` over its incident or outputs (data controller), or a `regulator-mandate` over any organisation's incident, outputs or all records (regulator). Recorded in the ledger.",
  })
  @ApiBody({ schema: GrantMandateRequest as object })
  async grant(@Body(new SchemaPipe(GrantMandateRequest)) body: Static<typeof GrantMandateRequest>, @CurrentCaller() caller: Caller) {
    return this.mandates.grant(body, caller);
  }

  @Post(':mandateId/revoke')
  @HttpCode(200)
  @ApiAnswer(200, MandateAnswer)
  @Access('employer-approver', 'employer-admin', 'data-controller', 'regulator')
  @ApiOperation({
    summary:
      "Revoke a mandate the caller's organisation granted: no new case can be opened under it; open cases stay readable. Recorded in the ledger.",
  })
  @ApiBody({ schema: RevokeMandateRequest as object })
  async revoke(
    @Param('mandateId', new SchemaPipe(Id, 'path')) mandateId: string,
    @Body(new SchemaPipe(RevokeMandateRequest)) body: Static<typeof RevokeMandateRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    return this.mandates.revoke(mandateId, body.reason, caller);
  }

  @Get()
  @ApiAnswer(200, MandateListAnswer)
  @Access('investigator', 'employer-approver', 'employer-admin', 'data-controller', 'regulator')
  @ApiOperation({
    summary: "Mandates the caller's organisation granted, was given, or that cover its records, oldest first (`limit` ≤ 1000, `offset`).",
  })
  async list(@Query(new SchemaPipe(ListQuery, 'query')) query: Static<typeof ListQuery>, @CurrentCaller() caller: Caller) {
    const limit = Number(query.limit ?? 100);
    return { mandates: await this.mandates.list(caller, { limit, offset: Number(query.offset ?? 0) }) };
  }
}
