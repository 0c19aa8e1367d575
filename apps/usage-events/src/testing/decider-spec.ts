import { DomainError, type Decider } from '@aal/domain';

/**
 * Given / when / then for a decider: `given(...history).when(command).then(events)` or
 * `.thenRefuses(code)`, which returns the error for further checks.
 */
export function givenFor<C, S, E>(decider: Decider<C, S, E>) {
  return (...history: E[]) => ({
    when: (command: C) => {
      const state = history.reduce((s, e) => decider.evolve(s, e), decider.initialState);
      const decide = () => decider.decide(command, state);
      return {
        // biome-ignore lint/suspicious/noThenProperty: the harness reads given/when/then; this object is never awaited
        then: (expected: E[]) => expect(decide()).toEqual(expected),
        thenRefuses: (code: string): DomainError => {
          let refusal: unknown;
          try {
            decide();
          } catch (err) {
            refusal = err;
          }
          expect(refusal).toBeInstanceOf(DomainError);
          expect((refusal as DomainError).code).toBe(code);
          return refusal as DomainError;
        },
      };
    },
  });
}

/** The state after `history`. */
export function stateAfter<C, S, E>(decider: Decider<C, S, E>, ...history: E[]): S {
  return history.reduce((s, e) => decider.evolve(s, e), decider.initialState);
}
