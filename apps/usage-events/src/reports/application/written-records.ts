import { inStoredOrder } from '@aal/service-kit';
import { incidentRecord } from '../../incidents/application/incident-record';
import type { IncidentState } from '../../incidents/domain/incident.types';
import { outputRecord } from '../../outputs/application/output-record';
import type { OutputState } from '../../outputs/domain/output.types';
import type { AppliedReport, WriteTransaction } from './usage-writes';

/*
 * The record a write answers with, built from the state its fold reached: no second read, and no
 * second ownership check (the decider refused every report but the reporting organisation's).
 * The state is put in the key order the store gives it back in, so the answer is byte-identical
 * to a GET's. Only the history is read, in the write's transaction, so it includes the events
 * just written.
 */

export async function outputRecordAfter(applied: AppliedReport, tx: WriteTransaction) {
  const state = inStoredOrder(applied.state as OutputState);
  if (state.status !== 'generated') throw new Error(`${applied.subject} was written but holds no generated output`);
  return outputRecord(state, applied.revision, await tx.history(applied.subject));
}

export async function incidentRecordAfter(applied: AppliedReport, tx: WriteTransaction) {
  const state = inStoredOrder(applied.state as IncidentState);
  if (state.status !== 'reported') throw new Error(`${applied.subject} was written but holds no reported incident`);
  return incidentRecord(state, applied.revision, await tx.history(applied.subject));
}
