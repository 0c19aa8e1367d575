import { Module } from '@nestjs/common';
import { witnessSettingsFromEnv, type LedgerConfig } from '../config';
import { LEDGER_CONFIG } from '../ledger-config.module';
import { CHECKPOINT_SETTINGS, CheckpointPublisher } from './application/checkpoint.publisher';
import { ProofsQuery } from './application/proofs.query';
import { WITNESS_SETTINGS, WitnessSubmitter } from './application/witness.submitter';
import { EntriesController } from './http/entries.controller';
import { LogController } from './http/log.controller';
import { TilesController } from './http/tiles.controller';

/**
 * The log as readers see it: entries, tiles, signed checkpoints (signed here as entries are
 * appended), witness cosignatures and proofs. Exports the checkpoint publisher (a case export signs
 * one when none covers it yet) and both background workers, whose health the readiness check reads.
 */
@Module({
  controllers: [EntriesController, LogController, TilesController],
  providers: [
    { provide: CHECKPOINT_SETTINGS, useFactory: (config: LedgerConfig) => config.checkpoints, inject: [LEDGER_CONFIG] },
    // No witnesses configured: the defaults of the environment's, with none to ask.
    {
      provide: WITNESS_SETTINGS,
      useFactory: (config: LedgerConfig) => config.witnesses ?? witnessSettingsFromEnv({}),
      inject: [LEDGER_CONFIG],
    },
    CheckpointPublisher,
    ProofsQuery,
    WitnessSubmitter,
  ],
  exports: [CheckpointPublisher, WitnessSubmitter],
})
export class LogModule {}
