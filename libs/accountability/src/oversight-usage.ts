import type { OversightCell } from './oversight';

/**
 * Where, in which services and by whom a deployment was used in a period, from its day cells
 * (already narrowed to the period, site, role and clocks asked for): what the investigator view
 * sets beside the approved scope. Sites and services count outputs and actions; roles count
 * actions and distinct professionals. Sorted by name; a site, service or role with nothing counted
 * is left out. Outputs whose output.generated states no service (v1, or v2 without `service`) are
 * counted apart, in `serviceNotStated`, never under a made-up name.
 */
export interface OversightUsage {
  readonly sites: ReadonlyArray<{ readonly site: string; readonly outputs: number; readonly actions: number }>;
  readonly services: ReadonlyArray<{ readonly service: string; readonly outputs: number; readonly actions: number }>;
  readonly serviceNotStated: { readonly outputs: number; readonly actions: number };
  readonly roles: ReadonlyArray<{ readonly role: string; readonly actions: number; readonly professionals: number }>;
}

type Counts = { outputs: number; actions: number };

export function oversightUsage(cells: Iterable<OversightCell>): OversightUsage {
  const sites = new Map<string, Counts>();
  const services = new Map<string, Counts>();
  const roles = new Map<string, { actions: number; people: Set<string> }>();
  const add = (into: Map<string, Counts>, name: string, c: OversightCell) => {
    const counts = into.get(name) ?? { outputs: 0, actions: 0 };
    counts.outputs += c.outputs;
    counts.actions += c.actions;
    into.set(name, counts);
  };
  for (const c of cells) {
    if (c.outputs === 0 && c.actions === 0) continue;
    add(sites, c.site, c);
    add(services, c.service, c);
    if (c.role === '' || c.actions === 0) continue;
    const r = roles.get(c.role) ?? { actions: 0, people: new Set<string>() };
    r.actions += c.actions;
    for (const p of c.professionals) r.people.add(p);
    roles.set(c.role, r);
  }
  const named = <T>(map: Map<string, T>) => [...map].filter(([name]) => name !== '').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    sites: named(sites).map(([site, n]) => ({ site, ...n })),
    services: named(services).map(([service, n]) => ({ service, ...n })),
    serviceNotStated: services.get('') ?? { outputs: 0, actions: 0 },
    roles: named(roles).map(([role, r]) => ({ role, actions: r.actions, professionals: r.people.size })),
  };
}
