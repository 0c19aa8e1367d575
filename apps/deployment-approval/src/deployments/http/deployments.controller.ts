import { Access, assertCanRead, CurrentPrincipal, readableOrganisation, type Principal } from '@aal/auth';
import type { WithoutTime } from '@aal/domain';
import { CurrentCaller, SchemaPipe, type Caller } from '@aal/http';
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
  ExpireDeploymentRequest,
  IdParam,
  IssueUsagePolicyRequest,
  ListQuery,
  ReinstateDeploymentRequest,
  RejectDeploymentRequest,
  RequestDeploymentRequest,
  RevokeDeploymentRequest,
  SuspendDeploymentRequest,
} from './deployment.requests';

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
  private async run(command: WithoutTime<DeploymentCommandInput>, occurredAt = this.now()) {
    await this.commands.execute(new ExecuteDeploymentCommand({ ...command, occurredAt }));
    return this.queries.get(command.deploymentId);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  @Post()
  @Access('employer-requester')
  @HttpCode(201)
  @ApiOperation({ summary: "Request to deploy a model version in a setting of the caller's organisation." })
  @ApiBody({ schema: RequestDeploymentRequest as object })
  request(@Body(new SchemaPipe(RequestDeploymentRequest)) body: Static<typeof RequestDeploymentRequest>, @CurrentCaller() caller: Caller) {
    return this.run({ kind: 'RequestDeployment', deploymentId: randomUUID(), ...body, actor: caller });
  }

  @Post(':deploymentId/approval')
  @Access('employer-approver')
  @HttpCode(201)
  @ApiOperation({ summary: 'Approve a requested deployment (not by its requester), with conditions and a review date.' })
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
  @ApiOperation({ summary: 'Put an approved deployment live at some of its approved sites.' })
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
  @ApiOperation({ summary: 'Reinstate a suspended deployment.' })
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
  @ApiOperation({ summary: 'Issue a usage policy for roles and sites of an approved deployment.' })
  @ApiBody({ schema: IssueUsagePolicyRequest as object })
  async issuePolicy(
    @Param('deploymentId', uuid) deploymentId: string,
    @Body(new SchemaPipe(IssueUsagePolicyRequest)) body: Static<typeof IssueUsagePolicyRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    const policyId = randomUUID();
    const deployment = await this.run({ kind: 'IssueUsagePolicy', deploymentId, policyId, ...body, actor: caller });
    return { policyId, ...deployment };
  }

  @Get()
  @Access('employer-requester', 'employer-approver', 'employer-admin', 'auditor')
  @ApiOperation({ summary: 'List deployments, optionally of one employer.' })
  list(@Query(new SchemaPipe(ListQuery, 'query')) query: Static<typeof ListQuery>, @CurrentPrincipal() principal: Principal) {
    return this.queries.list({
      employerId: readableOrganisation(principal, query.employerId),
      limit: Number(query.limit ?? 50),
      offset: Number(query.offset ?? 0),
    });
  }

  @Get(':deploymentId')
  @Access('employer-requester', 'employer-approver', 'employer-admin', 'auditor')
  @ApiOperation({ summary: 'A deployment with its approval, policies, transitions and full event history.' })
  async get(@Param('deploymentId', uuid) deploymentId: string, @CurrentPrincipal() principal: Principal) {
    const deployment = await this.queries.get(deploymentId);
    assertCanRead(principal, deployment.employerId, 'deployment', deploymentId);
    return deployment;
  }
}
