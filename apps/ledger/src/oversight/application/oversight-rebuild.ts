import type { DataSource } from 'typeorm';
import type { RebuildableProjection } from '../../accountability/application/facts-rebuild';
import { OversightRepository } from '../infrastructure/oversight.repository';
import { applyOversightPage } from './oversight.projection';

/** The oversight projection as `ledger rebuild` sees it (rebuildProjection). */
export function oversightProjection(dataSource: DataSource): RebuildableProjection {
  return {
    name: 'oversight',
    position: (manager) => new OversightRepository(manager).position(),
    clear: (manager) => new OversightRepository(manager).clear(),
    applyNextPage: (manager) => applyOversightPage(dataSource, manager),
  };
}
