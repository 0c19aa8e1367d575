import type { Decider, DomainEvent, Occurred } from '@aal/domain';
import { AggregateStore, type AggregateTransaction } from './aggregate-store';

export interface DeciderRun<State, Event> {
  readonly state: State;
  readonly events: Event[];
  /** The aggregate's stored version after the run (unchanged when no event was decided; 0: never stored). */
  readonly version: number;
}

/**
 * The whole write path of a command: lock and load the aggregate, decide, evolve, save the state
 * and append the events to the outbox, stamped with the command's `occurredAt`. Given the store, it runs in a transaction of its own; given
 * an open transaction, inside it, so a caller can write more (e.g. an idempotency record) in the
 * same commit.
 */
export async function runDecider<Command extends Occurred, State, Event extends DomainEvent>(
  storeOrTransaction: AggregateStore | AggregateTransaction,
  decider: Decider<Command, State, Event>,
  target: { type: string; id: string; organisationId: string },
  command: Command,
): Promise<DeciderRun<State, Event>> {
  const run = async (tx: AggregateTransaction): Promise<DeciderRun<State, Event>> => {
    const current = await tx.load<State>(target.type, target.id);
    const state = current?.state ?? decider.initialState;
    const events = decider.decide(command, state);
    const next = events.reduce(decider.evolve, state);
    if (events.length === 0) return { state: next, events, version: current?.version ?? 0 };
    const version = await tx.save(target.type, target.id, current?.organisationId ?? target.organisationId, next, current);
    await tx.emit(events, command.occurredAt);
    return { state: next, events, version };
  };
  return storeOrTransaction instanceof AggregateStore ? storeOrTransaction.transact(run) : run(storeOrTransaction);
}
