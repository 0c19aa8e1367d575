/**
 * `Date.parse` memoised: building one chain parses the same few dozen RFC 3339 strings many
 * times (`asOf`, each fact's two clocks, effective times), and across the answers of one case
 * the shared facts (model, deployment, policies) repeat in every chain. Date.parse is pure, so
 * the cache changes no result; it is bounded (cleared when full) so a long-running service does
 * not grow it without limit. Internal to the library: not exported from its index.
 */
const parsed = new Map<string, number>();
const LIMIT = 8192;

/** Milliseconds since the epoch of an RFC 3339 string, exactly as `Date.parse` gives them (NaN when invalid). */
export function instant(iso: string): number {
  let ms = parsed.get(iso);
  if (ms === undefined) {
    ms = Date.parse(iso);
    if (parsed.size >= LIMIT) parsed.clear();
    parsed.set(iso, ms);
  }
  return ms;
}
