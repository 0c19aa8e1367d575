import { cellsOf, decodeFactEntry, utcDay, type Fact, type RawEntry } from '@aal/accountability';
import { findEventDefinition } from '@aal/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { FactsRepository } from '../../accountability/infrastructure/facts.repository';
import { OVERSIGHT_FACT_NAMES, planOversightPage } from '../domain/oversight-page';
import { inLivePage, liveTarget, type ProjectionTarget } from '../../accountability/infrastructure/projection-target';
import { bitsOf, OVERSIGHT_PROJECTION, OversightRepository, type CellDelta } from '../infrastructure/oversight.repository';

/** Entries read and applied per step. */
export const OVERSIGHT_PAGE = 1000;

export type Relevant = Parameters<typeof planOversightPage>[0][number];

/** The entries the projection reads, decoded through the contracts; the rest (and any that do not decode) only move the position. */
export function relevantFacts(entries: readonly RawEntry[]): Relevant[] {
  const out: Relevant[] = [];
  for (const e of entries) {
    const name = findEventDefinition(e.headers['ce_type'] ?? '')?.name;
    if (name === undefined || !OVERSIGHT_FACT_NAMES.has(name as Fact['name'])) continue;
    const decoded = decodeFactEntry(e);
    if (decoded.ok) out.push(decoded.fact as Relevant);
  }
  return out;
}

/**
 * Applies the next page of the log (below `beforeSeq`) to `target`'s tables inside `manager`'s
 * transaction, or to the live tables in a live page of its own (inLivePage): the position is
 * locked first, so a page is never counted twice. Returns the next position, or null when nothing
 * was left. A rebuild runs the same steps, decoding (relevantFacts) outside the transaction.
 */
export async function applyOversightPage(
  dataSource: DataSource,
  manager?: EntityManager,
  pageSize = OVERSIGHT_PAGE,
  target: ProjectionTarget = liveTarget(OVERSIGHT_PROJECTION),
  beforeSeq: number = Number.MAX_SAFE_INTEGER,
): Promise<number | null> {
  if (!manager) return inLivePage(dataSource, OVERSIGHT_PROJECTION, (m) => applyOversightPage(dataSource, m, pageSize, target, beforeSeq));
  const repository = new OversightRepository(manager, target);
  const from = await repository.lockPosition();
  const entries = await new FactsRepository(dataSource).entriesFrom(from, pageSize, manager, beforeSeq);
  if (entries.length === 0) return null;
  const next = entries[entries.length - 1]!.seq + 1;
  await storeOversightFacts(dataSource, manager, repository, relevantFacts(entries), next);
  return next;
}

/**
 * A rebuild's page: the facts decoded from the entries from `from` to `next` (excluded), applied
 * to `target` in `manager`'s transaction when its position (locked) is at `from`.
 */
export async function applyOversightFacts(
  dataSource: DataSource,
  manager: EntityManager,
  target: ProjectionTarget,
  facts: readonly Relevant[],
  page: { readonly from: number; readonly next: number },
): Promise<void> {
  const repository = new OversightRepository(manager, target);
  const at = await repository.lockPosition();
  if (at !== page.from)
    throw new Error(`projection position ${target.position} is at ${at}, not ${page.from}: a page would be skipped or applied twice`);
  await storeOversightFacts(dataSource, manager, repository, facts, page.next);
}

/** Plans a page's facts against what the projection holds (outputs named, pending actions) and stores the plan, its cells and the position. */
async function storeOversightFacts(
  dataSource: DataSource,
  manager: EntityManager,
  repository: OversightRepository,
  facts: readonly Relevant[],
  next: number,
): Promise<void> {
  const named = new Set<string>();
  const generated: string[] = [];
  for (const f of facts) {
    if (f.name === 'output.acted-on') named.add(f.data.outputId);
    else if (f.name === 'incident.reported') for (const id of f.data.outputIds) named.add(id);
    else generated.push(f.data.outputId);
  }
  const known = await repository.outputsNamed([...named, ...generated]);
  const pending = await repository.pendingFor(generated);
  const stored = new Map<string, Relevant[]>();
  if (pending.length > 0) {
    const bySeq = new Map(
      relevantFacts(await new FactsRepository(dataSource).entriesAt([...new Set(pending.map((p) => p.seq))], manager)).map((f) => [
        f.seq,
        f,
      ]),
    );
    for (const p of pending) {
      const f = bySeq.get(p.seq);
      if (f) stored.set(p.outputId, [...(stored.get(p.outputId) ?? []), f]);
    }
  }
  const plan = planOversightPage(facts, known, stored);
  await repository.store(plan, await pageCells(repository, plan), next);
}

/** The cells a plan adds, per deployment and the day the ledger learnt of each entry, with their professionals numbered. */
async function pageCells(repository: OversightRepository, plan: ReturnType<typeof planOversightPage>): Promise<CellDelta[]> {
  const deployments = new Set([...plan.outputs.map((o) => o.deploymentId), ...plan.actions.map((a) => a.deploymentId)]);
  const out: CellDelta[] = [];
  for (const deploymentId of deployments) {
    const actions = plan.actions.filter((a) => a.deploymentId === deploymentId);
    const cells = cellsOf(
      plan.outputs.filter((o) => o.deploymentId === deploymentId),
      actions,
      (e) => utcDay((e.knownAt ?? e.recordedAt)!),
    );
    const numbers =
      actions.length === 0
        ? new Map<string, number>()
        : await repository.personIndexes(deploymentId, [...new Set(actions.map((a) => a.personId))]);
    for (const [key, c] of cells) {
      out.push({
        deploymentId,
        day: c.day,
        site: c.site,
        service: c.service,
        role: c.role,
        knownDay: key.slice(key.lastIndexOf('\u0000') + 1),
        outputs: c.outputs,
        actions: c.actions,
        accepted: c.accepted,
        overridden: c.overridden,
        review: c.review,
        people: bitsOf([...c.professionals].map((p) => numbers.get(p)!)),
      });
    }
  }
  return out;
}
