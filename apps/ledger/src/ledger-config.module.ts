import { Module, type DynamicModule } from '@nestjs/common';
import type { LedgerConfig } from './config';

export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');

/**
 * The ledger's configuration, for every feature module to take its own settings from (as the
 * producers' features take theirs from ProducerKitModule), so that feature modules stay static:
 * one instance each, however many modules import them.
 */
@Module({})
export class LedgerConfigModule {
  static forRoot(config: LedgerConfig): DynamicModule {
    return {
      module: LedgerConfigModule,
      global: true,
      providers: [{ provide: LEDGER_CONFIG, useValue: config }],
      exports: [LEDGER_CONFIG],
    };
  }
}
