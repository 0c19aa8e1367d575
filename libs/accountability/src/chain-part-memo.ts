import type { Fact, FactName } from './fact';

/**
 * Exact reuse, within one recomputation of many answers (a case's), of the chain parts that
 * outputs of one model version or deployment share. A part is a pure function of the facts it
 * reads, the ids it selects them by and `asOf`; and it reads `asOf` only by comparing its instant
 * with instants those facts hold (in force, back-dated). So two calls agree when they read the
 * same facts (the same objects), select them by the same ids, and `asOf` falls between the same
 * two of those instants. The key says exactly that:
 * - the part's name and `ids` (what it selects by, and anything else it reads from the output);
 * - every fact of the kinds it declares it reads, by identity, in ledger order (a part that asks
 *   for a kind it did not declare throws, so a missed kind is a failing test, not a wrong answer);
 * - how many of those facts' instants are at or before `asOf`, where the instants are every
 *   string in the facts (`time`, `recordedAt` and any member of `data`, at any depth) that
 *   Date.parse reads: a superset of the instants a part compares, so the key is never coarser
 *   than the part's dependence on `asOf`, only sometimes finer.
 * Parts handed out are shared between answers: they MUST NOT be mutated.
 */
export class ChainPartMemo {
  private readonly ids = new WeakMap<Fact, number>();
  private readonly instantsOf = new WeakMap<Fact, readonly number[]>();
  private readonly breakpoints = new Map<string, readonly number[]>();
  private readonly parts = new Map<string, unknown>();
  private nextId = 0;

  /**
   * `build` given only the facts of the kinds `reads` accepts, or the part already built for the
   * same key. `T` is `asOf` in milliseconds (NaN when it does not parse: every comparison false).
   */
  part<P>(
    name: string,
    ids: readonly unknown[],
    facts: readonly Fact[],
    reads: (kind: FactName) => boolean,
    T: number,
    build: (readable: readonly Fact[]) => P,
  ): P {
    const readable: Fact[] = [];
    let factKey = `${name} ${JSON.stringify(ids)}`;
    for (const f of facts) {
      if (!reads(f.name)) continue;
      readable.push(f);
      factKey += ` ${this.idOf(f)}`;
    }
    const key = `${factKey} @${this.position(factKey, readable, T)}`;
    const known = this.parts.get(key);
    if (known !== undefined) return known as P;
    const built = build(readable);
    this.parts.set(key, built);
    return built;
  }

  /** A fact's identity in keys: a number per fact object. */
  idOf(f: Fact): number {
    let id = this.ids.get(f);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(f, id);
    }
    return id;
  }

  /** How many distinct instants of `facts` are at or before T (`NaN` when T is not a number). */
  private position(factKey: string, facts: readonly Fact[], T: number): string {
    if (Number.isNaN(T)) return 'NaN';
    let points = this.breakpoints.get(factKey);
    if (!points) {
      const all = new Set<number>();
      for (const f of facts) for (const t of this.instants(f)) all.add(t);
      points = [...all].sort((a, b) => a - b);
      this.breakpoints.set(factKey, points);
    }
    let lo = 0;
    let hi = points.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (points[mid]! <= T) lo = mid + 1;
      else hi = mid;
    }
    return String(lo);
  }

  private instants(f: Fact): readonly number[] {
    let found = this.instantsOf.get(f);
    if (!found) {
      const out: number[] = [];
      const visit = (v: unknown): void => {
        if (typeof v === 'string') {
          const t = Date.parse(v);
          if (!Number.isNaN(t)) out.push(t);
        } else if (Array.isArray(v)) for (const x of v) visit(x);
        else if (typeof v === 'object' && v !== null) for (const k of Object.keys(v)) visit((v as Record<string, unknown>)[k]);
      };
      visit(f.time);
      visit(f.recordedAt);
      visit(f.data);
      found = out;
      this.instantsOf.set(f, found);
    }
    return found;
  }
}
