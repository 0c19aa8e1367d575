import { AuthModule } from '@aal/auth';
import { appDataSourceOptions, urlForRole } from '@aal/database';
import {
  HealthController,
  Metrics,
  MetricsModule,
  postgresReadiness,
  READINESS_CHECKS,
  RetentionJob,
  retentionSettingsFromEnv,
  systemClock,
  type ReadinessCheck,
} from '@aal/service-kit';
import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccountabilityModule } from './accountability/accountability.module';
import { FactsProjector } from './accountability/application/facts.projector';
import { SelfAudit } from './accountability/application/self-audit';
import type { LedgerConfig } from './config';
import { LEDGER_SCHEMA } from './database/ledger.schema';
import { IntakeModule } from './intake/intake.module';
import { HeldSubjectsQuery } from './investigations/application/held-subjects.query';
import { InvestigationsModule } from './investigations/investigations.module';
import { InvestigatorWebModule } from './investigator-web/investigator-web.module';
import { LedgerConfigModule } from './ledger-config.module';
import { LEDGER_KAFKA_READINESS, LedgerKafkaModule } from './ledger-kafka.module';
import { CheckpointPublisher } from './log/application/checkpoint.publisher';
import { WitnessSubmitter } from './log/application/witness.submitter';
import { LogModule } from './log/log.module';
import { OversightProjector } from './oversight/application/oversight.projector';
import { OversightModule } from './oversight/oversight.module';

/** The ledger: shared infrastructure, the features, and the readiness check over all of them. */
@Module({})
export class AppModule {
  static register(config: LedgerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot(appDataSourceOptions(config.database, LEDGER_SCHEMA)),
        CqrsModule.forRoot(),
        MetricsModule.forRoot('ledger'),
        AuthModule.forRoot(config.auth),
        LedgerConfigModule.forRoot(config),
        LedgerKafkaModule.forRoot(config),
        IntakeModule,
        LogModule,
        AccountabilityModule,
        OversightModule,
        InvestigationsModule.register(config),
        InvestigatorWebModule,
      ],
      controllers: [HealthController],
      providers: [
        {
          // Rejections and the ledger's outbox: never a row a legal hold freezes, never the log (docs/retention.md).
          provide: RetentionJob,
          useFactory: (metrics: Metrics, held: HeldSubjectsQuery) =>
            new RetentionJob({
              schema: LEDGER_SCHEMA,
              connectionString: urlForRole(config.database.adminUrl, LEDGER_SCHEMA.appRole, config.database.appPassword),
              settings: config.retention ?? retentionSettingsFromEnv(LEDGER_SCHEMA, {}),
              clock: systemClock,
              metrics,
              heldSubjects: () => held.subjects(),
            }),
          inject: [Metrics, HeldSubjectsQuery],
        },
        {
          provide: READINESS_CHECKS,
          useFactory: (
            ds: DataSource,
            kafka: ReadinessCheck,
            projector: FactsProjector,
            checkpoints: CheckpointPublisher,
            witnesses: WitnessSubmitter,
            audit: SelfAudit,
            oversight: OversightProjector,
          ): ReadinessCheck[] => [
            postgresReadiness(ds),
            kafka,
            {
              name: 'projections',
              check: async () => {
                if (projector.lastError) throw new Error(`facts projection failing: ${projector.lastError}`);
                if (oversight.lastError) throw new Error(`oversight projection failing: ${oversight.lastError}`);
              },
            },
            {
              name: 'checkpoints',
              check: async () => {
                if (checkpoints.lastError) throw new Error(`checkpoint signing failing: ${checkpoints.lastError}`);
              },
            },
            // Advisory: a witness behind shows as degraded, never as not ready (appends go on).
            witnesses.readiness(),
            {
              // The ledger still serves, but what it serves disagrees with its own log somewhere.
              name: 'self-audit',
              advisory: true,
              check: async () => {
                const first = audit.lastMismatches[0];
                if (first)
                  throw new Error(
                    `${audit.lastMismatches.length} mismatch(es); first: output ${first.outputId ?? '-'} at seq ${first.seq ?? '-'}: ${first.detail}`,
                  );
              },
            },
          ],
          inject: [
            DataSource,
            LEDGER_KAFKA_READINESS,
            FactsProjector,
            CheckpointPublisher,
            WitnessSubmitter,
            SelfAudit,
            OversightProjector,
          ],
        },
      ],
    };
  }
}
