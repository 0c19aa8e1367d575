import { Type, type Static } from '@sinclair/typebox';
import { knownBy, type KnownAt } from './clocks';
import type { Fact } from './fact';

/**
 * What an answer was computed from, so that anyone holding those entries can compute it again:
 * the entries (`seqs`, every fact the chain was given, ascending) and the signed checkpoint that
 * proves them. `checkpoint` is the latest signed checkpoint whose tree holds entry `knownAt.seq`;
 * null when none is signed yet (checkpoints follow appends by about a second), and `note` says so
 * rather than naming one that does not cover the answer.
 */
export const AnswerBasis = Type.Object(
  {
    checkpoint: Type.Union([
      Type.Object(
        { treeSize: Type.Integer({ minimum: 1 }), rootHash: Type.String({ pattern: '^[0-9a-f]{64}$' }) },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    note: Type.Optional(Type.String()),
    seqs: Type.Array(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false, description: 'The entries the answer was computed from and the signed checkpoint that proves them.' },
);
export type AnswerBasis = Static<typeof AnswerBasis>;

/** The seqs an answer computed from `facts` at `knownAt` rests on: the facts known by then, ascending. */
export function basisSeqs(facts: readonly Pick<Fact, 'seq'>[], knownAt: Pick<KnownAt, 'seq'>): number[] {
  return [...new Set(knownBy(facts, knownAt).map((f) => f.seq))].sort((a, b) => a - b);
}

/** Builds the basis, naming the absence of a covering checkpoint instead of inventing one. */
export function answerBasis(
  seqs: number[],
  knownAt: Pick<KnownAt, 'seq'>,
  checkpoint: { readonly treeSize: number; readonly rootHash: string } | null,
): AnswerBasis {
  if (checkpoint && checkpoint.treeSize > knownAt.seq)
    return { checkpoint: { treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash }, seqs };
  return {
    checkpoint: null,
    note: `no signed checkpoint covers entry ${knownAt.seq} yet; the entries are proven once one is signed`,
    seqs,
  };
}

/** Keys an answer carries that are links or provenance, not part of what is computed from the entries. */
const isNotCompared = (key: string) => key === 'inclusionProofs' || key === 'basis';

/** The parts of an answer that follow from its entries: everything but inclusion links and the basis. */
export function comparableAnswer(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparableAnswer);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (isNotCompared(key)) continue;
    const child = (value as Record<string, unknown>)[key];
    if (child !== undefined) out[key] = comparableAnswer(child);
  }
  return out;
}

export interface AnswerDifference {
  /** JSON Pointer (RFC 6901) of the first item that differs, in key-sorted order. */
  readonly pointer: string;
  /** What the entries give. */
  readonly recomputed: unknown;
  /** What the answer states. */
  readonly stated: unknown;
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * The first difference between two JSON values (canonical: object keys in sorted order, arrays by
 * index), or null when they are equal. Pure; both values are plain JSON.
 */
export function firstDifference(recomputed: unknown, stated: unknown, pointer = ''): AnswerDifference | null {
  if (Array.isArray(recomputed) && Array.isArray(stated)) {
    const n = Math.max(recomputed.length, stated.length);
    for (let i = 0; i < n; i += 1) {
      if (i >= recomputed.length || i >= stated.length) return { pointer: `${pointer}/${i}`, recomputed: recomputed[i], stated: stated[i] };
      const d = firstDifference(recomputed[i], stated[i], `${pointer}/${i}`);
      if (d) return d;
    }
    return null;
  }
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(recomputed) && isObj(stated)) {
    for (const key of [...new Set([...Object.keys(recomputed), ...Object.keys(stated)])].sort()) {
      const here = `${pointer}/${escapePointer(key)}`;
      if (!(key in recomputed) || !(key in stated)) return { pointer: here, recomputed: recomputed[key], stated: stated[key] };
      const d = firstDifference(recomputed[key], stated[key], here);
      if (d) return d;
    }
    return null;
  }
  return Object.is(recomputed, stated) ? null : { pointer: pointer === '' ? '' : pointer, recomputed, stated };
}

/**
 * The first difference between an answer recomputed from the entries and the one stated, over
 * the comparable parts only (inclusion links, the basis and undefined members ignored), in one
 * pass without copying: keys in the recomputed answer's order, then any the stated one adds.
 * Equivalent to firstDifference(comparableAnswer(a), comparableAnswer(b)) up to which of several
 * differences is named first. Allocates nothing while the values agree (no key lists, no JSON
 * text): a case's answers are compared member by member, most of them equal.
 * `agreed`, for a caller comparing many answers that share parts: the top-level members found
 * equal so far (recomputed object → stated object), which are then not walked again. Sound only
 * because neither side is mutated after it is compared (parts from ChainPartMemo, parsed JSON).
 */
export function firstAnswerDifference(
  recomputed: unknown,
  stated: unknown,
  pointer = '',
  agreed?: WeakMap<object, unknown>,
): AnswerDifference | null {
  // The path is kept as a stack and turned into a pointer only when a difference is found: most
  // comparisons find none, and building a string per visited member dominated the cost.
  const path: Array<string | number> = [];
  const found = (a: unknown, b: unknown): AnswerDifference => ({
    pointer: pointer + path.map((k) => `/${typeof k === 'number' ? k : escapePointer(k)}`).join(''),
    recomputed: a === undefined ? undefined : comparableAnswer(a),
    stated: b === undefined ? undefined : comparableAnswer(b),
  });
  const walk = (a: unknown, b: unknown): AnswerDifference | null => {
    if (Array.isArray(a) || Array.isArray(b)) {
      if (!Array.isArray(a) || !Array.isArray(b)) return found(a, b);
      const n = Math.max(a.length, b.length);
      for (let i = 0; i < n; i += 1) {
        const x: unknown = a[i];
        const y: unknown = b[i];
        if (i < a.length && i < b.length && Object.is(x, y) && (typeof x !== 'object' || x === null)) continue;
        path.push(i);
        const d = i >= a.length || i >= b.length ? found(x, y) : walk(x, y);
        if (d) return d;
        path.pop();
      }
      return null;
    }
    if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
      const x = a as Record<string, unknown>;
      const y = b as Record<string, unknown>;
      let compared = 0;
      for (const key in x) {
        const xv = x[key];
        if (xv === undefined || isNotCompared(key)) continue;
        compared += 1;
        const yv = y[key];
        if (Object.is(xv, yv) && (typeof xv !== 'object' || xv === null)) continue;
        const top = agreed !== undefined && path.length === 0 && typeof xv === 'object' && xv !== null;
        if (top && agreed.get(xv) === yv) continue;
        path.push(key);
        const d = yv === undefined ? found(xv, undefined) : walk(xv, yv);
        if (d) return d;
        path.pop();
        if (top) agreed.set(xv, yv);
      }
      // Every compared member of x is in y; y adds one only when it has more compared members.
      // JSON values have only own, enumerable members, so for…in counts them without a key list.
      let members = 0;
      for (const key in y) if (y[key] !== undefined && !isNotCompared(key)) members += 1;
      if (members <= compared) return null;
      for (const key in y) {
        if (isNotCompared(key) || y[key] === undefined || x[key] !== undefined) continue;
        path.push(key);
        return found(undefined, y[key]);
      }
      return null;
    }
    return Object.is(a, b) ? null : found(a, b);
  };
  return walk(recomputed, stated);
}
