import type { DataSource } from 'typeorm';
import type { RebuildableProjection } from '../../accountability/application/projection-rebuild';
import { OVERSIGHT_PROJECTION } from '../infrastructure/oversight.repository';
import { applyOversightFacts, type Relevant, relevantFacts } from './oversight.projection';

/** The oversight projection as `ledger rebuild` sees it (rebuildProjection): a page reads the outputs and pending actions it holds. */
export function oversightProjection(dataSource: DataSource): RebuildableProjection<Relevant[]> {
  return {
    name: OVERSIGHT_PROJECTION,
    tables: ['outputs', 'actions', 'incidents', 'pending', 'people', 'cells', 'weeks'].map((t) => `oversight_${t}`),
    readsItself: true,
    decode: relevantFacts,
    write: (manager, target, facts, page) => applyOversightFacts(dataSource, manager, target, facts, page),
  };
}
