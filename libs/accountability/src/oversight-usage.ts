import type { OversightCell } from './oversight';

/**
 * Where and by whom a deployment was used in a period, from its day cells (already narrowed to the
 * period, site, role and clocks asked for): what the investigator view sets beside the approved
 * scope. Sites count outputs and actions; roles count actions and distinct professionals. Sorted
 * by name; a site or role with nothing counted is left out.
 */
export interface OversightUsage {
  readonly sites: ReadonlyArray<{ readonly site: string; readonly outputs: number; readonly actions: number }>;
  readonly roles: ReadonlyArray<{ readonly role: string; readonly actions: number; readonly professionals: number }>;
}

export function oversightUsage(cells: Iterable<OversightCell>): OversightUsage {
  const sites = new Map<string, { site: string; outputs: number; actions: number }>();
  const roles = new Map<string, { role: string; actions: number; people: Set<string> }>();
  for (const c of cells) {
    if (c.outputs === 0 && c.actions === 0) continue;
    const s = sites.get(c.site) ?? { site: c.site, outputs: 0, actions: 0 };
    s.outputs += c.outputs;
    s.actions += c.actions;
    sites.set(c.site, s);
    if (c.role === '' || c.actions === 0) continue;
    const r = roles.get(c.role) ?? { role: c.role, actions: 0, people: new Set<string>() };
    r.actions += c.actions;
    for (const p of c.professionals) r.people.add(p);
    roles.set(c.role, r);
  }
  const byName =
    <T>(key: (x: T) => string) =>
    (a: T, b: T) =>
      key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
  return {
    sites: [...sites.values()].sort(byName((s) => s.site)),
    roles: [...roles.values()].map((r) => ({ role: r.role, actions: r.actions, professionals: r.people.size })).sort(byName((r) => r.role)),
  };
}
