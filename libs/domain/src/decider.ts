/** An event as the domain states it: a catalogue name (e.g. `model.registered`) and its data. */
export interface DomainEvent<N extends string = string, D = unknown> {
  readonly name: N;
  readonly data: D;
}

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
