import { assertCanReadAny, type Principal } from '@aal/auth';
import { subjectOf } from '@aal/contracts';
import { AggregateStore } from '@aal/service-kit';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { concernErrors } from '../domain/concern.errors';
import type { ConcernState } from '../domain/concern.types';
import { concernOfReceipt } from '../infrastructure/receipts.repository';
import { CONCERN_AGGREGATE } from './execute-concern-command.handler';

type Concern = Exclude<ConcernState, { status: 'none' }>;

/** A receipt code is 43 base64url characters (newReceiptCode); anything else opens nothing. */
const RECEIPT_CODE = /^[A-Za-z0-9_-]{43}$/;

/**
 * What the person who raised a concern sees with its receipt: where it stands, when each
 * addressee (by party only) acknowledged and answered it, and the kind of each answer. Nothing
 * else: not the description as recorded, not the organisations' staff, not the references.
 */
export interface ReceiptView {
  readonly status: Concern['status'];
  readonly category: Concern['category'];
  readonly severity: Concern['severity'];
  readonly raisedAt: string;
  readonly acknowledgeBy: string;
  readonly answerBy: string;
  readonly addressees: ReadonlyArray<{ party: string; acknowledgedAt?: string; answeredAt?: string; answer?: string }>;
}

@Injectable()
export class ConcernQueries {
  constructor(
    private readonly store: AggregateStore,
    private readonly dataSource: DataSource,
  ) {}

  /** The concern with its event history, for its intake organisation and its addressees (and auditors with the grant). */
  async get(concernId: string, principal?: Principal) {
    const found = await this.store.find<ConcernState>(CONCERN_AGGREGATE, concernId);
    if (!found || found.state.status === 'none') throw concernErrors.notFound(concernId);
    const concern = found.state;
    const parties = [concern.intakeOrganisationId, ...concern.addressees.map((a) => a.organisationId)];
    if (principal) assertCanReadAny(principal, parties, 'concern', concernId);
    const history = await this.store.history(subjectOf('concern', concernId));
    return { ...concern, revision: found.version, history };
  }

  /** The receipt view of the one concern `code` opens; CONCERN.RECEIPT_NOT_FOUND for any other code. */
  async byReceipt(code: string): Promise<ReceiptView> {
    const concernId = RECEIPT_CODE.test(code) ? await concernOfReceipt(this.dataSource.manager, code) : null;
    const found = concernId ? await this.store.find<ConcernState>(CONCERN_AGGREGATE, concernId) : null;
    if (!found || found.state.status === 'none') throw concernErrors.receiptNotFound();
    return receiptView(found.state);
  }
}

export function receiptView(c: Concern): ReceiptView {
  return {
    status: c.status,
    category: c.category,
    severity: c.severity,
    raisedAt: c.raisedAt,
    acknowledgeBy: c.acknowledgeBy,
    answerBy: c.answerBy,
    addressees: c.addressees.map((a) => ({
      party: a.party,
      ...(a.acknowledgedAt !== undefined ? { acknowledgedAt: a.acknowledgedAt } : {}),
      ...(a.answeredAt !== undefined ? { answeredAt: a.answeredAt } : {}),
      ...(a.answer !== undefined ? { answer: a.answer } : {}),
    })),
  };
}
