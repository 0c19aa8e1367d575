import type { Actor, CaseView, RecommendationAddressee, RecommendationArisesFrom } from '@aal/contracts';
import { AggregateStore, CLOCK, runDecider, type Clock } from '@aal/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  caseDecider,
  type CaseCommand,
  type CaseState,
  type OpenCaseState,
  type PersonRef,
  type ReadPositions,
} from '../domain/case.decider';
import { caseErrors } from '../domain/case.errors';
import type { RecommendationResponse } from '../domain/recommendation.rule';
import { CaseEntriesRepository } from '../infrastructure/case-entries.repository';
import { MandatesRepository } from '../infrastructure/mandates.repository';
import { CaseEvidenceQuery } from './case-evidence.query';
import { caseRecords } from './scope-records';

export const CASE_STORE = Symbol('CASE_STORE');
const AGGREGATE = 'case';

/** `sha256:<hex>` of the exact bytes sent. */
export const digestOf = (body: string | Buffer) => `sha256:${createHash('sha256').update(body).digest('hex')}`;

/**
 * The write side of investigations. Each use case runs the case decider in one transaction that
 * saves the case's state and writes its events to the ledger's outbox; the relay publishes them to
 * the ledger's topic and the intake appends them to the log like any producer's events.
 *
 * Reads: `authorise` answers whether the caller may read (decided, nothing written); the caller
 * then builds the answer and calls `recordRead` before sending it, so a read is never sent
 * unrecorded. `recordRead` decides again under the case's row lock, so access revoked in between
 * (when revocation exists) is honoured.
 */
@Injectable()
export class CasesService {
  constructor(
    @Inject(CASE_STORE) private readonly store: AggregateStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly evidence: CaseEvidenceQuery,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * Opens a case once the records it covers (and their owners) and the mandates given to the
   * opener's organisation are loaded: the decider's mandate rule needs both. A mandate revoked
   * between this load and the commit does not stop the case; one in force then did authorise it.
   */
  async open(input: { title: string; incidentId?: string; outputIds?: string[] }, actor: Actor): Promise<OpenCaseState> {
    const caseId = randomUUID();
    const manager = this.dataSource.manager;
    const [latest, records, mandates] = await Promise.all([
      this.evidence.latestCheckpoint(),
      caseRecords(new CaseEntriesRepository(manager), input),
      new MandatesRepository(manager).givenTo(actor.organisationId),
    ]);
    const checkpoint = latest ? { treeSize: latest.treeSize, rootHash: latest.rootHash.toString('hex') } : null;
    return this.run(caseId, actor, { kind: 'OpenCase', caseId, ...input, checkpoint, records, mandates, actor, occurredAt: this.now() });
  }

  grant(caseId: string, grantee: PersonRef, actor: Actor): Promise<OpenCaseState> {
    return this.run(caseId, actor, { kind: 'GrantAccess', caseId, grantee, actor, occurredAt: this.now() });
  }

  close(caseId: string, reason: string | undefined, actor: Actor): Promise<OpenCaseState> {
    return this.run(caseId, actor, { kind: 'CloseCase', caseId, ...(reason ? { reason } : {}), actor, occurredAt: this.now() });
  }

  /** Records a safety recommendation on the case (the decider checks the recorder, the case and the due date). */
  async recommend(
    caseId: string,
    input: { addressee: RecommendationAddressee; recommendation: string; dueBy: string; arisesFrom?: RecommendationArisesFrom },
    actor: Actor,
  ): Promise<{ recommendationId: string; state: OpenCaseState }> {
    const recommendationId = randomUUID();
    const state = await this.run(caseId, actor, {
      kind: 'RecordRecommendation',
      caseId,
      recommendationId,
      ...input,
      actor,
      occurredAt: this.now(),
    });
    return { recommendationId, state };
  }

  /** The addressee's response to a recommendation (the decider checks who responds and in which order). */
  respond(caseId: string, recommendationId: string, response: RecommendationResponse, actor: Actor): Promise<OpenCaseState> {
    return this.run(caseId, actor, { kind: 'RespondToRecommendation', caseId, recommendationId, response, actor, occurredAt: this.now() });
  }

  /** The case as stored (write model), or CASE.NOT_FOUND; for routes whose access rule is not the investigators' alone. */
  async find(caseId: string): Promise<OpenCaseState> {
    const stored = await this.store.find<CaseState>(AGGREGATE, caseId);
    if (!stored || stored.state.status === 'none') throw caseErrors.notFound(caseId);
    return stored.state;
  }

  /** A legal hold on the case (an evidence freeze that retention jobs honour, docs/retention.md). */
  placeHold(caseId: string, reason: string, actor: Actor): Promise<OpenCaseState> {
    return this.run(caseId, actor, { kind: 'PlaceHold', caseId, reason, actor, occurredAt: this.now() });
  }

  /** Lifts the case's legal hold; only an investigator of the organisation that placed it may. */
  liftHold(caseId: string, reason: string, actor: Actor): Promise<OpenCaseState> {
    return this.run(caseId, actor, { kind: 'LiftHold', caseId, reason, actor, occurredAt: this.now() });
  }

  /** The case, if `actor` may read it (the decider's rule); throws the decider's refusal otherwise. Writes nothing. */
  async authorise(caseId: string, actor: Actor, view: CaseView): Promise<OpenCaseState> {
    const stored = await this.store.find<CaseState>(AGGREGATE, caseId);
    const state = stored?.state ?? caseDecider.initialState;
    caseDecider.decide({ kind: 'RecordRead', caseId, view, positions: {}, logSize: 0, actor, occurredAt: this.now() }, state);
    return state as OpenCaseState;
  }

  /** Records that `actor` read `view` of the case (committed when this resolves). */
  async recordRead(
    caseId: string,
    actor: Actor,
    read: { view: CaseView; positions?: ReadPositions; logSize: number; contentDigest?: string; outputId?: string; deploymentId?: string },
  ): Promise<void> {
    await this.run(caseId, actor, {
      kind: 'RecordRead',
      caseId,
      view: read.view,
      positions: read.positions ?? {},
      logSize: read.logSize,
      ...(read.contentDigest ? { contentDigest: read.contentDigest } : {}),
      ...(read.outputId ? { outputId: read.outputId } : {}),
      ...(read.deploymentId ? { deploymentId: read.deploymentId } : {}),
      actor,
      occurredAt: this.now(),
    });
  }

  private async run(caseId: string, actor: Actor, command: CaseCommand): Promise<OpenCaseState> {
    const { state } = await runDecider(
      this.store,
      caseDecider,
      { type: AGGREGATE, id: caseId, organisationId: actor.organisationId },
      command,
    );
    return state as OpenCaseState;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
