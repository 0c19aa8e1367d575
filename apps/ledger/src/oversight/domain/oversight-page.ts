import type { Fact, FactNamed, OversightAction, OversightIncident, OversightOutput } from '@aal/accountability';

/** What the projection keeps of an output to place the entries about it. */
export type OutputRef = Pick<OversightOutput, 'seq' | 'deploymentId' | 'site' | 'service' | 'recordedAt'>;

/** An entry about an output the projection has not seen generated yet, kept until it is. */
export interface PendingEntry {
  readonly outputId: string;
  readonly seq: number;
}

/** What one page of entries adds to the oversight projection. */
export interface OversightPagePlan {
  readonly outputs: OversightOutput[];
  readonly actions: OversightAction[];
  readonly incidents: OversightIncident[];
  /** Entries to keep until their output is generated. */
  readonly pending: PendingEntry[];
  /** Pending entries (stored before this page) now placed. */
  readonly resolved: PendingEntry[];
}

type Relevant = FactNamed<'output.generated'> | FactNamed<'output.acted-on'> | FactNamed<'incident.reported'>;

/** The catalogue names the oversight projection reads; every other entry only moves its position. */
export const OVERSIGHT_FACT_NAMES: ReadonlySet<Fact['name']> = new Set(['output.generated', 'output.acted-on', 'incident.reported']);

const later = (a: { seq: number; recordedAt: string }, b: { seq: number; recordedAt: string }) => (a.seq >= b.seq ? a : b);

/**
 * Places one page of facts (in log order) in the oversight projection. `known` holds the outputs
 * already projected that the page's entries name; `stored` the entries kept pending before this
 * page for the outputs this page generates (decoded again). An output generated twice keeps its
 * first output.generated. An action or incident counts once the ledger knows its output: its
 * `knownSeq` is the later of the two entries.
 */
export function planOversightPage(
  facts: readonly Relevant[],
  known: ReadonlyMap<string, OutputRef>,
  stored: ReadonlyMap<string, readonly Relevant[]>,
): OversightPagePlan {
  const plan: OversightPagePlan = { outputs: [], actions: [], incidents: [], pending: [], resolved: [] };
  const outputs = new Map(known);
  const waiting = new Map<string, Relevant[]>();
  const wait = (outputId: string, f: Relevant) => {
    const list = waiting.get(outputId) ?? [];
    list.push(f);
    waiting.set(outputId, list);
  };
  const place = (f: Relevant, outputId: string, out: OutputRef) => {
    const k = later({ seq: f.seq, recordedAt: f.recordedAt }, out);
    if (f.name === 'output.acted-on') {
      const d = f.data;
      plan.actions.push({
        seq: f.seq,
        outputId,
        deploymentId: out.deploymentId,
        site: out.site,
        service: out.service,
        role: d.professional.role,
        personId: d.professional.personId,
        action: d.action,
        seconds: d.reviewDurationSeconds,
        time: f.time,
        knownSeq: k.seq,
        knownAt: k.recordedAt,
      });
    } else if (f.name === 'incident.reported') {
      const exists = plan.incidents.some((i) => i.seq === f.seq && i.deploymentId === out.deploymentId && i.site === out.site);
      if (!exists)
        plan.incidents.push({
          seq: f.seq,
          incidentId: f.data.incidentId,
          deploymentId: out.deploymentId,
          site: out.site,
          time: f.time,
          knownSeq: k.seq,
          knownAt: k.recordedAt,
        });
    }
  };
  for (const f of facts) {
    if (f.name === 'output.generated') {
      const id = f.data.outputId;
      if (outputs.has(id)) continue;
      const ref: OutputRef = {
        seq: f.seq,
        deploymentId: f.data.deploymentId,
        site: f.data.site,
        // output.generated v1 has no service, and v2 may leave it out: '' says "not stated".
        service: ('service' in f.data ? f.data.service : undefined) ?? '',
        recordedAt: f.recordedAt,
      };
      outputs.set(id, ref);
      plan.outputs.push({ ...ref, outputId: id, time: f.time });
      for (const p of stored.get(id) ?? []) {
        place(p, id, ref);
        plan.resolved.push({ outputId: id, seq: p.seq });
      }
      for (const p of waiting.get(id) ?? []) place(p, id, ref);
      waiting.delete(id);
      continue;
    }
    const ids = f.name === 'output.acted-on' ? [f.data.outputId] : f.data.outputIds;
    for (const id of ids) {
      const out = outputs.get(id);
      if (out) place(f, id, out);
      else wait(id, f);
    }
  }
  for (const [outputId, list] of waiting) for (const f of list) plan.pending.push({ outputId, seq: f.seq });
  return plan;
}
