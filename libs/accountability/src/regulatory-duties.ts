import type { CatalogueName } from '@aal/contracts';
import type { FindingCode } from './findings';
import type { OversightFindingCode } from './oversight-findings';

/**
 * A regulatory duty, the events that record it being met, the route that proves it, and the
 * findings that flag it missed. Typed against the catalogue and the findings table, so a renamed
 * event or finding fails to compile here. The source of docs/regulatory.md for these duties.
 */
export interface RegulatoryDuty {
  /** Stable id of the duty, e.g. `eu-ai-act-art73-report`. */
  readonly id: string;
  /** The instrument and provision, e.g. `EU AI Act (Regulation (EU) 2024/1689) Art. 73(1)–(4)`. */
  readonly source: string;
  /** Who owes it. */
  readonly dutyHolder: 'provider' | 'deployer' | 'manufacturer';
  /** The duty in one sentence. */
  readonly duty: string;
  /** Catalogue names of the events that record it. */
  readonly events: readonly CatalogueName[];
  /** The ledger routes that prove it (method and path). */
  readonly routes: readonly string[];
  /** The findings that flag it missed or late (an output's, a concern's, an incident's or a deployment's oversight). */
  readonly findings: readonly (FindingCode | OversightFindingCode)[];
  /** What the ledger does not record or flag of this duty yet, said plainly (docs/regulatory.md prints it). */
  readonly notRecorded?: string;
}

const CLOCK_ROUTES = ['GET /incidents/{incidentId}/reporting-clock', 'GET /cases/{caseId}/incident/reporting-clock'];

/** The serious-incident reporting duties (issue #15 part 3; rules and periods: docs/incidents.md). */
export const INCIDENT_REPORTING_DUTIES: readonly RegulatoryDuty[] = [
  {
    id: 'eu-ai-act-art26-inform-provider',
    source: 'EU AI Act (Regulation (EU) 2024/1689) Art. 26(5), with Art. 73(1)',
    dutyHolder: 'deployer',
    duty: 'A deployer that identifies a serious incident informs the provider without undue delay (the hours the deployer uses are recorded when it classifies the incident).',
    events: ['incident.classified', 'incident.provider-informed'],
    routes: CLOCK_ROUTES,
    findings: ['INCIDENT.PROVIDER_NOT_INFORMED', 'INCIDENT.PROVIDER_INFORMED_LATE'],
  },
  {
    id: 'eu-ai-act-art73-report',
    source: 'EU AI Act (Regulation (EU) 2024/1689) Art. 73(1)–(4)',
    dutyHolder: 'provider',
    duty: 'The provider of a high-risk AI system reports a serious incident to the market surveillance authority of the member state where it occurred: within 15 days of becoming aware, 10 days for a death, 2 days for a widespread infringement or a serious and irreversible disruption of critical infrastructure.',
    events: ['incident.classified', 'incident.provider-aware', 'incident.provider-informed', 'incident.authority-reported'],
    routes: CLOCK_ROUTES,
    findings: ['INCIDENT.AUTHORITY_REPORT_MISSING', 'INCIDENT.AUTHORITY_REPORT_LATE'],
  },
  {
    id: 'uk-mdr-vigilance-mhra-report',
    source:
      'UK MDR 2002 as amended by the Medical Devices (Post-market Surveillance Requirements) (Amendment) (Great Britain) Regulations 2024, reg. 44ZM; MHRA guidance on vigilance',
    dutyHolder: 'manufacturer',
    duty: 'The manufacturer of a medical device reports a serious incident to the MHRA: within 2 days for a serious public health threat, 10 days for a death or an unanticipated serious deterioration in health, 15 days otherwise.',
    events: [
      'model.registered',
      'incident.classified',
      'incident.provider-aware',
      'incident.provider-informed',
      'incident.authority-reported',
    ],
    routes: CLOCK_ROUTES,
    findings: ['INCIDENT.MHRA_REPORT_MISSING', 'INCIDENT.MHRA_REPORT_LATE'],
  },
];
