import { serviceSchema } from '@aal/database';
import { Log1732500000000 } from './migrations/1732500000000-log';
import { Projections1732500000001 } from './migrations/1732500000001-projections';
import { TreeAndCheckpoints1732500000002 } from './migrations/1732500000002-tree-and-checkpoints';
import { BackfillTree1732500000003 } from './migrations/1732500000003-backfill-tree';
import { PositionsPerCluster1732500000004 } from './migrations/1732500000004-positions-per-cluster';
import { FactsByRecordedTime1734000000001 } from './migrations/1734000000001-facts-by-recorded-time';
import { Investigations1734100000001 } from './migrations/1734100000001-investigations';
import { Cosignatures1734200000001 } from './migrations/1734200000001-cosignatures';
import { FactsAsIndex1734300000001 } from './migrations/1734300000001-facts-as-index';
import { Oversight1734500000001 } from './migrations/1734500000001-oversight';
import { OversightServices1734600000001 } from './migrations/1734600000001-oversight-services';
import { AnswerLookups1734700000001 } from './migrations/1734700000001-answer-lookups';
import { Retention1735200000001 } from './migrations/1735200000001-retention';
import { ProjectionRebuild1735300000001 } from './migrations/1735300000001-projection-rebuild';
import { RebuildKeysAtEnd1735300000002 } from './migrations/1735300000002-rebuild-keys-at-end';
import { LEDGER_RETENTION } from './ledger.retention';

export const LEDGER_SCHEMA = serviceSchema(
  'ledger',
  [
    Log1732500000000,
    Projections1732500000001,
    TreeAndCheckpoints1732500000002,
    BackfillTree1732500000003,
    PositionsPerCluster1732500000004,
    FactsByRecordedTime1734000000001,
    Investigations1734100000001,
    Cosignatures1734200000001,
    FactsAsIndex1734300000001,
    Oversight1734500000001,
    OversightServices1734600000001,
    AnswerLookups1734700000001,
    Retention1735200000001,
    ProjectionRebuild1735300000001,
    RebuildKeysAtEnd1735300000002,
  ],
  LEDGER_RETENTION,
);
