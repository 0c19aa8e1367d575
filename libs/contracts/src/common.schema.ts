import { Type, type Static } from '@sinclair/typebox';

/**
 * Building blocks shared by every event schema. Each is written once here so the JSON Schema,
 * the TypeScript type and the docs of every event agree on what an id or a pseudonym looks like.
 */

/** Server-assigned aggregate identifier (UUID). */
export const Id = Type.String({ format: 'uuid', description: 'UUID of the aggregate.' });

/** RFC 3339 timestamp with an explicit offset. */
export const Timestamp = Type.String({ format: 'date-time', description: 'RFC 3339 date-time.' });

/** Calendar date, e.g. a review date. */
export const CalendarDate = Type.String({ format: 'date', description: 'RFC 3339 full-date.' });

/** An organisation's stable slug, e.g. `acme-ai` or `st-swithins-hospital`. */
export const OrganisationId = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]{1,62}$',
  description: 'Organisation slug: lower-case letters, digits and dashes.',
});

/**
 * A pseudonymous reference to a person (patient or professional). Never a real identifier:
 * the `psn_` prefix makes a raw NHS number, MRN or name fail validation.
 */
export const Pseudonym = Type.String({
  pattern: '^psn_[A-Za-z0-9_-]{8,128}$',
  description: 'Pseudonymous reference keyed per organisation, `psn_` followed by 8-128 URL-safe characters.',
});

/** A role name as the acting organisation calls it, e.g. `clinical-safety-officer`, `staff-nurse`. */
export const RoleName = Type.String({ pattern: '^[a-z][a-z0-9-]{1,63}$', description: 'Role, kebab-case.' });

export const SiteName = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,63}$', description: 'Site or ward slug.' });

/** Content digest of an artifact or output, e.g. `sha256:9f86…`. */
export const Digest = Type.String({ pattern: '^sha256:[a-f0-9]{64}$', description: 'SHA-256 digest, `sha256:` + 64 hex.' });

export const SemVer = Type.String({
  pattern: '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?$',
  description: 'Semantic version.',
});

/**
 * Text PostgreSQL can store: whole Unicode code points, none of them U+0000 (text and jsonb refuse
 * NUL) and no unpaired UTF-16 surrogate (not valid UTF-8, so jsonb refuses it too). Ajv compiles
 * patterns with the `u` flag, so a surrogate pair is one code point outside the excluded range and
 * passes, while a lone surrogate is a code point inside it and fails.
 */
export const STORABLE_TEXT_PATTERN = '^[^\\u0000\\uD800-\\uDFFF]*$';
const STORABLE_TEXT = new RegExp(STORABLE_TEXT_PATTERN, 'u');

/** Whether PostgreSQL can store `value` as text or inside jsonb (see STORABLE_TEXT_PATTERN). */
export function isStorableText(value: string): boolean {
  return STORABLE_TEXT.test(value);
}

const UNSTORABLE_CODE_UNITS = /\u0000|[\uD800-\uDFFF]/gu;

/**
 * `value` with U+0000 and each unpaired surrogate replaced by U+FFFD, for text that must be kept
 * whatever it holds (the reason and headers of a refused message); everything else is unchanged.
 */
export function storableText(value: string): string {
  return value.replace(UNSTORABLE_CODE_UNITS, '\uFFFD');
}

/** Free text of 1 to `maxLength` code points that the database can store. */
export const Text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, pattern: STORABLE_TEXT_PATTERN, ...(description ? { description } : {}) });

/** Who did it: always the authenticated caller, recorded on every event. */
export const Actor = Type.Object(
  {
    organisationId: OrganisationId,
    personId: Pseudonym,
    role: RoleName,
  },
  { additionalProperties: false, description: 'The person who performed the action, pseudonymous.' },
);
export type Actor = Static<typeof Actor>;

/** A professional as seen by the clinical system: pseudonym and role. */
export const Professional = Type.Object({ personId: Pseudonym, role: RoleName }, { additionalProperties: false });
export type Professional = Static<typeof Professional>;
