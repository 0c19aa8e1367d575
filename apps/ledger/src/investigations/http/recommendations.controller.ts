import { Access } from '@aal/auth';
import {
  Id,
  RecommendationAcceptedV1,
  RecommendationCompletedV1,
  RecommendationRecordedV1,
  RecommendationRejectedV1,
  Timestamp,
} from '@aal/contracts';
import { ApiAnswer, CurrentCaller, SchemaPipe, type Caller } from '@aal/http';
import { CLOCK, type Clock } from '@aal/service-kit';
import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Type, type Static } from '@sinclair/typebox';
import { RecommendationListAnswer, RecommendationRecordedAnswer, RecommendationResponseAnswer } from './case.answers';
import { CaseEvidenceQuery } from '../application/case-evidence.query';
import { CasesService, digestOf } from '../application/cases.service';
import { RecommendationsQuery } from '../application/recommendations.query';
import { RESPONDENT_ROLES, type RecommendationResponse } from '../domain/recommendation.rule';

const strict = { additionalProperties: false } as const;

export const RecordRecommendationRequest = Type.Pick(
  RecommendationRecordedV1.schema,
  ['addressee', 'recommendation', 'dueBy', 'arisesFrom'],
  strict,
);
/** A response names its kind and the one text that kind carries, as its event does. */
export const RespondRequest = Type.Union([
  Type.Object({ response: Type.Literal('accepted'), plan: RecommendationAcceptedV1.schema.properties.plan }, strict),
  Type.Object({ response: Type.Literal('completed'), reference: RecommendationCompletedV1.schema.properties.reference }, strict),
  Type.Object({ response: Type.Literal('rejected'), reasons: RecommendationRejectedV1.schema.properties.reasons }, strict),
]);
const RecommendationsParams = Type.Object({ asOf: Type.Optional(Timestamp) }, strict);

const idPipe = new SchemaPipe(Id, 'path');

/**
 * Safety recommendations on a case (docs/investigations.md): the case's investigators record them
 * and read them all (each read recorded in the case); the addressee organisation's responding roles
 * (RESPONDING_ROLES) respond and read those addressed to it. Who may do what beyond the role is the
 * case decider's and RecommendationsQuery's rule.
 */
@ApiTags('investigations')
@Controller('cases/:caseId/recommendations')
export class RecommendationsController {
  constructor(
    private readonly cases: CasesService,
    private readonly evidence: CaseEvidenceQuery,
    private readonly recommendations: RecommendationsQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @ApiAnswer(201, RecommendationRecordedAnswer)
  @HttpCode(201)
  @Access('investigator')
  @ApiOperation({
    summary:
      'Record a safety recommendation on an open case, addressed to an organisation (vendor, employer, professional body or regulator), due by `dueBy` (after now), optionally naming the finding codes and the version or deployment it arises from. Recorded as recommendation.recorded.',
  })
  @ApiBody({ schema: RecordRecommendationRequest as object })
  async record(
    @Param('caseId', idPipe) caseId: string,
    @Body(new SchemaPipe(RecordRecommendationRequest)) body: Static<typeof RecordRecommendationRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    const { recommendationId } = await this.cases.recommend(caseId, body, caller);
    return { caseId, recommendationId, addressee: body.addressee, dueBy: body.dueBy, status: 'recorded' };
  }

  @Post(':recommendationId/responses')
  @ApiAnswer(200, RecommendationResponseAnswer)
  @HttpCode(200)
  @Access(...RESPONDENT_ROLES)
  @ApiOperation({
    summary:
      "The addressee's response: `accepted` with a plan, `completed` with a reference to the evidence, or `rejected` with reasons. Only the addressee organisation, in a role that responds for the capacity it is addressed in; nothing after completion or rejection. A closed case still takes responses.",
  })
  @ApiBody({ schema: RespondRequest as object })
  async respond(
    @Param('caseId', idPipe) caseId: string,
    @Param('recommendationId', idPipe) recommendationId: string,
    @Body(new SchemaPipe(RespondRequest)) body: Static<typeof RespondRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    const state = await this.cases.respond(caseId, recommendationId, responseOf(body), caller);
    const status = state.recommendations?.find((r) => r.recommendationId === recommendationId)?.status;
    return { caseId, recommendationId, status };
  }

  @Get()
  @ApiAnswer(200, RecommendationListAnswer)
  @Header('content-type', 'application/json; charset=utf-8')
  @Access('investigator', ...RESPONDENT_ROLES)
  @ApiOperation({
    summary:
      "The case's recommendations as they stood at `asOf` (default now): each as recorded, its responses and status, and the findings RECOMMENDATION.OVERDUE and PATTERN.RECURRING_FINDING, from the ledger's entries. Investigators of the case see all (the read is recorded); an addressee sees those addressed to it.",
  })
  async list(
    @Param('caseId', idPipe) caseId: string,
    @Query(new SchemaPipe(RecommendationsParams, 'query')) query: Static<typeof RecommendationsParams>,
    @CurrentCaller() caller: Caller,
  ) {
    const state = await this.cases.find(caseId);
    const reader = this.recommendations.readerOf(state, caller);
    const asOf = new Date(query.asOf ?? this.clock.now()).toISOString();
    const logSize = await this.evidence.logSize();
    const body = JSON.stringify({ ...(await this.recommendations.answer(caseId, reader, asOf)), logSize });
    if (reader.as === 'investigator')
      await this.cases.recordRead(caseId, caller, { view: 'recommendations', logSize, contentDigest: digestOf(body) });
    return body;
  }
}

function responseOf(body: Static<typeof RespondRequest>): RecommendationResponse {
  switch (body.response) {
    case 'accepted':
      return { kind: 'accepted', plan: body.plan };
    case 'completed':
      return { kind: 'completed', reference: body.reference };
    case 'rejected':
      return { kind: 'rejected', reasons: body.reasons };
  }
}
