import { subjectOf } from '@aal/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { LegalHold } from '../domain/case.decider';
import { CaseEntriesRepository } from '../infrastructure/case-entries.repository';
import { CaseRelatedQuery } from './case-related.query';

/** One case under a legal hold, and the subjects the hold freezes. */
export interface HeldCase {
  readonly caseId: string;
  readonly hold: LegalHold;
  /** The case's own subject and those of every entry related to it, sorted. */
  readonly subjects: readonly string[];
}

/**
 * What a legal hold freezes, as subjects: for every case under hold, the case itself and the
 * subject of every entry related to it (its outputs, its incident, the mandates it was opened
 * under, and every entry its outputs' answers rest on: the same set its export carries). The
 * retention job keeps each row naming one of them (docs/retention.md).
 */
@Injectable()
export class HeldSubjectsQuery {
  constructor(
    private readonly dataSource: DataSource,
    private readonly relatedEntries: CaseRelatedQuery,
  ) {}

  /** Every case under a legal hold now, with what its hold freezes. */
  async cases(): Promise<HeldCase[]> {
    const repository = new CaseEntriesRepository(this.dataSource.manager);
    const held: HeldCase[] = [];
    for (const state of await repository.casesUnderHold()) {
      const subjects = new Set([subjectOf('case', state.caseId)]);
      for (const subject of await repository.subjectsOf((await this.relatedEntries.related(state)).seqs)) subjects.add(subject);
      held.push({ caseId: state.caseId, hold: state.hold!, subjects: [...subjects].sort() });
    }
    return held;
  }

  /** The subjects of every case under a legal hold now, sorted. */
  async subjects(): Promise<string[]> {
    return [...new Set((await this.cases()).flatMap((c) => c.subjects))].sort();
  }
}
