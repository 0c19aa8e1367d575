import { RecommendationRecordedV1 } from '@aal/contracts';
import { Type } from '@sinclair/typebox';
import { AccountabilityAnswer as ComputedAccountabilityAnswer } from '@aal/accountability';
import { provenAnswerSchema } from '../../accountability/application/proven-answer';
import { OversightContext } from '../../oversight/application/oversight.query';

/**
 * What the case and recommendation routes answer (OpenAPI). The members clients
 * rely on are stated; the answers' types live in the application and libs/accountability, so
 * other members are allowed beside them.
 */
const open = { additionalProperties: true } as const;
const Seq = Type.Integer({ minimum: 0 });
const at = Type.String({ format: 'date-time' });
const Person = Type.Object({ organisationId: Type.String(), personId: Type.String() }, open);

const caseExample = {
  caseId: '2b7c9d10-0b9f-4c2e-9a55-6f1f3c1a4d8e',
  title: 'Sepsis alert overridden on ward 7',
  status: 'open',
  organisationId: 'st-marys-trust',
  outputIds: ['out-2026-000042'],
  openedBy: { organisationId: 'st-marys-trust', personId: 'inv-1', role: 'investigator' },
  openedAt: '2026-03-02T09:00:00.000Z',
  openedAgainst: { treeSize: 120, rootHash: 'ab'.repeat(32) },
  investigators: [{ organisationId: 'st-marys-trust', personId: 'inv-1' }],
};

export const CaseAnswer = Type.Object(
  {
    caseId: Type.String({ format: 'uuid' }),
    title: Type.String(),
    status: Type.String(),
    organisationId: Type.String(),
    incidentId: Type.Optional(Type.String({ format: 'uuid' })),
    outputIds: Type.Optional(Type.Array(Type.String())),
    openedBy: Person,
    openedAt: at,
    openedAgainst: Type.Object({}, { ...open, description: 'The checkpoint the case was opened against.' }),
    investigators: Type.Array(Person),
    closedAt: Type.Optional(at),
    hold: Type.Optional(Type.Object({}, { ...open, description: 'The legal hold, while one is placed.' })),
  },
  { ...open, description: 'The case.', examples: [caseExample] },
);

export const TimelineAnswer = Type.Object(
  {
    caseId: Type.String({ format: 'uuid' }),
    knownAt: Type.Union([Seq, Type.Null()]),
    outputIds: Type.Array(Type.String()),
    entries: Type.Array(Type.Object({ seq: Seq }, open)),
    logSize: Seq,
  },
  {
    ...open,
    description: "The case's related entries, oldest first, as the ledger knew them at `knownAt`.",
    examples: [{ caseId: caseExample.caseId, knownAt: null, outputIds: ['out-2026-000042'], entries: [], logSize: 120 }],
  },
);

export const CaseBundleAnswer = Type.Object(
  {
    format: Type.String({ description: 'aal-case-export/v2 (libs/verifier reads v1 too).' }),
    origin: Type.String(),
    verifierKey: Type.String(),
    exportedAt: at,
    checkpoint: Type.Object({ treeSize: Seq, rootHash: Type.String(), note: Type.String() }, open),
    entries: Type.Array(Type.Object({ seq: Seq, inclusionProof: Type.Array(Type.String()) }, open)),
    case: Type.Object({ caseId: Type.String({ format: 'uuid' }) }, open),
  },
  { ...open, description: 'The case export, verifiable offline with the verifier key (libs/verifier, docs/verifying.md).' },
);

export const CaseAccountabilityAnswer = provenAnswerSchema(
  ComputedAccountabilityAnswer,
  { description: "The output's accountability chain, read within the case (the read is recorded), and the oversight around it." },
  { oversightContext: OversightContext },
);

export const RecommendationRecordedAnswer = Type.Object(
  {
    caseId: Type.String({ format: 'uuid' }),
    recommendationId: Type.String({ format: 'uuid' }),
    addressee: RecommendationRecordedV1.schema.properties.addressee,
    dueBy: RecommendationRecordedV1.schema.properties.dueBy,
    status: Type.Literal('recorded'),
  },
  {
    additionalProperties: false,
    description: 'The recommendation recorded.',
    examples: [
      {
        caseId: caseExample.caseId,
        recommendationId: '4d8e9a55-6f1f-4b7c-9d10-0b9f4c2e3c1a',
        addressee: { party: 'vendor', organisationId: 'acme-clinical-ai' },
        dueBy: '2026-04-01T00:00:00.000Z',
        status: 'recorded',
      },
    ],
  },
);

export const RecommendationResponseAnswer = Type.Object(
  { caseId: Type.String({ format: 'uuid' }), recommendationId: Type.String({ format: 'uuid' }), status: Type.String() },
  { additionalProperties: false, description: "The recommendation's status after the response." },
);

export const RecommendationListAnswer = Type.Object(
  {
    caseId: Type.String({ format: 'uuid' }),
    asOf: at,
    recurringPatternIncidents: Type.Integer({ minimum: 1 }),
    addressee: Type.Optional(Type.String()),
    recommendations: Type.Array(Type.Object({ recommendationId: Type.String({ format: 'uuid' }), status: Type.String() }, open)),
    findings: Type.Array(Type.Object({ code: Type.String(), evidence: Type.Array(Seq) }, open)),
    logSize: Seq,
  },
  { ...open, description: "The case's recommendations as they stood at `asOf`, with their findings." },
);

/** The case report (HTML) and the replay (NDJSON, one entry a line). */
export const CaseReportHtml = Type.String({ description: 'A self-contained HTML report of the verified case export.' });
export const ReplayLines = Type.String({ description: 'Newline-delimited JSON: one related entry a line, oldest first.' });
