import { Access } from '@aal/auth';
import { CaseAccessGrantedV1, CaseClosedV1, CaseHoldLiftedV1, CaseHoldPlacedV1, CaseOpenedV2, Id } from '@aal/contracts';
import { ApiAnswer, CurrentCaller, SchemaPipe, type AnswerOf, type Caller } from '@aal/http';
import { CLOCK, type Clock } from '@aal/service-kit';
import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Type, type Static } from '@sinclair/typebox';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { caseView, CaseEvidenceQuery } from '../application/case-evidence.query';
import { CaseRelatedQuery } from '../application/case-related.query';
import { CasesService, digestOf } from '../application/cases.service';
import { AccountabilityParams, accountabilityRequest } from '../../accountability/http/accountability.controller';
import { CaseAccountabilityAnswer, CaseAnswer, CaseBundleAnswer, CaseReportHtml, ReplayLines, TimelineAnswer } from './case.answers';
import { DeploymentScopeAnswer, IncidentClockAnswer } from '../../accountability/http/accountability.answers';
import { OversightAnswer, OversightEntriesAnswer } from '../../oversight/http/oversight.answers';
import { caseErrors } from '../domain/case.errors';
import { AccountabilityReader } from '../infrastructure/accountability.reader';
import { OutputId } from '@aal/contracts';
import { OversightQuery, type OversightRequest } from '../../oversight/application/oversight.query';
import { DeploymentScopeQuery } from '../../accountability/application/deployment-scope.query';
import { IncidentClockQuery } from '../../accountability/application/incident-clock.query';
import {
  DEPLOYMENT_SCOPE_DESCRIPTION,
  DEPLOYMENT_SCOPE_SUMMARY,
  DeploymentScopeParams,
} from '../../accountability/http/deployment-scope.controller';
import { OversightParams, oversightRequest } from '../../oversight/http/oversight.controller';
import { oversightErrors } from '../../oversight/domain/oversight.errors';

const strict = { additionalProperties: false } as const;
const Position = Type.String({ pattern: '^(0|[1-9][0-9]{0,15})$', description: 'Ledger sequence number (0-based).' });

export const OpenCaseRequest = Type.Pick(CaseOpenedV2.schema, ['title', 'incidentId', 'outputIds'], strict);
export const GrantAccessRequest = CaseAccessGrantedV1.schema.properties.grantee;
export const CloseCaseRequest = Type.Pick(CaseClosedV1.schema, ['reason'], strict);
export const PlaceHoldRequest = Type.Pick(CaseHoldPlacedV1.schema, ['reason'], strict);
export const LiftHoldRequest = Type.Pick(CaseHoldLiftedV1.schema, ['reason'], strict);
const TimelineQuery = Type.Object({ knownAt: Type.Optional(Position) }, strict);
const ReplayQuery = Type.Object({ from: Type.Optional(Position), to: Type.Optional(Position) }, strict);

const caseIdPipe = new SchemaPipe(Id, 'path');
const json = (value: unknown) => JSON.stringify(value);

/**
 * Investigations: cases, and every read of them recorded in the ledger before it is answered.
 * Routes admit the investigator role; the case's own rules (opened only on its organisation's
 * records or under a mandate; read only by its investigators) are the case decider's. JSON answers are serialised here so the digest recorded with the read is the digest
 * of the bytes sent.
 */
@ApiTags('investigations')
@Access('investigator')
@Controller('cases')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly evidence: CaseEvidenceQuery,
    private readonly relatedEntries: CaseRelatedQuery,
    private readonly accountability: AccountabilityReader,
    private readonly oversight: OversightQuery,
    private readonly scope: DeploymentScopeQuery,
    private readonly incidentClock: IncidentClockQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @ApiAnswer(201, CaseAnswer)
  @HttpCode(201)
  @ApiOperation({
    summary:
      "Open a case about an incident (`incidentId`) or a set of outputs (`outputIds`), against the latest signed checkpoint. Every record it covers must be the investigator's own organisation's or under a mandate in force given to it (see /mandates); otherwise 403 `CASE.NO_MANDATE` naming each record without one. The basis is recorded in case.opened.",
  })
  @ApiBody({ schema: OpenCaseRequest as object })
  async open(@Body(new SchemaPipe(OpenCaseRequest)) body: Static<typeof OpenCaseRequest>, @CurrentCaller() caller: Caller) {
    return caseView(await this.cases.open(body, caller));
  }

  @Get(':caseId')
  @ApiAnswer(200, CaseAnswer)
  @Header('content-type', 'application/json; charset=utf-8')
  @ApiOperation({ summary: 'The case: who opened it, when, against which checkpoint, and its investigators. The read is recorded.' })
  async get(@Param('caseId', caseIdPipe) caseId: string, @CurrentCaller() caller: Caller) {
    const state = await this.cases.authorise(caseId, caller, 'case');
    const body = json(caseView(state));
    await this.cases.recordRead(caseId, caller, { view: 'case', logSize: await this.evidence.logSize(), contentDigest: digestOf(body) });
    return body;
  }

  @Post(':caseId/investigators')
  @ApiAnswer(200, CaseAnswer)
  @HttpCode(200)
  @ApiOperation({ summary: 'Make another person (organisation and pseudonym) an investigator of the case; only its investigators may.' })
  @ApiBody({ schema: GrantAccessRequest as object })
  async grant(
    @Param('caseId', caseIdPipe) caseId: string,
    @Body(new SchemaPipe(GrantAccessRequest)) body: Static<typeof GrantAccessRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    return caseView(await this.cases.grant(caseId, body, caller));
  }

  @Post(':caseId/close')
  @ApiAnswer(200, CaseAnswer)
  @HttpCode(200)
  @ApiOperation({ summary: 'Close the case: it stays readable (reads are still recorded); no one can be added.' })
  @ApiBody({ schema: CloseCaseRequest as object })
  async close(
    @Param('caseId', caseIdPipe) caseId: string,
    @Body(new SchemaPipe(CloseCaseRequest)) body: Static<typeof CloseCaseRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    return caseView(await this.cases.close(caseId, body.reason, caller));
  }

  @Post(':caseId/hold')
  @ApiAnswer(200, CaseAnswer)
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Place a legal hold on the case (an evidence freeze, recorded as case.hold-placed): retention jobs then keep every row the case's entries, outputs and reads rest on. Any investigator of the case may; 409 `CASE.HOLD_IN_FORCE` while one is.",
  })
  @ApiBody({ schema: PlaceHoldRequest as object })
  async placeHold(
    @Param('caseId', caseIdPipe) caseId: string,
    @Body(new SchemaPipe(PlaceHoldRequest)) body: Static<typeof PlaceHoldRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    return caseView(await this.cases.placeHold(caseId, body.reason, caller));
  }

  @Post(':caseId/hold/lift')
  @ApiAnswer(200, CaseAnswer)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Lift the legal hold, with a reason (recorded as case.hold-lifted). Only an investigator of the case from the organisation that placed it may (403 `CASE.HOLD_NOT_THEIRS`); 409 `CASE.NO_HOLD` when none is in force.',
  })
  @ApiBody({ schema: LiftHoldRequest as object })
  async liftHold(
    @Param('caseId', caseIdPipe) caseId: string,
    @Body(new SchemaPipe(LiftHoldRequest)) body: Static<typeof LiftHoldRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    return caseView(await this.cases.liftHold(caseId, body.reason, caller));
  }

  @Get(':caseId/timeline')
  @ApiAnswer(200, TimelineAnswer)
  @Header('content-type', 'application/json; charset=utf-8')
  @ApiOperation({
    summary:
      'Every entry related to the case in ledger order (seq, both clocks, type, source, party, summary); `knownAt` limits it to what the ledger knew at that seq. The read is recorded.',
  })
  async timeline(
    @Param('caseId', caseIdPipe) caseId: string,
    @Query(new SchemaPipe(TimelineQuery, 'query')) query: Static<typeof TimelineQuery>,
    @CurrentCaller() caller: Caller,
  ) {
    const state = await this.cases.authorise(caseId, caller, 'timeline');
    const knownAt = query.knownAt === undefined ? undefined : Number(query.knownAt);
    const logSize = await this.evidence.logSize();
    const body = json({ ...(await this.evidence.timeline(state, knownAt)), logSize });
    await this.cases.recordRead(caseId, caller, {
      view: 'timeline',
      positions: knownAt === undefined ? {} : { knownAt },
      logSize,
      contentDigest: digestOf(body),
    });
    return body;
  }

  @Get(':caseId/replay')
  @ApiAnswer(200, ReplayLines, ReplayLines.description, 'application/x-ndjson')
  @ApiOperation({
    summary:
      'Streaming replay (NDJSON, one entry per line, ledger order) of every entry related to the case with seq in [from, to]; `to` defaults to the end of the log as the request arrives, so it replays the case as of any position. The read is recorded before the first byte.',
  })
  async replay(
    @Param('caseId', caseIdPipe) caseId: string,
    @Query(new SchemaPipe(ReplayQuery, 'query')) query: Static<typeof ReplayQuery>,
    @CurrentCaller() caller: Caller,
  ) {
    const state = await this.cases.authorise(caseId, caller, 'replay');
    const logSize = await this.evidence.logSize();
    const from = Number(query.from ?? 0);
    const to = query.to === undefined ? logSize - 1 : Number(query.to);
    if (from > to && !(query.to === undefined && logSize === 0)) throw caseErrors.badRange(from, to);
    const seqs = (await this.relatedEntries.related(state, to)).seqs.filter((s) => s >= from);
    await this.cases.recordRead(caseId, caller, { view: 'replay', positions: { from, to }, logSize });
    return new StreamableFile(Readable.from(this.evidence.replay(seqs), { objectMode: false }), {
      type: 'application/x-ndjson; charset=utf-8',
    });
  }

  @Get(':caseId/export')
  @ApiAnswer(200, CaseBundleAnswer)
  @ApiOperation({
    summary:
      'The case as one file (`aal-case-export/v2`, ASCII JSON): its related entries, an inclusion proof of each against one signed checkpoint, the checkpoint, the verifier key, the chain (values the answers share written once, in `shared`), the findings and the HTML report. Check it offline with `ledger-verify --bundle`. The read is recorded with the digest of the file.',
  })
  async export(@Param('caseId', caseIdPipe) caseId: string, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) res: Response) {
    const state = await this.cases.authorise(caseId, caller, 'export');
    const logSize = await this.evidence.logSize();
    // ASCII JSON: the same value, in bytes a verifier decodes and parses several times faster.
    const body = (await this.evidence.bundle(state, this.clock.now().toISOString())).json;
    await this.cases.recordRead(caseId, caller, { view: 'export', logSize, contentDigest: digestOf(body) });
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="case-${caseId}.json"`);
    return body;
  }

  @Get(':caseId/outputs/:outputId/accountability')
  @ApiAnswer(200, CaseAccountabilityAnswer)
  @Header('content-type', 'application/json; charset=utf-8')
  @ApiOperation({
    summary:
      "The accountability chain and findings of one of the case's outputs, with the same `asOf` / `knownAt` / `waitFor` as the auditor route. How investigators read a chain: the read is recorded in the case.",
  })
  async outputAccountability(
    @Param('caseId', caseIdPipe) caseId: string,
    @Param('outputId', new SchemaPipe(OutputId, 'path')) outputId: string,
    @Query(new SchemaPipe(AccountabilityParams, 'query')) query: Static<typeof AccountabilityParams>,
    @CurrentCaller() caller: Caller,
  ) {
    const state = await this.cases.authorise(caseId, caller, 'accountability');
    const logSize = await this.evidence.logSize();
    const { outputIds } = await this.relatedEntries.related(state);
    if (!outputIds.includes(outputId)) throw caseErrors.outputNotInCase(caseId, outputId);
    const { answer, facts } = await this.accountability.answer(outputId, accountabilityRequest(query));
    // The week's oversight figures beside the proven answer, never inside it (docs/oversight.md).
    const served: AnswerOf<typeof CaseAccountabilityAnswer> = {
      ...answer,
      oversightContext: await this.oversight.contextForOutput(answer, facts),
    };
    const body = json(served);
    await this.cases.recordRead(caseId, caller, { view: 'accountability', outputId, logSize, contentDigest: digestOf(body) });
    return body;
  }

  @Get(':caseId/deployments/:deploymentId/oversight')
  @ApiAnswer(200, OversightAnswer)
  @Header('content-type', 'application/json; charset=utf-8')
  @ApiOperation({
    summary:
      "Time to check for a deployment that produced one of the case's outputs, with the same parameters and answer as GET /deployments/{id}/oversight; only while the case is open. How investigators read it: the read is recorded in the case.",
  })
  async deploymentOversight(
    @Param('caseId', caseIdPipe) caseId: string,
    @Param('deploymentId', new SchemaPipe(Id, 'path')) deploymentId: string,
    @Query(new SchemaPipe(OversightParams, 'query')) query: Static<typeof OversightParams>,
    @CurrentCaller() caller: Caller,
  ) {
    return this.readOversight(caseId, deploymentId, query, caller, (request) => this.oversight.forDeployment(deploymentId, request));
  }

  @Get(':caseId/deployments/:deploymentId/oversight/entries')
  @ApiAnswer(200, OversightEntriesAnswer)
  @Header('content-type', 'application/json; charset=utf-8')
  @ApiOperation({
    summary:
      "The seqs of the entries the case's oversight question counts, as GET /deployments/{id}/oversight/entries; the read is recorded in the case.",
  })
  async deploymentOversightEntries(
    @Param('caseId', caseIdPipe) caseId: string,
    @Param('deploymentId', new SchemaPipe(Id, 'path')) deploymentId: string,
    @Query(new SchemaPipe(OversightParams, 'query')) query: Static<typeof OversightParams>,
    @CurrentCaller() caller: Caller,
  ) {
    return this.readOversight(caseId, deploymentId, query, caller, (request) => this.oversight.entries(deploymentId, request));
  }

  @Get(':caseId/deployments/:deploymentId/scope')
  @ApiAnswer(200, DeploymentScopeAnswer)
  @Header('content-type', 'application/json; charset=utf-8')
  @ApiOperation({
    summary: `${DEPLOYMENT_SCOPE_SUMMARY} For a deployment that produced one of the case's outputs, as GET /deployments/{id}/scope; only while the case is open. The read is recorded in the case (view \`scope\`).`,
    description: DEPLOYMENT_SCOPE_DESCRIPTION,
  })
  async deploymentScope(
    @Param('caseId', caseIdPipe) caseId: string,
    @Param('deploymentId', new SchemaPipe(Id, 'path')) deploymentId: string,
    @Query(new SchemaPipe(DeploymentScopeParams, 'query')) query: Static<typeof DeploymentScopeParams>,
    @CurrentCaller() caller: Caller,
  ) {
    return this.readDeployment('scope', caseId, deploymentId, caller, () =>
      this.scope.forDeployment(deploymentId, accountabilityRequest(query)),
    );
  }

  @Get(':caseId/incident/reporting-clock')
  @ApiAnswer(200, IncidentClockAnswer)
  @Header('content-type', 'application/json; charset=utf-8')
  @ApiOperation({
    summary:
      'The reporting clock of the incident the case was opened on, as GET /incidents/{incidentId}/reporting-clock answers it to the parties concerned (deadlines, notices, reports, INCIDENT.* findings, basis); only while the case is open. The read is recorded in the case (view `incident-clock`).',
  })
  async incidentReportingClock(
    @Param('caseId', caseIdPipe) caseId: string,
    @Query(new SchemaPipe(AccountabilityParams, 'query')) query: Static<typeof AccountabilityParams>,
    @CurrentCaller() caller: Caller,
  ) {
    const state = await this.cases.authorise(caseId, caller, 'incident-clock');
    if (state.status !== 'open') throw oversightErrors.caseClosed(caseId, "an incident's reporting clock is");
    if (state.scope.kind !== 'incident') throw caseErrors.notAboutAnIncident(caseId);
    const logSize = await this.evidence.logSize();
    // The case's mandate or ownership already covers the incident: no party check beyond the case's own.
    const body = json(await this.incidentClock.forIncident(state.scope.incidentId, accountabilityRequest(query), () => undefined));
    await this.cases.recordRead(caseId, caller, { view: 'incident-clock', logSize, contentDigest: digestOf(body) });
    return body;
  }

  /** The oversight question of a case's deployment, its evidence links pointing back into the case. */
  private readOversight(
    caseId: string,
    deploymentId: string,
    query: Static<typeof OversightParams>,
    caller: Caller,
    answer: (request: OversightRequest) => Promise<unknown>,
  ): Promise<string> {
    return this.readDeployment('oversight', caseId, deploymentId, caller, () =>
      answer({
        ...oversightRequest(query, this.clock.now().toISOString().slice(0, 10)),
        basePath: `/cases/${caseId}/deployments/${deploymentId}/oversight`,
      }),
    );
  }

  /** Access (an investigator of the open case, a deployment of its outputs), the answer, and the read recorded before it is sent. */
  private async readDeployment(
    view: 'oversight' | 'scope',
    caseId: string,
    deploymentId: string,
    caller: Caller,
    answer: () => Promise<unknown>,
  ): Promise<string> {
    const state = await this.cases.authorise(caseId, caller, view);
    if (state.status !== 'open') throw oversightErrors.caseClosed(caseId);
    const logSize = await this.evidence.logSize();
    if (!(await this.oversight.deploymentsOf(await this.evidence.outputIds(state))).has(deploymentId))
      throw oversightErrors.deploymentNotInCase(caseId, deploymentId);
    const body = json(await answer());
    await this.cases.recordRead(caseId, caller, { view, deploymentId, logSize, contentDigest: digestOf(body) });
    return body;
  }

  @Get(':caseId/report')
  @ApiAnswer(200, CaseReportHtml, CaseReportHtml.description, 'text/html')
  @Header('content-type', 'text/html; charset=utf-8')
  @ApiOperation({
    summary:
      'A printable, self-contained HTML report of the case: the four parties side by side, findings with their evidence, and the checkpoint it was verified against. The read is recorded.',
  })
  async report(@Param('caseId', caseIdPipe) caseId: string, @CurrentCaller() caller: Caller) {
    const state = await this.cases.authorise(caseId, caller, 'report');
    const logSize = await this.evidence.logSize();
    const html = (await this.evidence.bundle(state, this.clock.now().toISOString())).reportHtml;
    await this.cases.recordRead(caseId, caller, { view: 'report', logSize, contentDigest: digestOf(html) });
    return html;
  }
}
