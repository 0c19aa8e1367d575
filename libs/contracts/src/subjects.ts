/**
 * The aggregates events are about. A subject (the CloudEvents `subject`, the Kafka message key
 * and the ledger's lookup key) is `<kind>/<id>`; events of one subject stay in order on one
 * partition.
 */
export const SUBJECT_KINDS = [
  'model',
  'deployment',
  'training',
  'output',
  'instruction',
  'incident',
  'mandate',
  'case',
  'concern',
] as const;

export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** The subject of the aggregate `id` of this kind, e.g. `subjectOf('output', id)` → `output/<id>`. The one place a subject is spelt. */
export function subjectOf(kind: SubjectKind, id: string): string {
  return `${kind}/${id}`;
}
