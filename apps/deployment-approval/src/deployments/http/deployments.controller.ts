import { Access, assertCanRead, CurrentPrincipal, readableOrganisation, type Principal } from '@aal/auth';
import type { WithoutTime } from '@aal/domain';
import { ApiAnswer, CurrentCaller, SchemaPipe, type Caller } from '@aal/http';
import { CLOCK, type Clock } from '@aal/service-kit';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import { DeploymentQueries } from '../application/deployment.queries';
import { ExecuteDeploymentCommand } from '../application/execute-deployment-command.handler';
import type { DeploymentCommandInput } from '../domain/deployment.types';
import {
  ActivateDeploymentRequest,
  ApproveDeploymentRequest,
  ChangeDeploymentScopeRequest,
  ExpireDeploymentRequest,
  IdParam,
  IssueUsagePolicyRequest,
  ListQuery,
  ReinstateDeploymentRequest,
  RejectDeploymentRequest,
  RequestDeploymentRequest,
  ReviewDeploymentRequest,
  RevokeDeploymentRequest,
  SuspendDeploymentRequest,
} from './deployment.requests';
import { DeploymentAnswer, DeploymentListAnswer, UsagePolicyAnswer } from './deployment.answers';

const uuid = new SchemaPipe(IdParam, 'path');

@ApiTags('deployments')
@Controller('deployments')
export class DeploymentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: DeploymentQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Stamps the command with the request time, runs it and answers with the deployment as it now is. */
  private async run(command: WithoutTime<DeploymentCommandInput>, occurredAt = this.now()): Promise<DeploymentAnswer> {
    await this.commands.execute(new ExecuteDeploymentCommand({ ...command, occurredAt }));
    return this.queries.get(command.deploymentId);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  @Post()
  @Access('employer-requester')
  @HttpCode(201)
  @ApiAnswer(201, DeploymentAnswer)
  @ApiOperation({ summary: "Request to deploy a model version in a setting of the caller's organisation." })
  @ApiBody({ schema: RequestDeploymentRequest as object })
  request(@Body(new SchemaPipe(RequestDeploymentRequest)) body: Static<typeof RequestDeploymentRequest>, @CurrentCaller() caller: Caller) {
    return this.run({ kind: 'RequestDeployment', deploymentId: randomUUID(), ...body, actor: caller });
  }

  @Post(':deploymentId/approval')
  @Access('employer-approver')
  @HttpCode(201)
  @ApiAnswer(201, DeploymentAnswer)
  @ApiOperation({
    summary:
      "Approve a requested deployment (not by its requester), with conditions, a review date and the approved scope: sites, services and roles among those requested, a population within the version's intended one that excludes its coded contraindications, and the uses allowed. 422 DEPLOYMENT.SCOPE_INVALID names each part beyond that, with JSON Pointers into /scope.",
  })
  @ApiBody({ schema: ApproveDeploymentRequest as object })
  approve(
    @Param('deploymentId', uuid) deploymentId: string,
    @Body(new SchemaPipe(ApproveDeploymentRequest)) body: Static<typeof ApproveDeploymentRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    return this.run({ kind: 'ApproveDeployment', deploymentId, ...body, actor: caller });
  }

  @Post(':deploymentId/rejection')
  @Access('employer-approver')
  @HttpCode(201)
  @ApiAnswer(201, DeploymentAnswer)
  @ApiOperation({ summary: 'Reject a requested deployment (not by its requester).' })
  @ApiBody({ schema: RejectDeploymentRequest as object })
  reject(
    @Param('deploymentId', uuid) deploymentId: string,
    @Body(new SchemaPipe(RejectDeploymentRequest)) body: Static<typeof RejectDeploymentRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    return this.run({ kind: 'RejectDeployment', deploymentId, ...body, actor: caller });
  }

  @Post(':deploymentId/activation')
  @Access('employer-admin')
  @HttpCode(201)
  @ApiAnswer(201, DeploymentAnswer)
  @ApiOperation({
    summary:
      'Put an approved deployment live at some of its approved sites. 422 DEPLOYMENT.OUTSIDE_APPROVED_SCOPE when a site is outside the approved scope (/sites/i) or effectiveAt is on or after the review date (/effectiveAt).',
  })
  @ApiBody({ schema: ActivateDeploymentRequest as object })
  activate(
    @Param('deploymentId', uuid) deploymentId: string,
    @Body(new SchemaPipe(ActivateDeploymentRequest)) body: Static<typeof ActivateDeploymentRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    const at = this.now();
    return this.run(
      { kind: 'ActivateDeployment', deploymentId, sites: body.sites, effectiveAt: body.effectiveAt ?? at, actor: caller },
      at,
    );
  }

  @Post(':deploymentId/suspension')
  @Access('employer-admin', 'employer-approver')
  @HttpCode(201)
  @ApiAnswer(201, DeploymentAnswer)
  @ApiOperation({ summary: 'Suspend an active deployment.' })
  @ApiBody({ schema: SuspendDeploymentRequest as object })
  suspend(
    @Param('deploymentId', uuid) deploymentId: string,
    @Body(new SchemaPipe(SuspendDeploymentRequest)) body: Static<typeof SuspendDeploymentRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    const at = this.now();
    return this.run(
      { kind: 'SuspendDeployment', deploymentId, reason: body.reason, effectiveAt: body.effectiveAt ?? at, actor: caller },
      at,
    );
  }

  @Post(':deploymentId/reinstatement')
  @Access('employer-admin', 'employer-approver')
  @HttpCode(201)
  @ApiAnswer(201, DeploymentAnswer)
  @ApiOperation({
    summary:
      'Reinstate a suspended deployment at the sites it was active at. 422 DEPLOYMENT.OUTSIDE_APPROVED_SCOPE when one of them has left the approved scope since, or effectiveAt is on or after the review date.',
  })
  @ApiBody({ schema: ReinstateDeploymentRequest as object })
  reinstate(
    @Param('deploymentId', uuid) deploymentId: string,
    @Body(new SchemaPipe(ReinstateDeploymentRequest)) body: Static<typeof ReinstateDeploymentRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    const at = this.now();
    return this.run(
      { kind: 'ReinstateDeployment', deploymentId, reason: body.reason, effectiveAt: body.effectiveAt ?? at, actor: caller },
      at,
    );
  }

  @Post(':deploymentId/revocation')
  @Access('employer-admin', 'employer-approver')
  @HttpCode(201)
  @ApiAnswer(201, DeploymentAnswer)
  @ApiOperation({ summary: 'Revoke an approved, active or suspended deployment for good.' })
  @ApiBody({ schema: RevokeDeploymentRequest as object })
  revoke(
    @Param('deploymentId', uuid) deploymentId: string,
    @Body(new SchemaPipe(RevokeDeploymentRequest)) body: Static<typeof RevokeDeploymentRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    const at = this.now();
    return this.run(
      { kind: 'RevokeDeployment', deploymentId, reason: body.reason, effectiveAt: body.effectiveAt ?? at, actor: caller },
      at,
    );
  }

  @Post(':deploymentId/expiry')
  @Access('employer-admin')
  @HttpCode(201)
  @ApiAnswer(201, DeploymentAnswer)
  @ApiOperation({ summary: 'Record that the approval lapsed: allowed on or after its review date.' })
  @ApiBody({ schema: ExpireDeploymentRequest as object })
  expire(
    @Param('deploymentId', uuid) deploymentId: string,
    @Body(new SchemaPipe(ExpireDeploymentRequest)) _body: Static<typeof ExpireDeploymentRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    return this.run({ kind: 'ExpireDeployment', deploymentId, actor: caller });
  }

  @Post(':deploymentId/usage-policies')
  @Access('employer-admin')
  @HttpCode(201)
  @ApiAnswer(201, UsagePolicyAnswer)
  @ApiOperation({
    summary:
      'Issue a usage policy for roles and sites of an approved deployment. 422 DEPLOYMENT.OUTSIDE_APPROVED_SCOPE names each part outside the approved scope: sites (/sites/i), roles (/roles/i), a use not approved (/use), a start on or after the review date (/effectiveFrom).',
  })
  @ApiBody({ schema: IssueUsagePolicyRequest as object })
  async issuePolicy(
    @Param('deploymentId', uuid) deploymentId: string,
    @Body(new SchemaPipe(IssueUsagePolicyRequest)) body: Static<typeof IssueUsagePolicyRequest>,
    @CurrentCaller() caller: Caller,
  ): Promise<UsagePolicyAnswer> {
    const policyId = randomUUID();
    const deployment = await this.run({ kind: 'IssueUsagePolicy', deploymentId, policyId, ...body, actor: caller });
    return { policyId, ...deployment };
  }

  @Post(':deploymentId/scope-changes')
  @Access('employer-approver')
  @HttpCode(201)
  @ApiAnswer(201, DeploymentAnswer)
  @ApiOperation({
    summary:
      "Change the approved scope (clinical safety officer): the new scope and review date, why, and from when (effectiveAt, default now). Same rules as the approval's scope; 422 DEPLOYMENT.REVIEW_DATE_TOO_EARLY when the review date is not after the day it takes effect.",
  })
  @ApiBody({ schema: ChangeDeploymentScopeRequest as object })
  changeScope(
    @Param('deploymentId', uuid) deploymentId: string,
    @Body(new SchemaPipe(ChangeDeploymentScopeRequest)) body: Static<typeof ChangeDeploymentScopeRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    const at = this.now();
    const { effectiveAt, ...change } = body;
    return this.run({ kind: 'ChangeDeploymentScope', deploymentId, ...change, effectiveAt: effectiveAt ?? at, actor: caller }, at);
  }

  @Post(':deploymentId/reviews')
  @Access('employer-approver')
  @HttpCode(201)
  @ApiAnswer(201, DeploymentAnswer)
  @ApiOperation({
    summary:
      'Record a renewed review of an approved deployment (clinical safety officer) and the next review date, which the approval then holds until.',
  })
  @ApiBody({ schema: ReviewDeploymentRequest as object })
  review(
    @Param('deploymentId', uuid) deploymentId: string,
    @Body(new SchemaPipe(ReviewDeploymentRequest)) body: Static<typeof ReviewDeploymentRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    const at = this.now();
    const { effectiveAt, ...review } = body;
    return this.run({ kind: 'ReviewDeployment', deploymentId, ...review, effectiveAt: effectiveAt ?? at, actor: caller }, at);
  }

  @Get()
  @Access('employer-requester', 'employer-approver', 'employer-admin', 'auditor')
  @ApiOperation({ summary: 'List deployments, optionally of one employer.' })
  @ApiAnswer(200, DeploymentListAnswer)
  list(
    @Query(new SchemaPipe(ListQuery, 'query')) query: Static<typeof ListQuery>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<DeploymentListAnswer> {
    return this.queries.list({
      employerId: readableOrganisation(principal, query.employerId),
      limit: Number(query.limit ?? 50),
      offset: Number(query.offset ?? 0),
    });
  }

  @Get(':deploymentId')
  @Access('employer-requester', 'employer-approver', 'employer-admin', 'auditor')
  @ApiOperation({ summary: 'A deployment with its approval, policies, transitions and full event history.' })
  @ApiAnswer(200, DeploymentAnswer)
  async get(@Param('deploymentId', uuid) deploymentId: string, @CurrentPrincipal() principal: Principal): Promise<DeploymentAnswer> {
    const deployment = await this.queries.get(deploymentId);
    assertCanRead(principal, deployment.employerId, 'deployment', deploymentId);
    return deployment;
  }
}
