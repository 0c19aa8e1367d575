import { subjectOf } from '@aal/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseEntriesRepository } from '../infrastructure/case-entries.repository';
import { CaseEvidenceQuery } from './case-evidence.query';

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
    private readonly evidence: CaseEvidenceQuery,
  ) {}

  async subjects(): Promise<string[]> {
    const repository = new CaseEntriesRepository(this.dataSource.manager);
    const held = new Set<string>();
    for (const state of await repository.casesUnderHold()) {
      held.add(subjectOf('case', state.caseId));
      for (const subject of await repository.subjectsOf((await this.evidence.related(state)).seqs)) held.add(subject);
    }
    return [...held].sort();
  }
}
