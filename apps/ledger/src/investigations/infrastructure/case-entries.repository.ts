import { subjectOf } from '@aal/contracts';
import { buildInclusionProof, nodeKey, nodesForInclusionProof, type NodeId } from '@aal/ledger-core';
import type { Fact } from '@aal/accountability';
import type { EntityManager } from 'typeorm';
import { FactsRepository } from '../../accountability/infrastructure/facts.repository';
import { CheckpointRepository, type StoredCheckpoint } from '../../log/infrastructure/checkpoint.repository';
import { EntriesRepository, type RecordedEntry } from '../../log/infrastructure/entries.repository';
import { TreeRepository } from '../../log/infrastructure/tree.repository';

/** Read-only SQL for investigations: the log, the facts index (to find entries, never as facts), the tree and checkpoints. */
export class CaseEntriesRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Entries in the log now (the next seq). */
  async logSize(): Promise<number> {
    const rows: Array<{ n: string | null }> = await this.manager.query('SELECT max(seq) + 1 AS n FROM ledger.entries');
    return rows[0]?.n === null || rows[0] === undefined ? 0 : Number(rows[0].n);
  }

  latestCheckpoint(): Promise<StoredCheckpoint | null> {
    return new CheckpointRepository(this.manager).latest();
  }

  /** Seqs of the facts found under any of `keys` (subjects, and the aggregates they speak about). */
  seqsByKeys(keys: readonly string[]): Promise<number[]> {
    return new FactsRepository(this.manager.connection).seqsByKeys(keys, Number.MAX_SAFE_INTEGER, this.manager);
  }

  /** Facts of the entries the index finds under `keys`, decoded from the entries' hashed content. */
  private async factsByKeys(keys: readonly string[]): Promise<Fact[]> {
    return new FactsRepository(this.manager.connection).byKeys(keys, Number.MAX_SAFE_INTEGER, this.manager);
  }

  /** The `incident.reported` facts of an incident: their seqs, the reporting organisation and the outputs they list. */
  async incidentReports(incidentId: string): Promise<Array<{ seq: number; organisationId: string; outputIds: string[] }>> {
    const facts = await this.factsByKeys([subjectOf('incident', incidentId)]);
    return facts.flatMap((f) =>
      f.name === 'incident.reported' && f.data.incidentId === incidentId
        ? [{ seq: f.seq, organisationId: f.data.organisationId, outputIds: [...f.data.outputIds] }]
        : [],
    );
  }

  /** The organisation each output was reported by (its `output.generated` fact); outputs the ledger does not hold are absent. */
  async outputOwners(outputIds: readonly string[]): Promise<Map<string, string>> {
    const owners = new Map<string, string>();
    if (outputIds.length === 0) return owners;
    const wanted = new Set(outputIds);
    for (const f of await this.factsByKeys(outputIds.map((id) => subjectOf('output', id)))) {
      if (f.name === 'output.generated' && wanted.has(f.data.outputId) && !owners.has(f.data.outputId))
        owners.set(f.data.outputId, f.data.organisationId);
    }
    return owners;
  }

  /** For each output, the incidents whose reports name it. */
  async incidentsNaming(outputIds: readonly string[]): Promise<Map<string, string[]>> {
    const named = new Map(outputIds.map((id) => [id, [] as string[]]));
    if (outputIds.length === 0) return named;
    for (const f of await this.factsByKeys(outputIds.map((id) => subjectOf('output', id)))) {
      if (f.name === 'incident.reported') for (const id of f.data.outputIds) named.get(id)?.push(f.data.incidentId);
    }
    return named;
  }

  /** The entries with these seqs, in log order. */
  entries(seqs: readonly number[]): Promise<RecordedEntry[]> {
    return new EntriesRepository(this.manager).bySeqs(seqs);
  }

  /** RFC 9162 inclusion proofs of each seq in the tree of `treeSize`, from one query for every node. */
  async inclusionProofs(seqs: readonly number[], treeSize: number): Promise<Map<number, Buffer[]>> {
    const ids: NodeId[] = seqs.flatMap((seq) => nodesForInclusionProof(seq, treeSize));
    const unique = [...new Map(ids.map((id) => [nodeKey(id), id])).values()];
    const nodes = await new TreeRepository(this.manager).readNodes(unique);
    return new Map(seqs.map((seq) => [seq, buildInclusionProof(seq, treeSize, nodes)]));
  }
}
