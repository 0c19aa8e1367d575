import { EVENT_CATALOGUE } from './catalogue';
import { organisationsNamed } from './organisations';

const actor = (organisationId: string) => ({ organisationId, personId: 'psn_person000001', role: 'employer-admin' });

describe('organisationsNamed', () => {
  it('finds the actor, the employer and every other organisation an event names, by JSON Pointer', () => {
    const named = organisationsNamed('aal.deployment.requested.v1', {
      deploymentId: 'd',
      employerId: 'st-swithins',
      modelId: 'm',
      versionId: 'v',
      setting: { sites: [], services: [], roles: [] },
      intendedUse: 'x',
      actor: actor('st-swithins'),
    });
    expect(named).toEqual(
      expect.arrayContaining([
        { pointer: '/employerId', organisationId: 'st-swithins' },
        { pointer: '/actor/organisationId', organisationId: 'st-swithins' },
      ]),
    );
    expect(named).toHaveLength(2);
  });

  it('finds the vendor of a release and the organisation of an output', () => {
    expect(
      organisationsNamed('aal.model.version.released.v1', { vendorId: 'acme-ai', actor: actor('acme-ai') })
        .map((n) => n.pointer)
        .sort(),
    ).toEqual(['/actor/organisationId', '/vendorId']);
    expect(
      organisationsNamed('aal.output.generated.v1', { organisationId: 'st-swithins', actor: actor('st-swithins') }).map(
        (n) => n.organisationId,
      ),
    ).toEqual(['st-swithins', 'st-swithins']);
  });

  it('names nothing for an unknown type or data of another shape, and never throws', () => {
    expect(organisationsNamed('aal.nothing.v1', { vendorId: 'acme-ai' })).toEqual([]);
    expect(organisationsNamed('aal.output.generated.v1', null)).toEqual([]);
    expect(organisationsNamed('aal.output.generated.v1', { organisationId: 42, actor: 'x' })).toEqual([]);
  });

  it('finds at least the actor in every event type of the catalogue', () => {
    for (const definition of EVENT_CATALOGUE) {
      expect([definition.type, organisationsNamed(definition.type, { actor: actor('acme-ai') }).map((n) => n.pointer)]).toEqual([
        definition.type,
        expect.arrayContaining(['/actor/organisationId']),
      ]);
    }
  });
});
