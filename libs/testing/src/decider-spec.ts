import { latestDefinition, validateAgainst } from '@aal/contracts';
import { DomainError, type Decider, type DomainEvent } from '@aal/domain';

/** What a decision produced: the events, and the state the history and they fold into. */
export interface Decided<S, E> {
  readonly events: E[];
  readonly state: S;
}

export interface When<S, E> {
  /** The decided events MUST equal `expected`. */
  then(expected: readonly E[]): Decided<S, E>;
  /** The command MUST be decided (not refused); for checks that do not pin every event. */
  decided(): Decided<S, E>;
  /** The command MUST be refused with a DomainError of `code`; it is returned for further checks. */
  thenRefuses(code: string): DomainError;
}

export interface Given<C, S, E> {
  /** The state the history folds into. */
  readonly state: S;
  when(command: C): When<S, E>;
}

/**
 * Given / when / then for a decider: `given(...history).when(command)` and then `.then(events)`,
 * `.decided()` or `.thenRefuses(code)`. Every decided event is also checked against the latest
 * published contract of its name, so a decider cannot decide what the catalogue would refuse.
 */
export function deciderSpec<C, S, E extends DomainEvent>(decider: Decider<C, S, E>): { given(...history: E[]): Given<C, S, E> } {
  const fold = (state: S, events: readonly E[]) => events.reduce((s, e) => decider.evolve(s, e), state);
  return {
    given: (...history) => {
      const state = fold(decider.initialState, history);
      const decide = (command: C): Decided<S, E> => {
        const events = decider.decide(command, state);
        for (const e of events)
          expect({ event: e.name, errors: validateAgainst(latestDefinition(e.name).schema, e.data) }).toEqual({
            event: e.name,
            errors: [],
          });
        return { events, state: fold(state, events) };
      };
      return {
        state,
        when: (command) => ({
          // biome-ignore lint/suspicious/noThenProperty: the harness reads given/when/then; this object is never awaited
          then: (expected) => {
            const decided = decide(command);
            expect(decided.events).toEqual(expected);
            return decided;
          },
          decided: () => decide(command),
          thenRefuses: (code) => {
            let events: E[];
            try {
              events = decider.decide(command, state);
            } catch (err) {
              if (!(err instanceof DomainError)) throw err;
              expect(err).toMatchObject({ code });
              return err;
            }
            throw new Error(`expected a refusal with ${code}, but it decided [${events.map((e) => e.name).join(', ')}]`);
          },
        }),
      };
    },
  };
}
