import type { Decider, DomainEvent } from '@aal/domain';
import type { AggregateStore } from './aggregate-store';

export interface DeciderRun<State, Event> {
  readonly state: State;
  readonly events: Event[];
}

/**
 * The whole write path of a command, in one transaction: lock and load the aggregate, decide,
 * evolve, save the state and append the events to the outbox.
 */
export async function runDecider<Command, State, Event extends DomainEvent>(
  store: AggregateStore,
  decider: Decider<Command, State, Event>,
  target: { type: string; id: string; organisationId: string; time: string },
  command: Command,
): Promise<DeciderRun<State, Event>> {
  return store.transact(async (tx) => {
    const current = await tx.load<State>(target.type, target.id);
    const state = current?.state ?? decider.initialState;
    const events = decider.decide(command, state);
    const next = events.reduce(decider.evolve, state);
    if (events.length > 0) {
      await tx.save(target.type, target.id, current?.organisationId ?? target.organisationId, next, current);
      await tx.emit(events, target.time);
    }
    return { state: next, events };
  });
}
