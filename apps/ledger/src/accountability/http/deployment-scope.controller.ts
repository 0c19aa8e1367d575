import { Access, assertCanRead, CurrentPrincipal, type Principal } from '@aal/auth';
import { Id } from '@aal/contracts';
import { ApiAnswer, SchemaPipe, type AnswerOf } from '@aal/http';
import { DeploymentScopeAnswer } from './accountability.answers';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Type, type Static } from '@sinclair/typebox';
import { DeploymentScopeQuery } from '../application/deployment-scope.query';
import { AccountabilityParams, accountabilityRequest } from './accountability.controller';

/** As AccountabilityParams, `asOf` defaulting as a deployment's answer does. */
export const DeploymentScopeParams = Type.Object(
  {
    ...AccountabilityParams.properties,
    asOf: Type.Optional(
      Type.String({
        format: 'date-time',
        description:
          'What was approved and in force at this time (RFC 3339). Default: the recorded time of the last entry known (`knownAt`).',
      }),
    ),
  },
  { additionalProperties: false },
);

export const DEPLOYMENT_SCOPE_SUMMARY =
  "A deployment's request, approval (conditions, review date, who signed it), activation, the machine-readable scope in force at `asOf` (the approval's, or the last scope change in effect) with every scope change, its state and transitions, as the ledger knew them at `knownAt`.";

export const DEPLOYMENT_SCOPE_DESCRIPTION =
  'Every item carries `evidence` (the seqs of the entries that prove it) and `inclusionProofs`, both clocks and, when they apply, `recordedLateBySeconds` and `backDated`; `basis` names the entries the answer was computed from and the signed checkpoint that proves them, as for an output’s answer. The answer states its clocks: `asOf`, `asOfSource` (`known-at` | `requested`), `knownAt { seq, recordedAt, source }` (docs/oversight.md).';

/**
 * The approved scope of a deployment, for the same readers as its oversight: the employer's own
 * staff who approve or run it, and auditors (their own organisation's deployments, every one with
 * the all-organisations grant). Investigators read it through their cases:
 * GET /cases/{caseId}/deployments/{id}/scope.
 */
@ApiTags('oversight')
@Access('employer-admin', 'employer-approver', 'auditor')
@Controller('deployments')
export class DeploymentScopeController {
  constructor(private readonly query: DeploymentScopeQuery) {}

  @Get(':deploymentId/scope')
  @ApiAnswer(200, DeploymentScopeAnswer)
  @ApiOperation({ summary: DEPLOYMENT_SCOPE_SUMMARY, description: DEPLOYMENT_SCOPE_DESCRIPTION })
  @ApiQuery({ name: 'asOf', required: false, type: String })
  @ApiQuery({ name: 'knownAt', required: false, type: String })
  @ApiQuery({ name: 'waitFor', required: false, type: String })
  get(
    @Param('deploymentId', new SchemaPipe(Id, 'path')) deploymentId: string,
    @Query(new SchemaPipe(DeploymentScopeParams, 'query')) query: Static<typeof DeploymentScopeParams>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AnswerOf<typeof DeploymentScopeAnswer>> {
    return this.query.forDeployment(deploymentId, accountabilityRequest(query), (employer) =>
      assertCanRead(principal, employer, 'deployment', deploymentId),
    );
  }
}
