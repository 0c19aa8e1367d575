import {
  ModelRegisteredV1,
  ModelSafetyNoticeIssuedV1,
  ModelSafetyNoticeResolvedV1,
  ModelVersionReleasedV2,
  ModelVersionWithdrawnV1,
  Timestamp,
} from '@aal/contracts';
import { RequestValidationError } from '@aal/http';
import { Injectable, type PipeTransform } from '@nestjs/common';
import { Type } from '@sinclair/typebox';

/** Request bodies are cut from the event schemas, so the API and the events cannot drift. */
const strict = { additionalProperties: false } as const;

export const RegisterModelRequest = Type.Pick(
  ModelRegisteredV1.schema,
  ['name', 'intendedPurpose', 'riskClass', 'manufacturerSafetyOfficer'],
  strict,
);

export const ReleaseVersionRequest = Type.Pick(
  ModelVersionReleasedV2.schema,
  [
    'version',
    'artifactDigest',
    'intendedUse',
    'contraindications',
    'intendedPopulation',
    'knownLimitations',
    'evidenceRefs',
    'hazardLogRef',
    'instructionsForUseVersion',
  ],
  strict,
);

/**
 * Before model.version.released v2 a release stated its contraindications as bare strings. Such a
 * body is refused (400) before the schema check, with one entry per string saying what to send
 * instead: a string carries no code to check outputs against, and inventing one here would put
 * words in the vendor's mouth.
 */
@Injectable()
export class UncodedContraindicationsPipe implements PipeTransform<unknown, unknown> {
  transform(value: unknown): unknown {
    const given = (value as { contraindications?: unknown } | null)?.contraindications;
    if (!Array.isArray(given)) return value;
    const issues = given.flatMap((item, i) =>
      typeof item === 'string'
        ? [
            {
              pointer: `/contraindications/${i}`,
              rule: 'coded-contraindication',
              message:
                'is a bare string; each contraindication is an object {"code": "<system>:<code>", "text": "<wording>"}, e.g. {"code": "snomed:77386006", "text": "Pregnancy"}',
            },
          ]
        : [],
    );
    if (issues.length > 0) throw new RequestValidationError(issues);
    return value;
  }
}

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
