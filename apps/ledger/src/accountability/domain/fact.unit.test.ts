import { catalogueName, factKeys } from './fact';

const deploymentId = '4b0e7c1e-5f0a-4a39-9a8e-2d8d1f0c6a11';

describe('catalogueName', () => {
  it.each([
    ['aal.deployment.approved.v1', 'deployment.approved'],
    ['aal.model.safety-notice.issued.v12', 'model.safety-notice.issued'],
    ['aal.usage-policy.issued.v1', 'usage-policy.issued'],
  ])('given type %s, when named, then it is %s', (type, name) => {
    expect(catalogueName(type)).toBe(name);
  });
});

describe('factKeys', () => {
  it('given a training record, when keyed, then it is found from itself and from its deployment', () => {
    expect(factKeys('training.recorded', 'training/t-1', { trainingId: 't-1', deploymentId })).toEqual(['training/t-1', `deployment/${deploymentId}`]);
  });

  it('given an incident about several outputs, when keyed, then it is found from itself and from each output', () => {
    expect(factKeys('incident.reported', 'incident/i-1', { outputIds: ['out-1', 'out-2'] })).toEqual(['incident/i-1', 'output/out-1', 'output/out-2']);
  });

  it('given an incident naming an output twice, when keyed, then each key appears once', () => {
    expect(factKeys('incident.reported', 'incident/i-1', { outputIds: ['out-1', 'out-1'] })).toEqual(['incident/i-1', 'output/out-1']);
  });

  it('given an instruction about an output, when keyed, then its subject already is the output and the key appears once', () => {
    expect(factKeys('instruction.given', 'output/out-1', { instructionId: 'x', outputId: 'out-1' })).toEqual(['output/out-1']);
  });

  it('given an instruction about a case, not an output, when keyed, then it is found only from itself', () => {
    expect(factKeys('instruction.given', 'instruction/x', { instructionId: 'x', caseRef: 'case-7' })).toEqual(['instruction/x']);
  });

  it('given any other event naming a deployment or an output, when keyed, then only its subject is a key', () => {
    expect(factKeys('usage-policy.issued', `deployment/${deploymentId}`, { deploymentId, outputId: 'out-1' })).toEqual([`deployment/${deploymentId}`]);
    expect(factKeys('output.acted-on', 'output/out-1', { outputId: 'out-1', deploymentId })).toEqual(['output/out-1']);
  });

  it('given fields of the wrong shape, when keyed, then they are ignored rather than keyed', () => {
    expect(factKeys('training.recorded', 'training/t-1', { deploymentId: 42 })).toEqual(['training/t-1']);
    expect(factKeys('incident.reported', 'incident/i-1', { outputIds: 'out-1' })).toEqual(['incident/i-1']);
  });
});
