import {
  ModelRegisteredV1,
  ModelSafetyNoticeIssuedV1,
  ModelSafetyNoticeResolvedV1,
  ModelVersionReleasedV1,
  ModelVersionWithdrawnV1,
  Timestamp,
} from '@aal/contracts';
import { Type } from '@sinclair/typebox';

/** Request bodies are cut from the event schemas, so the API and the events cannot drift. */
const strict = { additionalProperties: false } as const;

export const RegisterModelRequest = Type.Pick(
  ModelRegisteredV1.schema,
  ['name', 'intendedPurpose', 'riskClass', 'manufacturerSafetyOfficer'],
  strict,
);

export const ReleaseVersionRequest = Type.Pick(
  ModelVersionReleasedV1.schema,
  [
    'version',
    'artifactDigest',
    'intendedUse',
    'contraindications',
    'knownLimitations',
    'evidenceRefs',
    'hazardLogRef',
    'instructionsForUseVersion',
  ],
  strict,
);

export const IssueSafetyNoticeRequest = Type.Pick(
  ModelSafetyNoticeIssuedV1.schema,
  ['affectedVersionIds', 'severity', 'summary', 'requiredAction', 'actionDeadline'],
  strict,
);

export const ResolveSafetyNoticeRequest = Type.Pick(ModelSafetyNoticeResolvedV1.schema, ['resolution'], strict);

export const WithdrawVersionRequest = Type.Object(
  {
    reason: ModelVersionWithdrawnV1.schema.properties.reason,
    effectiveAt: Type.Optional(Timestamp),
  },
  strict,
);

export const IdParam = Type.String({ format: 'uuid' });

export const ListQuery = Type.Object(
  {
    vendorId: Type.Optional(ModelRegisteredV1.schema.properties.vendorId),
    limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]?|100)$', description: '1-100, default 50' })),
    offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })),
  },
  strict,
);
