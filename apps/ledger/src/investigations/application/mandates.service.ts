import type { Actor, MandateKind, MandateScope } from '@aal/contracts';
import { AggregateStore, CLOCK, runDecider, type Clock } from '@aal/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { mandateDecider, type MandateCommand, type MandateState } from '../domain/mandate.decider';
import { CaseEntriesRepository } from '../infrastructure/case-entries.repository';
import { MANDATE_AGGREGATE, MandatesRepository } from '../infrastructure/mandates.repository';
import { CASE_STORE } from './cases.service';
import { mandateScopeOwners } from './scope-records';

export interface GrantMandateInput {
  readonly kind: MandateKind;
  readonly investigatingOrganisationId: string;
  readonly scope: MandateScope;
  readonly organisationId?: string;
  readonly reference: string;
  readonly until?: string;
}

/**
 * Mandates: the recorded authority for an organisation to investigate another's records. Each
 * use case runs the mandate decider in one transaction that saves the mandate's state beside the
 * cases and writes its event to the ledger's outbox, from where it reaches the log like case events.
 */
@Injectable()
export class MandatesService {
  constructor(
    @Inject(CASE_STORE) private readonly store: AggregateStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly dataSource: DataSource,
  ) {}

  async grant(input: GrantMandateInput, actor: Actor): Promise<MandateState> {
    const mandateId = randomUUID();
    const owners = await mandateScopeOwners(new CaseEntriesRepository(this.dataSource.manager), input.scope);
    return this.run(mandateId, actor, {
      kind: 'GrantMandate',
      mandateId,
      mandateKind: input.kind,
      investigatingOrganisationId: input.investigatingOrganisationId,
      scope: input.scope,
      ...(input.organisationId !== undefined ? { organisationId: input.organisationId } : {}),
      reference: input.reference,
      ...(input.until !== undefined ? { until: input.until } : {}),
      owners,
      actor,
      occurredAt: this.now(),
    });
  }

  revoke(mandateId: string, reason: string | undefined, actor: Actor): Promise<MandateState> {
    return this.run(mandateId, actor, { kind: 'RevokeMandate', mandateId, ...(reason ? { reason } : {}), actor, occurredAt: this.now() });
  }

  /** Mandates the caller's organisation granted, was given, or that cover its records. */
  list(actor: Actor, page: { limit: number; offset: number }): Promise<MandateState[]> {
    return new MandatesRepository(this.dataSource.manager).concerning(actor.organisationId, page);
  }

  private async run(mandateId: string, actor: Actor, command: MandateCommand): Promise<MandateState> {
    const { state } = await runDecider(
      this.store,
      mandateDecider,
      { type: MANDATE_AGGREGATE, id: mandateId, organisationId: actor.organisationId },
      command,
    );
    return state;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
