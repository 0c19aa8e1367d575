import type { FactNamed } from '@aal/accountability';
import type { CloudEvent } from '@aal/contracts';
import { outputChainIds } from '@aal/testing';
import { asFact } from '../../../../../libs/accountability/src/testing/as-fact';
import { incidentAbout, weekOfOutputs } from '../testing/oversight-scenario';
import { planOversightPage } from './oversight-page';

type Relevant = Parameters<typeof planOversightPage>[0][number];

const ids = outputChainIds('out-page-test');
const other = outputChainIds('out-page-other');
const [generated, acted] = weekOfOutputs(ids, 0, 1, 1, 42).events as [CloudEvent<unknown>, CloudEvent<unknown>];
const [otherGenerated] = weekOfOutputs(other, 0, 1, 1, 42).events as [CloudEvent<unknown>];
const fact = (e: CloudEvent<unknown>, seq: number, recordedAt = `2026-10-05T09:00:${String(seq).padStart(2, '0')}Z`) =>
  asFact(e, seq, recordedAt) as Relevant;
const outputId = (generated.data as { outputId: string }).outputId;
const otherOutputId = (otherGenerated.data as { outputId: string }).outputId;

describe('planOversightPage', () => {
  it('places an action with its output, known from the later of the two entries', () => {
    const plan = planOversightPage([fact(generated, 1), fact(acted, 2)], new Map(), new Map());
    expect(plan.outputs).toMatchObject([{ outputId, deploymentId: ids.deploymentId, site: 'ward-7a', seq: 1 }]);
    expect(plan.actions).toMatchObject([
      { seq: 2, outputId, deploymentId: ids.deploymentId, seconds: 42, knownSeq: 2, action: 'accepted' },
    ]);
    expect(plan.pending).toEqual([]);
  });

  it('keeps the service output.generated v2 states, on the output and its actions, and "" when it states none', () => {
    const inService = { ...generated, data: { ...(generated.data as object), service: 'Respiratory' } };
    const plan = planOversightPage([fact(inService, 1), fact(acted, 2)], new Map(), new Map());
    expect(plan.outputs).toMatchObject([{ outputId, service: 'Respiratory' }]);
    expect(plan.actions).toMatchObject([{ seq: 2, service: 'Respiratory' }]);
    expect(planOversightPage([fact(generated, 1), fact(acted, 2)], new Map(), new Map()).actions).toMatchObject([{ seq: 2, service: '' }]);
  });

  it('keeps an action whose output is not generated yet, and places it when the output comes, known from the output', () => {
    const first = planOversightPage([fact(acted, 1)], new Map(), new Map());
    expect(first.actions).toEqual([]);
    expect(first.pending).toEqual([{ outputId, seq: 1 }]);
    const later = planOversightPage([fact(generated, 5)], new Map(), new Map([[outputId, [fact(acted, 1)]]]));
    expect(later.actions).toMatchObject([{ seq: 1, knownSeq: 5, knownAt: '2026-10-05T09:00:05Z' }]);
    expect(later.resolved).toEqual([{ outputId, seq: 1 }]);
    // Within one page too.
    expect(planOversightPage([fact(acted, 1), fact(generated, 2)], new Map(), new Map()).actions).toMatchObject([{ seq: 1, knownSeq: 2 }]);
  });

  it('keeps the first output.generated of an output id, and places an incident once per deployment and site it names', () => {
    const incident = incidentAbout([outputId, otherOutputId], '2026-10-06T12:00:00Z');
    const known = new Map([
      [otherOutputId, { seq: 0, deploymentId: other.deploymentId, site: 'ward-7a', service: '', recordedAt: '2026-10-05T09:00:00Z' }],
    ]);
    const plan = planOversightPage([fact(generated, 1), fact(generated, 2), fact(incident, 3)], known, new Map());
    expect(plan.outputs.map((o) => o.seq)).toEqual([1]);
    expect(plan.incidents.map((i) => [i.deploymentId, i.site, i.knownSeq])).toEqual([
      [ids.deploymentId, 'ward-7a', 3],
      [other.deploymentId, 'ward-7a', 3],
    ]);
    expect((incident.data as FactNamed<'incident.reported'>['data']).outputIds).toHaveLength(2);
  });
});
