import { DomainError, type Decider } from '@aal/domain';
import { deciderSpec } from './decider-spec';

// A counter of registrations, deciding a real catalogue event so the contract check has work to do.
type Command = { kind: 'Register'; modelId: string; name: string } | { kind: 'Crash' };
type Event = { name: 'model.registered'; data: Record<string, unknown> };
const actor = { organisationId: 'acme-ai', personId: 'psn_acmeadmin001', role: 'vendor-admin' };
const registered = (modelId: string, name = 'SepsisWatch'): Event => ({
  name: 'model.registered',
  data: {
    modelId,
    vendorId: 'acme-ai',
    name,
    intendedPurpose: 'Early warning.',
    riskClass: 'uk-mdr-class-iia',
    manufacturerSafetyOfficer: 'psn_acmecso00001',
    actor,
  },
});
const counter: Decider<Command, { registered: string[] }, Event> = {
  initialState: { registered: [] },
  decide(command, state) {
    if (command.kind === 'Crash') throw new TypeError('a bug, not a refusal');
    if (state.registered.includes(command.modelId))
      throw new DomainError('MODEL.ALREADY_REGISTERED', 'conflict', 'already registered', { modelId: command.modelId });
    // An empty name breaks the contract (Text has a minimum length): the harness must notice.
    return [registered(command.modelId, command.name)];
  },
  evolve: (state, event) => ({ registered: [...state.registered, event.data['modelId'] as string] }),
};
const M1 = '0f5d2d51-2c43-4a8e-bb2f-6b1e9e7c3d20';
const M2 = '9a1c2e37-7d4b-4f1a-8c55-0e2b3f4a5b61';
const { given } = deciderSpec(counter);

describe('deciderSpec', () => {
  it('given a history, then its state is the history folded', () => {
    expect(given(registered(M1), registered(M2)).state).toEqual({ registered: [M1, M2] });
  });

  it('when decided as expected, then returns the events and the state they lead to', () => {
    expect(
      given(registered(M1))
        .when({ kind: 'Register', modelId: M2, name: 'SepsisWatch' })
        .then([registered(M2)]),
    ).toEqual({
      events: [registered(M2)],
      state: { registered: [M1, M2] },
    });
  });

  it('when other events are decided than expected, then fails', () => {
    expect(() =>
      given()
        .when({ kind: 'Register', modelId: M1, name: 'SepsisWatch' })
        .then([registered(M2)]),
    ).toThrow(/toEqual/);
    expect(() => given().when({ kind: 'Register', modelId: M1, name: 'SepsisWatch' }).then([])).toThrow(/toEqual/);
  });

  it('when a decided event breaks its published contract, then fails naming the event', () => {
    expect(() => given().when({ kind: 'Register', modelId: M1, name: '' }).decided()).toThrow(/model\.registered/);
  });

  it('when refused with the expected code, then returns the error for further checks', () => {
    expect(
      given(registered(M1)).when({ kind: 'Register', modelId: M1, name: 'SepsisWatch' }).thenRefuses('MODEL.ALREADY_REGISTERED'),
    ).toMatchObject({
      kind: 'conflict',
      context: { modelId: M1 },
    });
  });

  it('when refused with another code, or decided instead, then fails', () => {
    expect(() => given(registered(M1)).when({ kind: 'Register', modelId: M1, name: 'SepsisWatch' }).thenRefuses('MODEL.NOT_FOUND')).toThrow(
      /MODEL\.NOT_FOUND/,
    );
    expect(() => given().when({ kind: 'Register', modelId: M1, name: 'SepsisWatch' }).thenRefuses('MODEL.ALREADY_REGISTERED')).toThrow(
      'expected a refusal with MODEL.ALREADY_REGISTERED, but it decided [model.registered]',
    );
    expect(() => given().when({ kind: 'Register', modelId: M1, name: 'SepsisWatch' }).decided()).not.toThrow();
  });

  it('when the decider throws something other than a DomainError, then it propagates', () => {
    expect(() => given().when({ kind: 'Crash' }).thenRefuses('MODEL.ALREADY_REGISTERED')).toThrow(TypeError);
  });
});
