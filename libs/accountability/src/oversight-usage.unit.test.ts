import { cellsOf, type OversightAction, type OversightOutput } from './oversight';
import { oversightUsage } from './oversight-usage';

const DEPLOYMENT = '7c1f6f1e-2b9a-4c1e-9f0e-5d7a1b2c3d4e';
const output = (seq: number, site: string, service: string, time: string): OversightOutput => ({
  seq,
  outputId: `out-${seq}`,
  deploymentId: DEPLOYMENT,
  site,
  service,
  time,
  recordedAt: time,
});
const action = (seq: number, site: string, service: string, role: string, personId: string, time: string): OversightAction => ({
  seq,
  outputId: `out-${seq - 1}`,
  deploymentId: DEPLOYMENT,
  site,
  service,
  role,
  personId,
  action: 'accepted',
  seconds: 60,
  time,
  knownSeq: seq,
  knownAt: time,
});

describe('oversightUsage', () => {
  it('given outputs on two sites in two services acted on by two roles over two days, then it counts each site, service and role once, by name', () => {
    const cells = cellsOf(
      [
        output(1, 'ward-7b', 'respiratory', '2026-10-05T08:00:00Z'),
        output(3, 'ward-7a', 'acute-medicine', '2026-10-05T09:00:00Z'),
        output(5, 'ward-7a', 'respiratory', '2026-10-06T09:00:00Z'),
      ],
      [
        action(2, 'ward-7b', 'respiratory', 'staff-nurse', 'psn_nurse0000001', '2026-10-05T08:01:00Z'),
        action(4, 'ward-7a', 'acute-medicine', 'staff-nurse', 'psn_nurse0000001', '2026-10-05T09:01:00Z'),
        action(6, 'ward-7a', 'respiratory', 'doctor', 'psn_doctor000001', '2026-10-06T09:01:00Z'),
        action(7, 'ward-7a', 'respiratory', 'staff-nurse', 'psn_nurse0000002', '2026-10-06T09:02:00Z'),
      ],
    );
    expect(oversightUsage(cells.values())).toEqual({
      sites: [
        { site: 'ward-7a', outputs: 2, actions: 3 },
        { site: 'ward-7b', outputs: 1, actions: 1 },
      ],
      services: [
        { service: 'acute-medicine', outputs: 1, actions: 1 },
        { service: 'respiratory', outputs: 2, actions: 3 },
      ],
      serviceNotStated: { outputs: 0, actions: 0 },
      roles: [
        { role: 'doctor', actions: 1, professionals: 1 },
        { role: 'staff-nurse', actions: 3, professionals: 2 },
      ],
    });
  });

  it('given outputs that state no service (output.generated v1), then they are counted apart and no service is named for them', () => {
    const cells = cellsOf(
      [output(1, 'ward-7a', '', '2026-10-05T08:00:00Z'), output(3, 'ward-7a', 'respiratory', '2026-10-05T09:00:00Z')],
      [action(2, 'ward-7a', '', 'staff-nurse', 'psn_nurse0000001', '2026-10-05T08:01:00Z')],
    );
    const usage = oversightUsage(cells.values());
    expect(usage.services).toEqual([{ service: 'respiratory', outputs: 1, actions: 0 }]);
    expect(usage.serviceNotStated).toEqual({ outputs: 1, actions: 1 });
    expect(usage.sites).toEqual([{ site: 'ward-7a', outputs: 2, actions: 1 }]);
  });

  it('given no cells, then nothing was used', () => {
    expect(oversightUsage([])).toEqual({ sites: [], services: [], serviceNotStated: { outputs: 0, actions: 0 }, roles: [] });
  });
});
