import { EVENT_CATALOGUE, eventsProducedBy } from './catalogue';
import { DEPLOYMENT_STATUS_AFTER, DEPLOYMENT_STATUSES, isDeploymentLifecycleEvent } from './deployment-lifecycle';

describe('deployment lifecycle', () => {
  it("given the catalogue, then the status table names exactly deployment-approval's events", () => {
    const produced = [...new Set(eventsProducedBy('deployment-approval').map((d) => d.name))].sort();
    expect(Object.keys(DEPLOYMENT_STATUS_AFTER).sort()).toEqual(produced);
  });

  it('given the table, then every status is reached by some event and every event leads to a listed status or none', () => {
    const reached = new Set(Object.values(DEPLOYMENT_STATUS_AFTER).filter((s) => s !== null));
    expect([...reached].sort()).toEqual([...DEPLOYMENT_STATUSES].sort());
  });

  it.each([
    ['deployment.suspended', true],
    ['deployment.reinstated', true],
    ['usage-policy.issued', false],
    ['training.recorded', false],
    ['model.version.withdrawn', false],
    ['toString', false],
    ['', false],
  ])('given the name %j, when asked whether it changes a deployment status, then %s', (name, expected) => {
    expect(isDeploymentLifecycleEvent(name)).toBe(expected);
  });

  it('given every catalogue name, then only deployment events change a deployment status', () => {
    const lifecycle = EVENT_CATALOGUE.filter((d) => isDeploymentLifecycleEvent(d.name));
    expect(lifecycle.every((d) => d.producer === 'deployment-approval' && d.name.startsWith('deployment.'))).toBe(true);
    // Eight names; deployment.approved is there at two schema versions.
    expect(new Set(lifecycle.map((d) => d.name)).size).toBe(8);
  });
});
