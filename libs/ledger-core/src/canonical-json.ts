/**
 * Canonical JSON for hashing (the subset of RFC 8785 this ledger needs): object keys sorted by
 * UTF-16 code units, no whitespace, strings escaped by JSON.stringify. Numbers MUST be safe
 * integers: anything else (floats, big offsets) is carried as a decimal string by the caller.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isSafeInteger(value)) throw new TypeError(`canonical JSON carries only safe integers, got ${value}`);
      return String(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot carry ${typeof value}`);
  }
}
