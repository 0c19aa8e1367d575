import { DEFAULT_RECURRING_PATTERN_INCIDENTS } from '@aal/accountability';
import type { KafkaClient } from '@aal/kafka';
import { topicNames } from '@aal/contracts';
import { verifierKeyString } from '@aal/ledger-core';
import { AggregateStore, CLOCK, systemClock } from '@aal/service-kit';
import { Module, type DynamicModule } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { AccountabilityModule } from '../accountability/accountability.module';
import type { LedgerConfig } from '../config';
import { LEDGER_KAFKA } from '../intake/infrastructure/ledger-consumer';
import { LogModule } from '../log/log.module';
import { OversightModule } from '../oversight/oversight.module';
import { CaseEvidenceQuery, INVESTIGATION_SETTINGS, type InvestigationSettings } from './application/case-evidence.query';
import { CASE_STORE, CasesService } from './application/cases.service';
import { CaseRelatedQuery } from './application/case-related.query';
import { RecommendationsQuery } from './application/recommendations.query';
import { HeldSubjectsQuery } from './application/held-subjects.query';
import { CasesController } from './http/cases.controller';
import { MandatesController } from './http/mandates.controller';
import { RecommendationsController } from './http/recommendations.controller';
import { MandatesService } from './application/mandates.service';
import { AccountabilityReader } from './infrastructure/accountability.reader';
import { caseEventSigningKey, publicEventKeys, trustingOwnCaseEvents } from './infrastructure/case-event-key';
import { LedgerOutboxRelay } from './infrastructure/ledger-outbox.relay';

/**
 * Investigations (issue #7): mandates (issue #11), cases, their recorded reads, timeline, streaming replay, export
 * bundle and report. The ledger is a producer here: case events go through its own outbox to its
 * own topic and come back through the intake, never straight into the log.
 */
@Module({})
export class InvestigationsModule {
  static register(config: LedgerConfig): DynamicModule {
    const { signer, origin } = config.checkpoints;
    const signingKey = caseEventSigningKey(config);
    const settings: InvestigationSettings = {
      origin,
      verifierKey: verifierKeyString(signer.name, signer.publicKey),
      eventSigningKeys: publicEventKeys(trustingOwnCaseEvents(config.eventKeys, signingKey)),
      recurringPatternIncidents: config.recurringPatternIncidents ?? DEFAULT_RECURRING_PATTERN_INCIDENTS,
    };
    const source = `/aal/ledger/${process.env['INSTANCE_ID'] ?? hostname()}`;
    return {
      module: InvestigationsModule,
      // The chain of each case output, a checkpoint signed on demand for an export, and the oversight of the case's deployments.
      imports: [AccountabilityModule, LogModule, OversightModule],
      controllers: [CasesController, MandatesController, RecommendationsController],
      providers: [
        { provide: INVESTIGATION_SETTINGS, useValue: settings },
        { provide: CLOCK, useValue: systemClock },
        {
          provide: CASE_STORE,
          useFactory: (ds: DataSource) =>
            new AggregateStore(ds, 'ledger', topicNames(config.kafka.topicPrefix).events.ledger, { source, newId: randomUUID, signingKey }),
          inject: [DataSource],
        },
        {
          provide: LedgerOutboxRelay,
          useFactory: (kafka: KafkaClient) => new LedgerOutboxRelay(kafka, config.database),
          inject: [LEDGER_KAFKA],
        },
        AccountabilityReader,
        CaseRelatedQuery,
        CaseEvidenceQuery,
        CasesService,
        RecommendationsQuery,
        MandatesService,
        HeldSubjectsQuery,
      ],
      // The retention job asks it what a legal hold freezes.
      exports: [HeldSubjectsQuery],
    };
  }
}
