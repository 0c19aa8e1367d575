import type { OpenCaseState } from '../domain/case.decider';
import { subjectOf } from '@aal/contracts';
import { buildInclusionProof, nodeKey, nodesForInclusionProof, type NodeId } from '@aal/ledger-core';
import { patternKeys, type Fact } from '@aal/accountability';
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

  /** The distinct subjects of the entries at `seqs` (read from the log itself). */
  async subjectsOf(seqs: readonly number[]): Promise<string[]> {
    if (seqs.length === 0) return [];
    const rows: Array<{ subject: string }> = await this.manager.query(
      'SELECT DISTINCT subject FROM ledger.entries WHERE seq = ANY($1::bigint[]) ORDER BY subject',
      [seqs],
    );
    return rows.map((r) => r.subject);
  }

  /** The states of the cases under a legal hold now. */
  async casesUnderHold(): Promise<OpenCaseState[]> {
    const rows: Array<{ state: OpenCaseState }> = await this.manager.query(
      "SELECT state FROM ledger.aggregates WHERE aggregate_type = 'case' AND state->'hold' IS NOT NULL ORDER BY aggregate_id",
    );
    return rows.map((r) => r.state);
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

  /**
   * The case's own entries and the recommendation.recorded entries of any case that link a finding
   * code on a version or deployment this case's recommendations link (their pattern keys): what
   * the case's recommendations answer is computed from, in ledger order.
   */
  async recommendationFacts(caseId: string): Promise<Fact[]> {
    const own = await this.factsByKeys([subjectOf('case', caseId)]);
    const keys = [
      ...new Set(
        own.flatMap((f) => (f.name === 'recommendation.recorded' && f.data.caseId === caseId ? patternKeys(f.data.arisesFrom) : [])),
      ),
    ];
    if (keys.length === 0) return own;
    const ownSeqs = new Set(own.map((f) => f.seq));
    const linked = (await this.factsByKeys(keys)).filter((f) => !ownSeqs.has(f.seq));
    return [...own, ...linked].sort((a, b) => a.seq - b.seq);
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
