import { Type, type Static } from '@sinclair/typebox';
import { Text } from './common.schema';

/**
 * Coarse patient-population facts: what a vendor says a version is for, what an employer approved
 * it for, and what a clinical system may tell about the patient an output was for — never enough
 * to identify anyone (issue #14). Defined once here so all three agree.
 */

/** Age bands, coarse enough that none singles out a person; `16-17` exists because "under 18" is a common contraindication. */
export const AGE_BANDS = ['0-1', '2-4', '5-11', '12-15', '16-17', '18-39', '40-64', '65-79', '80-plus'] as const;
export type AgeBandName = (typeof AGE_BANDS)[number];
export const AgeBand = Type.Union(
  AGE_BANDS.map((band) => Type.Literal(band)),
  { description: 'Age band in years: 0-1, 2-4, 5-11, 12-15, 16-17, 18-39, 40-64, 65-79, 80-plus.' },
);
export type AgeBand = Static<typeof AgeBand>;

export const AgeBands = Type.Array(AgeBand, { minItems: 1, maxItems: AGE_BANDS.length, uniqueItems: true });

/**
 * A contraindication's code, e.g. a SNOMED CT concept `snomed:77386006` or a vendor's own
 * `acme:pacemaker`: a code names a condition class, never a person.
 */
export const ContraindicationCode = Type.String({
  pattern: '^[a-z][a-z0-9-]{0,31}:[A-Za-z0-9][A-Za-z0-9._-]{0,63}$',
  description: 'Coded condition, `<system>:<code>`, e.g. `snomed:77386006`.',
});

export const ContraindicationCodes = Type.Array(ContraindicationCode, { maxItems: 100, uniqueItems: true });

/** A contraindication as the vendor states it: a code to check against, and the words to read. */
export const CodedContraindication = Type.Object(
  { code: ContraindicationCode, text: Text(1000) },
  { additionalProperties: false, description: 'A contraindication: its code and its wording.' },
);
export type CodedContraindication = Static<typeof CodedContraindication>;

/** The population a version is intended for, as the vendor states it. */
export const IntendedPopulation = Type.Object(
  { ageBands: AgeBands, text: Text(2000) },
  { additionalProperties: false, description: 'Intended population: the age bands it covers and its wording.' },
);
export type IntendedPopulation = Static<typeof IntendedPopulation>;

/**
 * What a clinical system may tell about the patient an output was for: an age band and the
 * relevant contraindication codes present. Both optional: a system that cannot share them says nothing.
 */
export const OutputPopulation = Type.Object(
  { ageBand: Type.Optional(AgeBand), contraindicationCodes: Type.Optional(ContraindicationCodes) },
  { additionalProperties: false, description: 'Coarse, non-identifying facts about the patient population of an output.' },
);
export type OutputPopulation = Static<typeof OutputPopulation>;
