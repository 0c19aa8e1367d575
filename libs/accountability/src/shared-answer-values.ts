/**
 * The compact form of a case export's answers (`aal-case-export/v2`): a JSON object or array that
 * appears, identically, more than once under the answers' chains (the model, version, deployment
 * and policy items every output of one deployment shares) is written once in the export's
 * `shared` list, and each place it stood holds a reference `{ "$shared": <index> }` instead.
 * Expanding puts the same value back in every place, so the answers investigators read, the
 * verifier recomputes and the report prints are exactly those of the v1 form. Pure and
 * browser-safe: the ledger compacts, `ledger-verify --bundle` and the investigator page expand.
 */

/** The one member of a reference to a shared value. */
export const SHARED_REF = '$shared';

/** Values shorter than this (as JSON) stay in place: a reference would save little and hide them from a reader of the file. */
const MIN_SHARED_LENGTH = 200;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface CompactAnswers<A> {
  readonly accountability: A[];
  readonly shared: unknown[];
}

/**
 * Writes every object or array under the answers' `chain`s (the chain itself excepted) that
 * occurs more than once, and is at least MIN_SHARED_LENGTH characters of JSON, once in `shared`,
 * outermost first, numbered by first use (answers in order, members in order). Other members of
 * an answer (`outputId`, `problem`) are kept as they are. `answers` MUST be plain JSON (as
 * JSON.parse gives it) and MUST NOT hold an object whose only member is `$shared`.
 *
 * Each value is written as JSON once, by its first visit; the walk stops below a value shorter
 * than MIN_SHARED_LENGTH (nothing under it can be shared) and below a value already seen (it will
 * be a reference, so what is under it is never written in place). A shared value's members need
 * no count of their own: wherever else they occur, that other place counts them. Unchanged values
 * are returned as they are, not copied.
 */
export function shareAnswerValues<A extends { readonly chain?: unknown }>(answers: readonly A[]): CompactAnswers<A> {
  const counts = new Map<string, number>();
  const texts = new Map<object, string>();
  const count = (v: object, top: boolean): void => {
    if (!top) {
      const text = JSON.stringify(v);
      if (text.length < MIN_SHARED_LENGTH) return;
      texts.set(v, text);
      const seen = counts.get(text) ?? 0;
      counts.set(text, seen + 1);
      if (seen > 0) return;
    }
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) count(child, false);
  };
  for (const a of answers) if (typeof a.chain === 'object' && a.chain !== null) count(a.chain, true);
  const index = new Map<string, number>();
  const shared: unknown[] = [];
  const compact = (v: object, top: boolean): unknown => {
    const text = top ? undefined : texts.get(v);
    if (!top && text === undefined) return v;
    if (text !== undefined && (counts.get(text) ?? 0) > 1) {
      let at = index.get(text);
      if (at === undefined) {
        at = shared.length;
        index.set(text, at);
        shared.push(JSON.parse(text));
      }
      return { [SHARED_REF]: at };
    }
    const child = (c: unknown) => (typeof c === 'object' && c !== null ? compact(c, false) : c);
    if (Array.isArray(v)) return v.map(child);
    const out: Record<string, unknown> = {};
    for (const [k, c] of Object.entries(v)) out[k] = child(c);
    return out;
  };
  return {
    accountability: answers.map((a) => (typeof a.chain !== 'object' || a.chain === null ? a : { ...a, chain: compact(a.chain, true) })),
    shared,
  };
}

/** Where a reference stood (JSON Pointer from the answer's chain) and the shared value it names. */
export interface SharedRefSite {
  readonly pointer: string;
  readonly index: number;
}

export type ExpandedAnswers =
  | {
      readonly ok: true;
      /** The answers with every reference replaced by its shared value (the same object wherever it is used). */
      readonly accountability: unknown;
      /** Per answer (by position), the references it held. */
      readonly refs: ReadonlyArray<readonly SharedRefSite[]>;
    }
  | { readonly ok: false; readonly pointer: string; readonly reason: string };

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Puts every shared value back where its reference stands under an answer's `chain` (see
 * shareAnswerValues); `accountability` and `shared` as the export states them. Refuses, with the
 * JSON Pointer of the first offending place, a `shared` that is not an array, a reference to a
 * value `shared` does not hold, and a shared value no answer refers to (it would state something
 * no answer shows). Values inside `shared` are not expanded again: a reference there stays as it
 * is, and can only make the answer differ from the recomputed one. Copies what it changes; the
 * given values are not modified.
 */
export function expandSharedAnswers(accountability: unknown, shared: unknown): ExpandedAnswers {
  if (shared !== undefined && !Array.isArray(shared)) return { ok: false, pointer: '/shared', reason: 'is not an array' };
  const values: readonly unknown[] = shared ?? [];
  if (!Array.isArray(accountability)) return { ok: true, accountability, refs: [] };
  const used = new Uint8Array(values.length);
  const refs: SharedRefSite[][] = [];
  let failure: { pointer: string; reason: string } | null = null;
  const path: string[] = [];
  let sites: SharedRefSite[] = [];
  let answer = 0;
  const reference = (ref: Record<string, unknown>): unknown => {
    const at = ref[SHARED_REF];
    const pointer = path.map((k) => `/${escapePointer(k)}`).join('');
    if (typeof at !== 'number' || !Number.isSafeInteger(at) || at < 0 || at >= values.length) {
      failure ??= {
        pointer: `/accountability/${answer}/chain${pointer}`,
        reason: `refers to shared value ${JSON.stringify(at)}, which the export's \`shared\` list (of ${values.length}) does not hold`,
      };
      return ref;
    }
    used[at] = 1;
    sites.push({ pointer, index: at });
    return values[at];
  };
  // Allocation-free until a reference is met: the answers are most of an export, references few.
  const expand = (v: object): object => {
    if (Array.isArray(v)) {
      let copy: unknown[] | null = null;
      for (let i = 0; i < v.length; i += 1) {
        const child: unknown = v[i];
        if (typeof child !== 'object' || child === null) continue;
        path.push(String(i));
        const expanded = expand(child);
        path.pop();
        if (expanded === child) continue;
        copy ??= [...v];
        copy[i] = expanded;
      }
      return copy ?? v;
    }
    const o = v as Record<string, unknown>;
    if (SHARED_REF in o && Object.keys(o).length === 1) return reference(o) as object;
    let copy: Record<string, unknown> | null = null;
    for (const key in o) {
      const child = o[key];
      if (typeof child !== 'object' || child === null) continue;
      path.push(key);
      const expanded = expand(child);
      path.pop();
      if (expanded === child) continue;
      copy ??= { ...o };
      copy[key] = expanded;
    }
    return copy ?? o;
  };
  const out = accountability.map((a: unknown, i) => {
    sites = [];
    answer = i;
    refs.push(sites);
    if (!isObject(a) || typeof a['chain'] !== 'object' || a['chain'] === null) return a;
    const chain = expand(a['chain']);
    return chain === a['chain'] ? a : { ...a, chain };
  });
  if (failure) return { ok: false, ...(failure as { pointer: string; reason: string }) };
  const unused = used.indexOf(0);
  if (unused >= 0) return { ok: false, pointer: `/shared/${unused}`, reason: 'is referred to by no answer' };
  return { ok: true, accountability: out, refs };
}

/**
 * Where in the export a JSON Pointer into the expanded answers (`/accountability/<i>/chain/...`)
 * is written: under `/shared/<k>` when it falls inside a shared value, else the pointer itself.
 */
export function sharedLocation(pointer: string, refs: ReadonlyArray<readonly SharedRefSite[]>): string {
  const m = /^\/accountability\/(\d+)\/chain(\/.*)?$/.exec(pointer);
  if (!m) return pointer;
  const rest = m[2] ?? '';
  const site = (refs[Number(m[1])] ?? []).find((s) => rest === s.pointer || rest.startsWith(`${s.pointer}/`));
  return site ? `/shared/${site.index}${rest.slice(site.pointer.length)}` : pointer;
}
