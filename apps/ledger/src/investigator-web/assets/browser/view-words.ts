/**
 * How the investigator page names fields and writes dates, defined once for the whole page (issue
 * #14): field names as words, not the API's camelCase keys, and instants in a readable local form
 * whose UTC value the page puts on hover. Pure (Intl only), bundled by scripts/bundle-web.js into
 * /investigate/view.js (the global `AalView`) and unit-tested under Node.
 */

/**
 * The words for the API's field names where splitting the key would not say it well (units,
 * abbreviations). Every other key is split at its capitals (`intendedUse` → "intended use").
 */
export const FIELD_WORDS: Readonly<Record<string, string>> = {
  minimumReviewSeconds: 'minimum review time (s)',
  reviewDurationSeconds: 'review time (s)',
  reviewSeconds: 'review time (s)',
  reviewSecondsP50: 'median review time (s)',
  reviewSecondsP90: '90th percentile review time (s)',
  p50: 'median',
  p90: '90th percentile',
  outputsPerProfessional: 'outputs per active professional',
  activeProfessionals: 'active professionals',
  shareBelowMinimum: 'share reviewed for less than the minimum',
  shareAcceptedUnchanged: 'share accepted unchanged',
  shareOverridden: 'share overridden',
  shareWithoutTraining: 'share without training',
  professionalsUnderMandatoryUse: 'professionals under mandatory use',
  withoutTraining: 'without training',
  minimumVaries: 'minimum differed within the period',
  hazardLogRef: 'hazard log reference',
  subjectRef: 'subject (pseudonym)',
  outputDigest: 'output digest',
  versionId: 'version',
  modelId: 'model',
  deploymentId: 'deployment',
  employerId: 'employer',
  vendorId: 'vendor',
  outputId: 'output',
  incidentId: 'incident',
  trainingId: 'training record',
  professionalId: 'professional',
  personId: 'person',
  organisationId: 'organisation',
  ageBands: 'age bands',
  excludedContraindicationCodes: 'excluded contraindications (codes)',
  coversOutputSite: "covers the output's site",
  coversProfessionals: 'covers the professionals',
  trainedAtOutputTime: 'trained when the output was produced',
  statusAtOutputTime: 'status when the output was produced',
  minimumActions: 'minimum actions per period',
  belowMinimumShare: 'share below the minimum',
  trendWindow: 'periods in the trend window',
  trendReviewFall: 'fall in median review time',
  trendVolumeRise: 'rise in outputs per professional',
  untrainedShare: 'share without training',
};

/** The words for an API field name: FIELD_WORDS, else the key split at its capitals and digits, in lower case. */
export function fieldWords(key: string): string {
  const known = FIELD_WORDS[key];
  if (known !== undefined) return known;
  return key
    .replace(/([a-z])([A-Z0-9])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase();
}

const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string | undefined, withTime: boolean): Intl.DateTimeFormat {
  const key = `${timeZone ?? ''}|${withTime}`;
  let f = formats.get(key);
  if (!f) {
    // The parts are put in order below; en-US only names them (three-letter months: "Sep", not "Sept").
    f = new Intl.DateTimeFormat('en-US', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
      ...(timeZone === undefined ? {} : { timeZone }),
    });
    formats.set(key, f);
  }
  return f;
}

function written(iso: string, timeZone: string | undefined, withTime: boolean): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  const part: Record<string, string> = {};
  for (const p of format(timeZone, withTime).formatToParts(new Date(ms))) part[p.type] = p.value;
  const day = `${part['weekday']} ${part['day']} ${part['month']} ${part['year']}`;
  return withTime ? `${day}, ${part['hour']}:${part['minute']}` : day;
}

/**
 * An instant (RFC 3339) in the reader's time zone, or `timeZone`: "Mon 2 Nov 2026, 09:00". What
 * is not a time comes back as it is.
 */
export function localTime(iso: string, timeZone?: string): string {
  return written(iso, timeZone, true);
}

/** A UTC day (the oversight buckets' boundaries are UTC days): "Mon 5 Oct 2026". */
export function utcDayText(iso: string): string {
  return written(iso, 'UTC', false);
}

/** The exact UTC value the page shows on hover (title attribute): the ISO 8601 form, milliseconds dropped when zero. */
export function utcTitle(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
