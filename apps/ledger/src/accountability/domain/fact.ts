/** A ledger entry as the accountability projection keeps it: parsed data plus both clocks. */
export interface Fact {
  readonly seq: number;
  /** Catalogue name, e.g. `deployment.approved`. */
  readonly name: string;
  readonly subject: string;
  /** When it happened (the event's `time`), RFC 3339. */
  readonly time: string;
  /** When the ledger recorded it, RFC 3339. */
  readonly recordedAt: string;
  readonly data: Record<string, any>;
}

/** `aal.deployment.approved.v1` → `deployment.approved`. */
export function catalogueName(type: string): string {
  return type.replace(/^aal\./, '').replace(/\.v\d+$/, '');
}

/**
 * The lookup keys under which a fact is found: its own subject, plus the other aggregates it
 * speaks about (a training record is found from its deployment, an incident from its outputs).
 */
export function factKeys(name: string, subject: string, data: Record<string, any>): string[] {
  const keys = new Set([subject]);
  if (name === 'training.recorded' && typeof data['deploymentId'] === 'string') keys.add(`deployment/${data['deploymentId']}`);
  if (name === 'incident.reported' && Array.isArray(data['outputIds'])) for (const id of data['outputIds']) keys.add(`output/${id}`);
  if (name === 'instruction.given' && typeof data['outputId'] === 'string') keys.add(`output/${data['outputId']}`);
  return [...keys];
}
