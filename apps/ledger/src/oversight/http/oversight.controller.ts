import { addDays } from '@aal/accountability';
import { Access, assertCanRead, CurrentPrincipal, type Principal } from '@aal/auth';
import { Id, RoleName, SiteName, type ValidationIssue } from '@aal/contracts';
import { ApiAnswer, RequestValidationError, SchemaPipe, type AnswerOf } from '@aal/http';
import { CLOCK, type Clock } from '@aal/service-kit';
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Type, type Static } from '@sinclair/typebox';
import { OversightQuery, type OversightRequest } from '../application/oversight.query';
import { OversightAnswer, OversightEntriesAnswer } from './oversight.answers';

const SEQ = '0|[1-9][0-9]{0,15}';

/** The longest period one question may cover, in days. */
export const OVERSIGHT_MAX_DAYS = 800;
/** Without `from`, the period is the 12 weeks up to `to`. */
const DEFAULT_DAYS = 84;

export const OversightParams = Type.Object(
  {
    from: Type.Optional(
      Type.String({ format: 'date', description: 'First UTC day (YYYY-MM-DD), included. Default: 83 days before `to`.' }),
    ),
    to: Type.Optional(
      Type.String({ format: 'date', description: 'Last UTC day (YYYY-MM-DD), included. Default: today (UTC), or the day of `asOf`.' }),
    ),
    bucket: Type.Optional(
      Type.Union([Type.Literal('day'), Type.Literal('week')], { description: 'UTC days or ISO weeks. Default: week.' }),
    ),
    site: Type.Optional(SiteName),
    role: Type.Optional(RoleName),
    asOf: Type.Optional(
      Type.String({ format: 'date-time', description: 'Count only what happened by then, against the policies in force then (RFC 3339).' }),
    ),
    knownAt: Type.Optional(
      Type.Union([Type.String({ pattern: `^(${SEQ})$` }), Type.String({ format: 'date-time' })], {
        description:
          'What the ledger knew: a sequence number (entries up to and including it) or an RFC 3339 time. Default: everything recorded so far.',
      }),
    ),
  },
  { additionalProperties: false },
);

/**
 * The question as the application reads it, with the defaults filled in; a period that ends before
 * it starts or is too long is refused with the pointer of the parameter to change.
 */
export function oversightRequest(query: Static<typeof OversightParams>, today: string): OversightRequest {
  const asOf = query.asOf === undefined ? undefined : new Date(Date.parse(query.asOf)).toISOString();
  const to = query.to ?? (asOf !== undefined ? asOf.slice(0, 10) : today);
  const from = query.from ?? addDays(to, -(DEFAULT_DAYS - 1));
  const issues: ValidationIssue[] = [];
  if (from > to) issues.push({ pointer: '/from', rule: 'range', message: `must not be after to (${to})` });
  else if ((Date.parse(to) - Date.parse(from)) / 86_400_000 + 1 > OVERSIGHT_MAX_DAYS)
    issues.push({
      pointer: '/to',
      rule: 'range',
      message: `must be at most ${OVERSIGHT_MAX_DAYS} days after from (${from}), both included`,
    });
  if (issues.length > 0) throw new RequestValidationError(issues, 'query');
  return {
    from,
    to,
    bucket: query.bucket ?? 'week',
    ...(query.site === undefined ? {} : { site: query.site }),
    ...(query.role === undefined ? {} : { role: query.role }),
    ...(asOf === undefined ? {} : { asOf }),
    ...(query.knownAt === undefined
      ? {}
      : {
          knownAt: new RegExp(`^(${SEQ})$`).test(query.knownAt)
            ? { seq: Number(query.knownAt) }
            : { time: new Date(Date.parse(query.knownAt)).toISOString() },
        }),
  };
}

const deploymentIdPipe = new SchemaPipe(Id, 'path');

/**
 * Time to check, per deployment, for the employer's own staff who approve or run it and for
 * auditors (their own organisation's deployments, every one with the all-organisations grant).
 * Investigators read it through their cases: GET /cases/{caseId}/deployments/{id}/oversight.
 */
@ApiTags('oversight')
@Access('employer-admin', 'employer-approver', 'auditor')
@Controller('deployments')
export class OversightController {
  constructor(
    private readonly query: OversightQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':deploymentId/oversight')
  @ApiAnswer(200, OversightAnswer)
  @ApiOperation({
    summary:
      'Per day or ISO week: outputs, active professionals, outputs acted on per professional, review time p50/p90 against the policy minimum, shares below the minimum, accepted unchanged and overridden, incidents; with deployment-level findings and their evidence (docs/oversight.md).',
  })
  @ApiQuery({ name: 'from', required: false, type: String })
  @ApiQuery({ name: 'to', required: false, type: String })
  @ApiQuery({ name: 'bucket', required: false, enum: ['day', 'week'] })
  @ApiQuery({ name: 'site', required: false, type: String })
  @ApiQuery({ name: 'role', required: false, type: String })
  @ApiQuery({ name: 'asOf', required: false, type: String })
  @ApiQuery({ name: 'knownAt', required: false, type: String })
  get(
    @Param('deploymentId', deploymentIdPipe) deploymentId: string,
    @Query(new SchemaPipe(OversightParams, 'query')) query: Static<typeof OversightParams>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.query.forDeployment(deploymentId, this.request(query), (employer) =>
      assertCanRead(principal, employer, 'deployment', deploymentId),
    );
  }

  @Get(':deploymentId/oversight/entries')
  @ApiAnswer(200, OversightEntriesAnswer)
  @ApiOperation({
    summary:
      'The seqs of the entries the same question counts (outputs, actions, incidents) and of the deployment policies and training compared against: the export behind a finding’s evidence.',
  })
  entries(
    @Param('deploymentId', deploymentIdPipe) deploymentId: string,
    @Query(new SchemaPipe(OversightParams, 'query')) query: Static<typeof OversightParams>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AnswerOf<typeof OversightEntriesAnswer>> {
    return this.query.entries(deploymentId, this.request(query), (employer) =>
      assertCanRead(principal, employer, 'deployment', deploymentId),
    );
  }

  private request(query: Static<typeof OversightParams>): OversightRequest {
    return oversightRequest(query, this.clock.now().toISOString().slice(0, 10));
  }
}
