import { parseVerifierKey } from '@aal/ledger-core';
import { asciiJson, CASE_BUNDLE_FORMAT, caseBundleReport, type CaseBundle, type CaseBundleEntry } from '@aal/verifier';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CheckpointPublisher } from '../../log/application/checkpoint.publisher';
import { entryJson } from '../../log/application/entry-json';
import { caseRecommendations, decodeFact, entryData, shareAnswerValues, timelineEntry, type TimelineEntry } from '@aal/accountability';
import type { OpenCaseState } from '../domain/case.decider';
import { caseErrors } from '../domain/case.errors';
import { CaseEntriesRepository } from '../infrastructure/case-entries.repository';
import { CaseRelatedQuery, type RelatedEntries } from './case-related.query';
import type { RecordedEntry } from '../../log/infrastructure/entries.repository';

/** What the ledger says about itself in exports: its origin, the key to pin, producers' event keys. */
export interface InvestigationSettings {
  readonly origin: string;
  readonly verifierKey: string;
  /** Producers' event-signing public keys, once events are signed (later issue); empty until then. */
  readonly eventSigningKeys: ReadonlyArray<{ readonly producer: string; readonly key: string }>;
  /** The threshold of PATTERN.RECURRING_FINDING (RECURRING_PATTERN_INCIDENTS). */
  readonly recurringPatternIncidents: number;
}

export const INVESTIGATION_SETTINGS = Symbol('INVESTIGATION_SETTINGS');

/** Entries fetched per query when streaming: bounds memory whatever the case's size. */
export const REPLAY_PAGE = 200;

/** A case export: the bundle as the ASCII JSON text sent (asciiJson of a CaseBundle), and its report's HTML. */
export interface CaseExport {
  readonly json: string;
  readonly reportHtml: string;
}

/** A case as its investigators (and its export's claims) see it. */
export function caseView(state: OpenCaseState) {
  return {
    caseId: state.caseId,
    title: state.title,
    status: state.status,
    organisationId: state.organisationId,
    ...(state.scope.kind === 'incident' ? { incidentId: state.scope.incidentId } : { outputIds: [...state.scope.outputIds] }),
    openedBy: state.openedBy,
    openedAt: state.openedAt,
    openedAgainst: state.openedAgainst,
    ...(state.basis ? { basis: state.basis } : {}),
    investigators: state.investigators,
    ...(state.closedAt ? { closedAt: state.closedAt } : {}),
    ...(state.hold ? { hold: state.hold } : {}),
  };
}

/**
 * A case's timeline, replay and export, read from the log over its related entries (CaseRelatedQuery).
 * Reads only; the caller has recorded the read and checked access first.
 */
@Injectable()
export class CaseEvidenceQuery {
  constructor(
    private readonly dataSource: DataSource,
    private readonly relatedEntries: CaseRelatedQuery,
    private readonly checkpoints: CheckpointPublisher,
    @Inject(INVESTIGATION_SETTINGS) private readonly settings: InvestigationSettings,
  ) {}

  private get repository() {
    return new CaseEntriesRepository(this.dataSource.manager);
  }

  logSize(): Promise<number> {
    return this.repository.logSize();
  }

  async latestCheckpoint() {
    return this.repository.latestCheckpoint();
  }

  /** The case's outputs: the ones it names, or those of its incident's reports. */
  async outputIds(state: OpenCaseState): Promise<string[]> {
    if (state.scope.kind === 'outputs') return [...state.scope.outputIds];
    const reports = await this.repository.incidentReports(state.scope.incidentId);
    return [...new Set(reports.flatMap((r) => r.outputIds))];
  }

  async timeline(state: OpenCaseState, knownAt?: number) {
    const related = await this.relatedEntries.related(state, knownAt);
    const entries: TimelineEntry[] = [];
    for (let i = 0; i < related.seqs.length; i += REPLAY_PAGE) {
      entries.push(...(await this.repository.entries(related.seqs.slice(i, i + REPLAY_PAGE))).map(timelineEntry));
    }
    return { caseId: state.caseId, knownAt: knownAt ?? null, outputIds: related.outputIds, entries };
  }

  /**
   * The case's related entries from `from` to `to` (seqs, inclusive) as NDJSON lines, one query
   * per page of REPLAY_PAGE entries, each page fetched only when the consumer asks for more.
   */
  async *replay(seqs: readonly number[]): AsyncGenerator<string> {
    for (let i = 0; i < seqs.length; i += REPLAY_PAGE) {
      const page = await this.repository.entries(seqs.slice(i, i + REPLAY_PAGE));
      yield page.map((e) => `${JSON.stringify(replayLine(e))}\n`).join('');
    }
  }

  /**
   * The case's export: its related entries with inclusion proofs against one signed checkpoint that
   * covers them all, the checkpoint, the keys, the chain and findings, and the printable report.
   * If the latest checkpoint does not cover the case yet (checkpoints follow appends by about a
   * second), one is signed now. The export is written as ASCII JSON once: the self-check parses
   * that text, and the report is appended to it as its last member.
   */
  async bundle(state: OpenCaseState, exportedAt: string): Promise<CaseExport> {
    const related = await this.relatedEntries.related(state);
    const last = related.seqs[related.seqs.length - 1] ?? -1;
    let checkpoint = await this.repository.latestCheckpoint();
    if (!checkpoint || checkpoint.treeSize <= last) {
      await this.checkpoints.publishNow();
      checkpoint = await this.repository.latestCheckpoint();
    }
    if (!checkpoint || checkpoint.treeSize <= last) throw caseErrors.checkpointPending(state.caseId, last);
    const treeSize = checkpoint.treeSize;
    const entries = await this.repository.entries(related.seqs);
    const proofs = await this.repository.inclusionProofs(related.seqs, treeSize);
    const withoutReport = {
      format: CASE_BUNDLE_FORMAT,
      origin: this.settings.origin,
      verifierKey: this.settings.verifierKey,
      eventSigningKeys: this.settings.eventSigningKeys,
      exportedAt,
      checkpoint: {
        id: checkpoint.id,
        treeSize,
        rootHash: checkpoint.rootHash.toString('hex'),
        note: checkpoint.note,
        createdAt: checkpoint.createdAt,
      },
      entries: entries.map((e): CaseBundleEntry => ({ ...entryJson(e), inclusionProof: proofs.get(e.seq)!.map((h) => h.toString('hex')) })),
      notCovered: [],
      case: { ...caseView(state), relatedOutputs: related.outputIds },
      // Each value the answers share (the model, version, deployment, policies of one deployment) is written once.
      ...answersOf(related, treeSize, checkpoint.rootHash.toString('hex')),
      findings: related.findings,
      // Computed from the very entries the bundle carries, at the export time, so a verifier recomputes the same.
      recommendations: caseRecommendations(
        state.caseId,
        entries.flatMap((e) => decodeFact(e) ?? []),
        {
          asOf: exportedAt,
          recurringPatternIncidents: this.settings.recurringPatternIncidents,
        },
      ),
    } as const;
    const text = asciiJson(withoutReport);
    // The ledger checks its own bundle the way an outsider will, from the text it sends, and the
    // report shows what that proved, rendered by the code ledger-verify --bundle renders it again with.
    const html = caseBundleReport(JSON.parse(text) as CaseBundle, {
      key: parseVerifierKey(this.settings.verifierKey),
      origin: this.settings.origin,
    });
    const report: CaseBundle['report'] = { mediaType: 'text/html', html };
    return { json: `${text.slice(0, -1)},"report":${asciiJson(report)}}`, reportHtml: html };
  }
}

/**
 * The export's answers, one per output, each with its basis naming the bundle's checkpoint (the
 * one its entries are proven against here), in the compact form: shared values written once.
 */
function answersOf(related: RelatedEntries, treeSize: number, rootHash: string): Pick<CaseBundle, 'accountability' | 'shared'> {
  return shareAnswerValues(
    related.accountability.map((a) => ({
      outputId: a.outputId,
      chain: a.chain && { ...a.chain, basis: { checkpoint: { treeSize, rootHash }, seqs: a.basisSeqs } },
      ...(a.problem ? { problem: a.problem } : {}),
    })),
  );
}

/** One NDJSON line of a replay: the timeline fields, the event's data, and the raw entry to re-hash. */
function replayLine(e: RecordedEntry) {
  return {
    ...timelineEntry(e),
    data: entryData(e.value),
    entry: entryJson(e),
  };
}
