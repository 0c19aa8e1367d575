import { subjectOf } from '@aal/contracts';
import { at, clinicalSystem, MINUTE, nurse, outputBody } from '../../testing/usage.factories';
import { reportFor } from '../http/report-requests';
import { foldReports } from './fold-reports';

const base = Date.UTC(2025, 0, 10, 9);
const ctx = { caller: clinicalSystem, receivedAt: at(base, 60), newId: () => '5f0c2b1e-8d3a-4c6b-9e2f-1a7d3c5b9e20' };
const generate = (o: ReturnType<typeof outputBody>) => reportFor('output.generated', o as never, ctx);
/** Every output below is reported for a deployment of the reporting organisation. */
const directoryFor = (...outputs: Array<ReturnType<typeof outputBody>>) =>
  new Map(
    outputs.map((o) => [
      o.deploymentId,
      { deploymentId: o.deploymentId, employerId: clinicalSystem.organisationId, status: 'active' as const },
    ]),
  );
const present = (outputId: string, minutes: number) =>
  reportFor('output.presented', { outputId, professional: nurse, site: 'ward-7', occurredAt: at(base, minutes) } as never, ctx);

describe('foldReports', () => {
  it('given a new output, when it is generated and presented in one list, then the presentation sees the generation', () => {
    const o = outputBody(at(base));
    const outcome = foldReports([generate(o), present(o.outputId, 2)], new Map(), directoryFor(o));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.reports.map((r) => [r.subject, r.events.map((e) => e.name)])).toEqual([
      [subjectOf('output', o.outputId), ['output.generated']],
      [subjectOf('output', o.outputId), ['output.presented']],
    ]);
    expect(outcome.aggregates).toHaveLength(1);
    expect(outcome.aggregates[0]).toMatchObject({
      changed: true,
      state: { status: 'generated', presentations: [expect.objectContaining({ site: 'ward-7' })] },
    });
  });

  it('given a stored output, when a list repeats its generation, then that report decides nothing and the aggregate is unchanged', () => {
    const o = outputBody(at(base));
    const stored = foldReports([generate(o)], new Map(), directoryFor(o));
    if (!stored.ok) throw new Error('expected ok');
    const outcome = foldReports([generate(o)], new Map([[subjectOf('output', o.outputId), stored.aggregates[0]!.state]]), directoryFor(o));
    expect(outcome).toMatchObject({ ok: true, reports: [{ events: [] }], aggregates: [{ changed: false }] });
  });

  it('when reports are refused, then every refused one is listed by index, including those depending on a refused one', () => {
    const o = outputBody(at(base));
    const future = outputBody(at(base, 24 * 60));
    const outcome = foldReports(
      [generate(o), generate(future), present(future.outputId, 24 * 60 + 1), present(o.outputId, -5 * MINUTE)],
      new Map(),
      directoryFor(o, future),
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.refusals.map((r) => [r.index, r.error.code])).toEqual([
      [1, 'USAGE.OCCURRED_IN_FUTURE'],
      [2, 'USAGE.OCCURRED_IN_FUTURE'],
      [3, 'OUTPUT.BEFORE_GENERATION'],
    ]);
  });

  it('given the directory, when outputs name an unknown deployment or one of another organisation, then each is refused and nothing else is', () => {
    const own = outputBody(at(base));
    const unknown = outputBody(at(base), { deploymentId: '0d9c8b7a-6f5e-4d3c-9b2a-1f0e9d8c7b6a' });
    const others = outputBody(at(base), { deploymentId: '7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d' });
    const directory = new Map([
      ...directoryFor(own),
      [others.deploymentId, { deploymentId: others.deploymentId, employerId: 'other-trust', status: 'active' as const }],
    ]);
    const outcome = foldReports([generate(own), generate(unknown), generate(others)], new Map(), directory);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.refusals.map((r) => [r.index, r.error.code])).toEqual([
      [1, 'OUTPUT.UNKNOWN_DEPLOYMENT'],
      [2, 'OUTPUT.DEPLOYMENT_OF_OTHER_ORGANISATION'],
    ]);
  });
});
