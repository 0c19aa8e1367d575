import type { DataSource } from 'typeorm';
import type { RebuildableProjection } from '../../accountability/application/projection-rebuild';
import { OVERSIGHT_PROJECTION } from '../infrastructure/oversight.repository';
import { applyOversightPage } from './oversight.projection';

/** The oversight projection as `ledger rebuild` sees it (rebuildProjection). */
export function oversightProjection(dataSource: DataSource): RebuildableProjection {
  return {
    name: OVERSIGHT_PROJECTION,
    tables: ['outputs', 'actions', 'incidents', 'pending', 'people', 'cells', 'weeks'].map((t) => `oversight_${t}`),
    applyPage: (manager, target, page) => applyOversightPage(dataSource, manager, page.pageSize, target, page.beforeSeq, page.read),
  };
}
