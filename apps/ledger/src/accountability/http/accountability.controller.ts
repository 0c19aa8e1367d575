import { Access, assertCanRead, CurrentPrincipal, type Principal } from '@aal/auth';
import { OutputId } from '@aal/contracts';
import { ApiAnswer, SchemaPipe, type AnswerOf } from '@aal/http';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Type, type Static } from '@sinclair/typebox';
import { OversightQuery } from '../../oversight/application/oversight.query';
import { AccountabilityQuery, PROJECTION_WAIT_LIMIT_MS, type AccountabilityRequest } from '../application/accountability.query';
import { AccountabilityAnswer } from './accountability.answers';

const SEQ = '0|[1-9][0-9]{0,15}';

export const AccountabilityParams = Type.Object(
  {
    asOf: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'What was in force at this time (RFC 3339). Default: when the output was generated.',
      }),
    ),
    knownAt: Type.Optional(
      Type.Union([Type.String({ pattern: `^(${SEQ})$` }), Type.String({ format: 'date-time' })], {
        description:
          'What the ledger knew: a sequence number (entries up to and including it) or an RFC 3339 time (entries recorded by then). Default: everything recorded so far.',
      }),
    ),
    waitFor: Type.Optional(
      Type.String({
        pattern: `^(${SEQ})$`,
        description: `Wait up to ${PROJECTION_WAIT_LIMIT_MS / 1000} s until entry waitFor is projected; else 503 with Retry-After.`,
      }),
    ),
  },
  { additionalProperties: false },
);

/** The query string as the application reads it. */
export function accountabilityRequest(query: Static<typeof AccountabilityParams>): AccountabilityRequest {
  return {
    ...(query.asOf !== undefined ? { asOf: query.asOf } : {}),
    ...(query.knownAt !== undefined
      ? { knownAt: new RegExp(`^(${SEQ})$`).test(query.knownAt) ? { seq: Number(query.knownAt) } : { time: query.knownAt } }
      : {}),
    ...(query.waitFor !== undefined ? { waitFor: Number(query.waitFor) } : {}),
  };
}

@ApiTags('accountability')
@Access('auditor')
@Controller('outputs')
export class AccountabilityController {
  constructor(
    private readonly query: AccountabilityQuery,
    private readonly oversight: OversightQuery,
  ) {}

  @Get(':outputId/accountability')
  @ApiAnswer(200, AccountabilityAnswer)
  @ApiOperation({
    summary:
      'Who built, approved, deployed, instructed and acted on one AI output, as in force at `asOf` and as the ledger knew it at `knownAt`, with findings.',
    description:
      'Every item carries `evidence` (the ledger sequence numbers of the entries that prove it) and `inclusionProofs` (for each, the path of its inclusion proof in the tree of size `knownAt.seq + 1`), ' +
      'both clocks (`happenedAt`, `recordedAt`) and, when they apply, `recordedLateBySeconds` and `backDated`. `findings` lists derived facts (docs/findings.md). ' +
      'The answer states the clocks it used: `asOf`, `asOfSource`, `knownAt { seq, recordedAt, source }`.',
  })
  @ApiQuery({ name: 'asOf', required: false, type: String })
  @ApiQuery({ name: 'knownAt', required: false, type: String })
  @ApiQuery({ name: 'waitFor', required: false, type: String })
  async get(
    @Param('outputId', new SchemaPipe(OutputId, 'path')) outputId: string,
    @Query(new SchemaPipe(AccountabilityParams, 'query')) query: Static<typeof AccountabilityParams>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AnswerOf<typeof AccountabilityAnswer>> {
    // Auditors read their own organisation's outputs, any with the all-organisations grant;
    // investigators read chains through their cases (GET /cases/{id}/outputs/{outputId}/accountability), where each read is recorded.
    const { answer, facts } = await this.query.forOutputWithFacts(outputId, accountabilityRequest(query), (owner) =>
      assertCanRead(principal, owner, 'output', outputId),
    );
    // Beside the proven answer, never inside it: the verifier recomputes `answer` alone (docs/oversight.md).
    return { ...answer, oversightContext: await this.oversight.contextForOutput(answer, facts) };
  }
}
