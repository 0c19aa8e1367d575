import { evidenceSeqs, relatedSeqs } from '@aal/accountability';
import { subjectOf } from '@aal/contracts';
import type { CaseFinding } from '@aal/verifier';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { OpenCaseState } from '../domain/case.decider';
import { AccountabilityReader, type OutputAccountability } from '../infrastructure/accountability.reader';
import { CaseEntriesRepository } from '../infrastructure/case-entries.repository';

/** The entries related to a case, and the accountability answers that relate them. */
export interface RelatedEntries {
  readonly outputIds: readonly string[];
  readonly accountability: readonly OutputAccountability[];
  readonly findings: readonly CaseFinding[];
  /** Ascending. */
  readonly seqs: readonly number[];
}

/**
 * What a case is about in the log: its outputs (the incident report's, or the ones named), every
 * entry the accountability answer for those outputs cites or rests on, the entries about those
 * outputs and the incident, its mandates and the case's own events. Its own class so that the
 * ledger CLI's retention command asks what a legal hold freezes exactly as the service does,
 * without the export's checkpoint signer. Reads only.
 */
@Injectable()
export class CaseRelatedQuery {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accountability: AccountabilityReader,
  ) {}

  /** Related entries as the ledger knew them at `knownAt` (a seq), or now. */
  async related(state: OpenCaseState, knownAt?: number): Promise<RelatedEntries> {
    const repository = new CaseEntriesRepository(this.dataSource.manager);
    const known = (seq: number) => knownAt === undefined || seq <= knownAt;
    const findings: CaseFinding[] = [];
    let outputIds: string[];
    let incidentSeqs: number[] = [];
    if (state.scope.kind === 'incident') {
      const reports = (await repository.incidentReports(state.scope.incidentId)).filter((r) => known(r.seq));
      incidentSeqs = reports.map((r) => r.seq);
      outputIds = [...new Set(reports.flatMap((r) => r.outputIds))];
      if (reports.length === 0) {
        findings.push({
          code: 'CASE.INCIDENT_NOT_IN_LEDGER',
          title: `Incident ${state.scope.incidentId} is not in the ledger`,
          detail: `the ledger holds no incident.reported for incident ${state.scope.incidentId}${knownAt === undefined ? '' : ` up to seq ${knownAt}`}`,
          evidence: [],
        });
      }
    } else {
      outputIds = [...state.scope.outputIds];
    }
    const accountability = await this.accountability.chainsOf(outputIds, knownAt);
    for (const a of accountability) {
      if (a.problem)
        findings.push({
          outputId: a.outputId,
          code: 'CASE.OUTPUT_NOT_IN_LEDGER',
          title: `Output ${a.outputId} is not in the ledger`,
          detail: a.problem.detail,
          evidence: [],
        });
      for (const f of a.findings) findings.push(normaliseFinding(a.outputId, f));
    }
    // The mandates the case was opened under are part of its record: who gave the authority, when.
    const mandateKeys = (state.basis ?? []).flatMap((b) => (b.by === 'mandate' ? b.mandateIds.map((id) => subjectOf('mandate', id)) : []));
    const keys = [
      subjectOf('case', state.caseId),
      ...outputIds.map((id) => subjectOf('output', id)),
      ...(state.scope.kind === 'incident' ? [subjectOf('incident', state.scope.incidentId)] : []),
      ...mandateKeys,
    ];
    // Every entry an answer was computed from travels with it, so a verifier can recompute it.
    const seqs = relatedSeqs(
      [
        await repository.seqsByKeys(keys),
        incidentSeqs,
        ...accountability.map((a) => evidenceSeqs(a.chain)),
        ...accountability.map((a) => a.basisSeqs),
        // Other cases' recommendations that link a finding this case's link, for the recurring pattern.
        (await repository.recommendationFacts(state.caseId)).map((f) => f.seq),
      ],
      knownAt,
    );
    return { outputIds, accountability, findings: findings.map((f) => ({ ...f, evidence: f.evidence.filter(known) })), seqs };
  }
}

/** A chain finding (owned by the accountability feature) in the bundle's terms; unknown shapes keep what they say. */
function normaliseFinding(outputId: string, raw: unknown): CaseFinding {
  const f = (typeof raw === 'object' && raw !== null ? raw : { detail: raw }) as Record<string, unknown>;
  const str = (...keys: string[]) => keys.map((k) => f[k]).find((v): v is string => typeof v === 'string');
  const code = str('code', 'kind', 'type') ?? 'FINDING';
  return {
    outputId,
    code,
    title: str('title', 'summary', 'statement') ?? code,
    detail: str('detail', 'statement', 'description', 'explanation') ?? '',
    evidence: Array.isArray(f['evidence']) ? f['evidence'].filter((n): n is number => Number.isSafeInteger(n)) : [],
  };
}
