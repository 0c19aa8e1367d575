/** An event as the domain states it: a catalogue name (e.g. `model.registered`) and its data. */
export interface DomainEvent<N extends string = string, D = unknown> {
  readonly name: N;
  readonly data: D;
}

/**
 * An event with the time it happened beside its data. Event data schemas are closed (no `time`
 * field), so the time travels beside the data: `evolve` may need it (an output's `generatedAt`),
 * and it becomes the CloudEvent `time`. It is the `occurredAt` of the command that decided it.
 */
export type OccurredEvent<N extends string = string, D = unknown> = DomainEvent<N, D> & { readonly occurredAt: string };

/**
 * Every command says when its fact happened as `occurredAt` (RFC 3339): the request time where
 * the service itself is the witness, the reporter's word where another system reports a fact
 * (usage-events, whose commands also carry `receivedAt`, this service's clock). It becomes the
 * CloudEvent `time` of the events decided. One name in every service; see docs/decisions.md.
 */
export interface Occurred {
  readonly occurredAt: string;
}

/** A command as a route builds it, before stamping it with the request time. */
export type WithoutTime<C> = C extends unknown ? Omit<C, 'occurredAt'> : never;

/**
 * An aggregate's behaviour as pure functions: `decide` turns a command and the current state into
 * the events that happened (or throws a DomainError), `evolve` folds an event into the state.
 * Times and ids arrive on the command; nothing in here reads a clock or makes an id.
 */
export interface Decider<Command, State, Event> {
  readonly initialState: State;
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
}

/** Compile-time exhaustiveness check for discriminated unions. */
export function assertNever(value: never): never {
  throw new Error(`unexpected variant: ${JSON.stringify(value)}`);
}
