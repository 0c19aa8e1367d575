import { PARTIES, timelineLine, type ChainParty, type TimelineEntry } from './case-timeline';
import { caseRecordOf, type CaseRecord } from './case-record';
import { decodeFact, type Fact, type RawEntry } from './fact';

/**
 * What a case report is rendered from. Only three inputs are not proven by a leaf hash or the
 * checkpoint signature, and the report labels each where it shows it: `exportedAt` (the ledger's
 * clock), `notCovered` (entries named but not included) and `caseId` when the entries hold no
 * `case.opened` for it. `accountability` is the export's answer, which the verifier recomputes
 * from the entries before it compares the report; everything else comes from `entries`.
 */
export interface CaseReportSource {
  readonly caseId: string;
  /** The log's origin: the checkpoint's signed note carries it. */
  readonly origin: string;
  readonly exportedAt: string;
  /** The export's `accountability` array, as JSON. */
  readonly accountability: unknown;
  /** The export's `recommendations` (caseRecommendations), as JSON, which the verifier recomputes too; absent in older exports. */
  readonly recommendations?: unknown;
  readonly notCovered: readonly number[];
}

/** The verification the report states: the one whoever renders it ran over the same export. */
export type ReportVerification =
  | {
      readonly ok: true;
      readonly checkpoint: { readonly treeSize: number; readonly rootHash: string };
      readonly entries: number;
      readonly citations: number;
      readonly recomputedAnswers: number;
    }
  | { readonly ok: false; readonly problem: { readonly kind: string; readonly detail: string } };

/** One named stretch of the report's HTML; the document is their concatenation, in order. */
export interface ReportPart {
  /** `head`, `header`, `case`, `findings`, `recommendations`, `accountability`, `shared records`, `shared V1` (`E1`, ...), `output <id>`, `timeline`, `timeline line #<seq>`, `timeline end`, `footer`. */
  readonly name: string;
  readonly html: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML content and quoted attribute values, and writes every character outside
 * ASCII as a numeric character reference, so that the report is ASCII whatever the log holds (it
 * reads the same). The report's own attribute values are unquoted tokens (or single-quoted), so it
 * then holds no double quote either: as a JSON string in an export it needs no escapes and parses
 * several times faster (see asciiJson). Everything from the log goes through it.
 */
export function escapeHtml(value: unknown): string {
  // A number's text is ASCII digits, signs, dots and letters: nothing to escape.
  if (typeof value === 'number') return String(value);
  const text = String(value);
  // Most values need no escaping: testing is much cheaper than replacing.
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPED, (c) => ESCAPES[c] ?? `&#${c.codePointAt(0)};`) : text;
}

const NEEDS_ESCAPE = /[&<>"'\u0080-\uffff]/;
const ESCAPED = /[&<>"']|[^\u0000-\u007f]/gu;

const PARTY_TITLE: Record<ChainParty, string> = {
  vendor: 'Vendor — who built it',
  employer: 'Employer — who approved, deployed and instructed',
  'clinical-system': 'Clinical system — who acted on it',
  investigator: 'Investigator — this case',
};

const STYLE = `
:root { --ink: #1d232b; --muted: #5b6573; --line: #d5dae1; --ok: #1f6b3a; --bad: #9b1c1c; --tag: #eef1f5; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: var(--ink); margin: 2rem auto; max-width: 1200px; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.15rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; margin-top: 2rem; }
h3 { font-size: 1rem; margin: 1.25rem 0 .5rem; } h4 { font-size: .9rem; margin: .75rem 0 .25rem; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
.meta { color: var(--muted); } .verified { border: 2px solid var(--ok); color: var(--ok); padding: .5rem .75rem; font-weight: 600; }
.unverified { border: 2px solid var(--bad); color: var(--bad); padding: .5rem .75rem; font-weight: 600; }
.stated { border-left: 3px solid var(--bad); padding-left: .5rem; }
code, .hash { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85em; word-break: break-all; }
.parties { display: grid; grid-template-columns: repeat(4, 1fr); gap: .75rem; }
.party { border: 1px solid var(--line); border-radius: 4px; padding: .5rem .75rem; }
.party > h4:first-child { margin-top: 0; }
.shared { border: 1px solid var(--line); border-radius: 4px; padding: .5rem .75rem; margin: .75rem 0; } .shared > h3 { margin-top: 0; }
.shared > .party { border: 0; padding: 0; } .ref { font-style: italic; }
dl { margin: .25rem 0 .5rem; display: grid; grid-template-columns: max-content 1fr; gap: 0 .5rem; }
dt { color: var(--muted); } dd { margin: 0; word-break: break-word; }
.item { border-top: 1px dotted var(--line); padding-top: .25rem; }
.seq { display: inline-block; background: var(--tag); border-radius: 3px; padding: 0 .3rem; margin-right: .2rem; font-family: ui-monospace, monospace; font-size: .8em; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); padding: .25rem .4rem; }
th { font-weight: 600; color: var(--muted); } .empty { color: var(--muted); font-style: italic; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85em; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  .parties { grid-template-columns: repeat(4, 1fr); }
  h2 { break-after: avoid; } .party, tr, .item { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  @page { size: A4 landscape; margin: 12mm; }
}`;

/** Keys of an answer's items that are links for the live API, not facts: not printed (and not recomputed). */
const NOT_PRINTED = new Set(['evidence', 'inclusionProofs']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const seqTags = (evidence: unknown) =>
  Array.isArray(evidence) && evidence.length > 0
    ? evidence.map((s) => `<span class=seq>#${escapeHtml(s)}</span>`).join('')
    : '<span class=empty>none</span>';

/** A value as text: primitives as they are, objects as compact JSON (escaped by the caller). */
const text = (value: unknown): string => (typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));

const row = (k: string, v: unknown) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(text(v))}</dd>`;

/** One accountability item (any object with `evidence`) as a definition list. */
function itemHtml(item: unknown): string {
  if (!isObject(item)) return `<p>${escapeHtml(text(item))}</p>`;
  // One loop over the keys, no [key, value] pairs or intermediate arrays: a case prints thousands of items.
  let rows = '';
  for (const k of Object.keys(item)) {
    const v = item[k];
    if (!NOT_PRINTED.has(k) && v !== undefined && v !== null) rows += row(k, v);
  }
  return `<div class=item><dl>${rows}<dt>evidence</dt><dd>${seqTags(item['evidence'])}</dd></dl></div>`;
}

function section(title: string, value: unknown): string {
  const items = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
  return `<h4>${escapeHtml(title)}</h4>${items.length === 0 ? '<p class=empty>nothing recorded</p>' : items.map(itemHtml).join('')}`;
}

/**
 * `section`, remembered per object for one rendering: the answers' shared values (one object
 * wherever an export's answers share it, see shareAnswerValues) are rendered once. The result is
 * the same text as rendering again; only the work is saved.
 */
class SectionMemo {
  private readonly rendered = new WeakMap<object, Map<string, string>>();

  section(title: string, value: unknown): string {
    if (typeof value !== 'object' || value === null) return section(title, value);
    let byTitle = this.rendered.get(value);
    if (!byTitle) {
      byTitle = new Map();
      this.rendered.set(value, byTitle);
    }
    let html = byTitle.get(title);
    if (html === undefined) {
      html = section(title, value);
      byTitle.set(title, html);
    }
    return html;
  }
}

const get = (chain: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), chain);

/** The vendor's column of one output: who built it. */
const vendorSections = (chain: unknown, memo: SectionMemo): string[] => [
  memo.section('Model', get(chain, 'built', 'model')),
  memo.section('Version', get(chain, 'built', 'version')),
  memo.section('Safety notices in force', get(chain, 'built', 'safetyNoticesInForce')),
];

/** The employer's column of one output: who approved, deployed and instructed. */
const employerSections = (chain: unknown, memo: SectionMemo): string[] => [
  memo.section('Request', get(chain, 'approvedAndDeployed', 'request')),
  memo.section('Approval', get(chain, 'approvedAndDeployed', 'approval')),
  memo.section('Activation', get(chain, 'approvedAndDeployed', 'activation')),
  memo.section('Deployment state at output time', get(chain, 'approvedAndDeployed', 'stateAtOutputTime')),
  memo.section('Usage policies in force', get(chain, 'instructed', 'policiesInForce')),
  memo.section('Training', get(chain, 'instructed', 'training')),
];

/** The parties whose column outputs of one deployment repeat, and the letter their shared records are named by. */
type SharingParty = 'vendor' | 'employer';
const SHARED_LETTER: Record<SharingParty, string> = { vendor: 'V', employer: 'E' };

/** One distinct vendor or employer column of the case's outputs. */
interface ColumnRecord {
  readonly party: SharingParty;
  readonly html: string;
  /** What the outputs' references print: the model and version, or the deployment. */
  readonly label: string;
  outputs: number;
  /** `V1`, `E2`, ...: set when more than one output has this column, which is then printed once. */
  id?: string;
}

const labelPart = (prefix: string, value: unknown) => (typeof value === 'string' && value !== '' ? `${prefix} ${value}` : '');

function columnLabel(party: SharingParty, chain: unknown): string {
  const parts =
    party === 'vendor'
      ? [labelPart('Model', get(chain, 'built', 'model', 'name')), labelPart('version', get(chain, 'built', 'version', 'version'))]
      : [labelPart('Deployment', get(chain, 'approvedAndDeployed', 'deploymentId'))];
  return parts.filter((p) => p !== '').join(' ') || (party === 'vendor' ? 'Vendor records' : 'Employer records');
}

/**
 * The vendor and employer columns of every output (null where an output has no chain), each
 * distinct column once: a column more than one output has gets an id (V1, E1, ... in case order)
 * and is printed once, in the shared records, and referred to from each output. Columns are told
 * apart by their sections' text; the memo hands the same string for a shared value, so the key is
 * cheap to build.
 */
function columnRecords(
  answers: ReadonlyArray<ReportAnswer | { outputId: string; missing: true }>,
  memo: SectionMemo,
): { perAnswer: Array<Record<SharingParty, ColumnRecord> | null>; shared: ColumnRecord[] } {
  const sectionIds = new Map<string, number>();
  const idOf = (html: string) => {
    let id = sectionIds.get(html);
    if (id === undefined) {
      id = sectionIds.size;
      sectionIds.set(html, id);
    }
    return id;
  };
  const records = new Map<string, ColumnRecord>();
  const recordOf = (party: SharingParty, sections: string[], chain: unknown): ColumnRecord => {
    const key = `${party} ${sections.map(idOf).join(',')}`;
    let record = records.get(key);
    if (!record) {
      record = { party, html: sections.join(''), label: columnLabel(party, chain), outputs: 0 };
      records.set(key, record);
    }
    record.outputs += 1;
    return record;
  };
  const perAnswer = answers.map((a) =>
    'missing' in a || a.chain === null || a.chain === undefined
      ? null
      : {
          vendor: recordOf('vendor', vendorSections(a.chain, memo), a.chain),
          employer: recordOf('employer', employerSections(a.chain, memo), a.chain),
        },
  );
  const shared = [...records.values()].filter((r) => r.outputs > 1);
  const counts: Record<SharingParty, number> = { vendor: 0, employer: 0 };
  for (const r of shared) {
    counts[r.party] += 1;
    r.id = `${SHARED_LETTER[r.party]}${counts[r.party]}`;
  }
  return { perAnswer, shared };
}

const sharedTitle = (r: ColumnRecord) => `${r.id} \u2014 ${r.label}`;

/** A shared vendor or employer record, printed once; outputs refer to it by its anchor. */
const sharedRecordHtml = (r: ColumnRecord) =>
  `<section id=${r.id} class=shared><h3>${escapeHtml(`Section ${sharedTitle(r)}`)}</h3><p class=meta>${escapeHtml(PARTY_TITLE[r.party])}, the same for ${escapeHtml(r.outputs)} of the outputs below, printed once here; each of them refers to it as ${escapeHtml(r.id)}.</p><div class=party>${r.html}</div></section>\n`;

/** A column as an output shows it: whole, or a reference to the shared record it is. */
const columnHtml = (r: ColumnRecord) =>
  r.id === undefined
    ? r.html
    : `<p class=ref>As in <a href=#${r.id}>${escapeHtml(`section ${sharedTitle(r)}`)}</a> (shared by ${escapeHtml(r.outputs)} outputs).</p>`;

/** The four parties' facts about one output, side by side. */
function partiesHtml(
  chain: unknown,
  caseRecordItems: readonly unknown[],
  memo: SectionMemo,
  shared: Record<SharingParty, ColumnRecord>,
): string {
  const section = (title: string, value: unknown) => memo.section(title, value);
  const columns: Record<ChainParty, string> = {
    vendor: columnHtml(shared.vendor),
    employer: columnHtml(shared.employer),
    'clinical-system':
      section('Output', get(chain, 'output')) +
      section('Instructions', get(chain, 'instructed', 'instructions')) +
      section('Presentations', get(chain, 'actedOn', 'presentations')) +
      section('Actions', get(chain, 'actedOn', 'actions')),
    investigator: section('Case record', caseRecordItems),
  };
  return `<div class=parties>${PARTIES.map((p) => `${PARTY_HEAD[p]}${columns[p]}</section>`).join('')}</div>`;
}

/** Each party's column opening, the same in every output's section. */
const PARTY_HEAD = Object.fromEntries(PARTIES.map((p) => [p, `<section class=party><h4>${escapeHtml(PARTY_TITLE[p])}</h4>`])) as Record<
  ChainParty,
  string
>;

/** The case's investigator lines as the items every output's "Case record" shows: one array, so the section is rendered once (SectionMemo). */
const caseRecordItems = (investigatorLines: readonly TimelineEntry[]) =>
  investigatorLines.map((l) => ({ type: l.type, by: l.summary, recordedAt: l.recordedAt, evidence: [l.seq] }));

function verificationHtml(v: ReportVerification): string {
  return v.ok
    ? `<p class=verified>Verified against checkpoint ${escapeHtml(v.checkpoint.treeSize)} (root <span class=hash>${escapeHtml(v.checkpoint.rootHash)}</span>): ${escapeHtml(v.entries)} entries proven, ${escapeHtml(v.citations)} evidence citations resolved, ${escapeHtml(v.recomputedAnswers)} output answers re-derived from the entries.</p>`
    : `<p class=unverified>NOT verified: ${escapeHtml(v.problem.kind)} &#8212; ${escapeHtml(v.problem.detail)}</p>`;
}

function caseHtml(caseId: string, record: CaseRecord | null): string {
  if (!record) {
    return `<h2>Case</h2>\n<p class=stated>The entries of this export hold no <code>case.opened</code> for case <code>${escapeHtml(caseId)}</code> yet (a case's own events reach the log within seconds): its details are not shown, because none is proven. Export again to include them.</p>\n`;
  }
  const scope = record.scope.kind === 'incident' ? row('incidentId', record.scope.incidentId) : row('outputIds', record.scope.outputIds);
  const rows = [
    row('caseId', record.caseId),
    row('title', record.title),
    row('status', record.status),
    row('organisationId', record.organisationId),
    scope,
    row('openedBy', record.openedBy),
    row('openedAt', record.openedAt),
    row('openedAgainst', record.openedAgainst),
    record.basis ? row('basis', record.basis) : '',
    row('investigators', record.investigators),
    record.closedAt ? row('closedAt', record.closedAt) : '',
    row('legal hold', holdText(record.holds)),
    row('outputs', record.outputIds),
    `<dt>evidence</dt><dd>${seqTags(record.evidence)}</dd>`,
  ];
  return `<h2>Case</h2>\n<dl>${rows.join('')}</dl>\n`;
}

/** The case's legal holds in words: the one in force first, then any lifted, as the entries record them. */
function holdText(holds: CaseRecord['holds']): string {
  if (holds.length === 0) return 'none placed';
  const who = (a: { readonly personId: string; readonly organisationId: string }) => `${a.personId} (${a.organisationId})`;
  return holds
    .map((h) =>
      h.lifted
        ? `placed by ${who(h.placedBy)} at ${h.placedAt} (${h.reason}); lifted by ${who(h.lifted.by)} at ${h.lifted.at} (${h.lifted.reason})`
        : `IN FORCE since ${h.placedAt}, placed by ${who(h.placedBy)} (${h.reason})`,
    )
    .reverse()
    .join('; ');
}

interface ReportAnswer {
  readonly outputId: string;
  readonly chain: unknown;
}

/** The export's answers in the order of the case's outputs (the record's, else the export's own). */
function answersInCaseOrder(
  stated: unknown,
  record: CaseRecord | null,
): { answers: Array<ReportAnswer | { outputId: string; missing: true }>; unrelated: string[] } {
  const list = (Array.isArray(stated) ? stated : []).filter((a): a is ReportAnswer => isObject(a) && typeof a['outputId'] === 'string');
  if (!record) return { answers: list, unrelated: [] };
  const byId = new Map(list.map((a) => [a.outputId, a]));
  return {
    answers: record.outputIds.map((id) => byId.get(id) ?? { outputId: id, missing: true as const }),
    unrelated: list.filter((a) => !record.outputIds.includes(a.outputId)).map((a) => a.outputId),
  };
}

function findingsHtml(
  answers: ReadonlyArray<ReportAnswer | { outputId: string; missing: true }>,
  record: CaseRecord | null,
  facts: readonly Fact[],
  recommendations: unknown,
): string {
  const rows: string[] = [];
  const line = (title: string, code: string, detail: string, evidence: unknown) =>
    `<tr><td><strong>${escapeHtml(title)}</strong><br><code>${escapeHtml(code)}</code></td><td>${escapeHtml(detail)}</td><td>${seqTags(evidence)}</td></tr>`;
  if (
    record?.scope.kind === 'incident' &&
    !facts.some((f) => f.name === 'incident.reported' && record.scope.kind === 'incident' && f.data.incidentId === record.scope.incidentId)
  ) {
    rows.push(
      line(
        `Incident ${record.scope.incidentId} is not in the ledger`,
        'CASE.INCIDENT_NOT_IN_LEDGER',
        `no proven entry of this export is an incident.reported for incident ${record.scope.incidentId}`,
        [],
      ),
    );
  }
  for (const a of answers) {
    if ('missing' in a || a.chain === null || a.chain === undefined) {
      rows.push(
        line(
          `Output ${a.outputId} is not in the ledger`,
          'CASE.OUTPUT_NOT_IN_LEDGER',
          `no proven entry of this export is the output.generated of output ${a.outputId}`,
          [],
        ),
      );
      continue;
    }
    const findings = get(a.chain, 'findings');
    for (const f of Array.isArray(findings) ? findings : [])
      rows.push(line(text(get(f, 'title')), text(get(f, 'code')), text(get(f, 'statement') ?? ''), get(f, 'evidence')));
  }
  const about = get(recommendations, 'findings');
  for (const f of Array.isArray(about) ? about : [])
    rows.push(line(text(get(f, 'title')), text(get(f, 'code')), text(get(f, 'statement') ?? ''), get(f, 'evidence')));
  return `<h2>Findings</h2>\n${rows.length === 0 ? '<p class=empty>No findings.</p>' : `<table><thead><tr><th>finding</th><th>detail</th><th>evidence</th></tr></thead><tbody>${rows.join('')}</tbody></table>`}\n`;
}

/** The one text a response carries, by its kind. */
const responseText = (r: unknown) => text(get(r, 'plan') ?? get(r, 'reference') ?? get(r, 'reasons') ?? '');

/** The case's safety recommendations, each with its addressee, due date, status and every response, as the export states them. */
function recommendationsHtml(stated: unknown): string {
  const items = get(stated, 'recommendations');
  const list = Array.isArray(items) ? items : [];
  const rows = list.map((r) => {
    const responses = get(r, 'responses');
    const answered = (Array.isArray(responses) ? responses : [])
      .map(
        (x) =>
          `<div>${escapeHtml(text(get(x, 'response')))} at ${escapeHtml(text(get(x, 'happenedAt')))} by ${escapeHtml(text(get(x, 'by', 'personId')))} (${escapeHtml(text(get(x, 'by', 'role')))}): ${escapeHtml(responseText(x))} ${seqTags(get(x, 'evidence'))}</div>`,
      )
      .join('');
    const arises = get(r, 'arisesFrom');
    return `<tr><td><code>${escapeHtml(text(get(r, 'recommendationId')))}</code><br>${escapeHtml(text(get(r, 'recommendation')))}${arises === undefined ? '' : `<br><span class=meta>arises from ${escapeHtml(text(arises))}</span>`}</td><td>${escapeHtml(text(get(r, 'addressee', 'party')))} ${escapeHtml(text(get(r, 'addressee', 'organisationId')))}</td><td>${escapeHtml(text(get(r, 'dueBy')))}</td><td>${escapeHtml(text(get(r, 'status')))}</td><td>${answered || '<span class=empty>none</span>'}</td><td>${seqTags(get(r, 'evidence'))}</td></tr>`;
  });
  const meta = `<p class=meta>As they stood at ${escapeHtml(text(get(stated, 'asOf')))}, the export time; a recurring pattern is a finding linked about ${escapeHtml(text(get(stated, 'recurringPatternIncidents')))} or more incidents. Their findings are listed above.</p>`;
  return `<h2>Safety recommendations</h2>\n${meta}\n${rows.length === 0 ? '<p class=empty>No recommendations recorded.</p>' : `<table><thead><tr><th>recommendation</th><th>addressee</th><th>due by</th><th>status</th><th>responses</th><th>evidence</th></tr></thead><tbody>${rows.join('')}</tbody></table>`}\n`;
}

function outputHtml(
  a: ReportAnswer | { outputId: string; missing: true },
  caseRecord: readonly unknown[],
  memo: SectionMemo,
  columns: Record<SharingParty, ColumnRecord> | null,
): string {
  const heading = `<h3>Output <code>${escapeHtml(a.outputId)}</code>`;
  if ('missing' in a) return `${heading}</h3><p class=stated>The export states no answer for this output of the case.</p>`;
  if (a.chain === null || a.chain === undefined || !columns)
    return `${heading}</h3><p class=empty>No proven entry of this export is its output.generated: the ledger holds no record of it.</p>`;
  return `${heading} <span class=meta>as it stood at ${escapeHtml(get(a.chain, 'asOf') ?? '')}</span></h3>${partiesHtml(a.chain, caseRecord, memo, columns)}`;
}

const timelineRow = (l: TimelineEntry) =>
  `<tr><td><span class=seq>#${escapeHtml(l.seq)}</span></td><td>${escapeHtml(l.recordedAt)}</td><td>${escapeHtml(l.eventTime)}</td><td>${escapeHtml(l.party)}</td><td><code>${escapeHtml(l.type)}</code></td><td>${escapeHtml(l.summary)}</td></tr>`;

/**
 * The case report as named parts (see ReportPart), from an export's parts and its proven entries
 * (ledger order). The timeline is computed here from the entries with `timelineEntry`, the case
 * from its own entries with `caseRecordOf`, the findings from the answers' own findings. Pure and
 * deterministic: the ledger renders the report with it, and `ledger-verify --bundle` renders it
 * again from the entries it proved, so any edit to the report's text is found part by part.
 */
export function caseReportParts(source: CaseReportSource, entries: readonly RawEntry[], verification: ReportVerification): ReportPart[] {
  return [...reportParts(source, entries, verification)];
}

/**
 * caseReportParts, one part at a time, each rendered when it is asked for: a reader that compares
 * as it goes (firstReportDifference) keeps no rendered part alive, which on a large case saves
 * most of the garbage collector's work (it would copy every part it still holds).
 */
export function* reportParts(
  source: CaseReportSource,
  entries: readonly RawEntry[],
  verification: ReportVerification,
): Generator<ReportPart> {
  // Each entry is decoded through the contracts once, for the timeline and the case record alike.
  const decoded = entries.map((e) => decodeFact(e));
  const facts = decoded.filter((f): f is Fact => f !== undefined);
  const timeline = entries.map((e, i) => timelineLine(e, decoded[i]));
  const record = caseRecordOf(source.caseId, facts);
  const caseRecord = caseRecordItems(timeline.filter((l) => l.party === 'investigator'));
  const { answers, unrelated } = answersInCaseOrder(source.accountability, record);
  const title = record ? record.title : `Case ${source.caseId}`;
  const memo = new SectionMemo();
  yield {
    name: 'head',
    html: `<!DOCTYPE html>\n<html lang=en>\n<head>\n<meta charset=utf-8>\n<meta name=viewport content='width=device-width, initial-scale=1'>\n<title>Case ${escapeHtml(source.caseId)}: ${escapeHtml(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n`,
  };
  yield {
    name: 'header',
    html:
      `<header>\n<h1>${escapeHtml(title)}</h1>\n` +
      `<p class=meta>Case <code>${escapeHtml(source.caseId)}</code> &#183; ledger <code>${escapeHtml(source.origin)}</code> &#183; exported at ${escapeHtml(source.exportedAt)} (the ledger's clock, not proven by any entry)</p>\n` +
      `${verificationHtml(verification)}\n` +
      '<p class=meta>Findings are facts with the ledger entries that prove them (#seq), for learning and fair attribution, not verdicts.</p>\n</header>\n',
  };
  yield { name: 'case', html: caseHtml(source.caseId, record) };
  yield { name: 'findings', html: findingsHtml(answers, record, facts, source.recommendations) };
  if (source.recommendations !== undefined) yield { name: 'recommendations', html: recommendationsHtml(source.recommendations) };
  yield {
    name: 'accountability',
    html: `<h2>Accountability chain</h2>\n${answers.length === 0 ? '<p class=empty>No outputs are known for this case yet.</p>' : ''}`,
  };
  const columns = columnRecords(answers, memo);
  if (columns.shared.length > 0) {
    yield {
      name: 'shared records',
      html: "<h3>Vendor and employer records these outputs share</h3>\n<p class=meta>What more than one output's chain holds alike is printed once here; each output's section below refers to it by its section.</p>\n",
    };
    for (const r of columns.shared) yield { name: `shared ${r.id}`, html: sharedRecordHtml(r) };
  }
  for (const [i, a] of answers.entries())
    yield { name: `output ${a.outputId}`, html: outputHtml(a, caseRecord, memo, columns.perAnswer[i] ?? null) };
  if (unrelated.length > 0)
    yield {
      name: 'unrelated outputs',
      html: `<p class=stated>The export also states answers for outputs its entries do not relate to this case: ${unrelated.map((id) => `<code>${escapeHtml(id)}</code>`).join(', ')}.</p>`,
    };
  yield {
    name: 'timeline',
    html: '\n<h2>Timeline (ledger order)</h2>\n<table><thead><tr><th>seq</th><th>recorded</th><th>happened</th><th>party</th><th>event</th><th>summary</th></tr></thead><tbody>',
  };
  for (const l of timeline) yield { name: `timeline line #${l.seq}`, html: timelineRow(l) };
  yield {
    name: 'timeline end',
    html: `</tbody></table>\n${source.notCovered.length > 0 ? `<p class=stated>The ledger names entries recorded after checkpoint and not in this export (not proven): ${seqTags(source.notCovered)}</p>\n` : ''}`,
  };
  yield {
    name: 'footer',
    html:
      `<footer>Check this case offline: <code>ledger-verify --bundle case-${escapeHtml(source.caseId)}.json --key &lt;the ledger's verifier key&gt;</code>. ` +
      'It proves every entry against the signed checkpoint, re-derives the chain and findings from them, and renders this report again from the proven entries, naming the first part that differs. ' +
      'Not proven: the export time and anything marked as stated by the ledger.</footer>\n</body>\n</html>\n',
  };
}

/** The case report as one self-contained, printable HTML document (inline CSS, no scripts, no external resources). */
export function renderCaseReport(source: CaseReportSource, entries: readonly RawEntry[], verification: ReportVerification): string {
  let html = '';
  for (const part of reportParts(source, entries, verification)) html += part.html;
  return html;
}

/** Where a stated report first departs from the one rendered from the proven entries. */
export interface ReportDifference {
  /** The first part (ReportPart.name) whose text is not where the rendered report has it. */
  readonly part: string;
  /** Character offset in the stated HTML where that part should start. */
  readonly offset: number;
  /** Up to 160 characters of each, from the first character that differs. */
  readonly stated: string;
  readonly recomputed: string;
}

const EXCERPT = 160;

/** Compares `stated` with the rendered `parts` in order (taking each only when it is reached); null when they are the same document. */
export function firstReportDifference(stated: string, parts: Iterable<ReportPart>): ReportDifference | null {
  let offset = 0;
  for (const part of parts) {
    // `===` on a slice rather than startsWith: a rendered part is a concatenation (a rope), which
    // equality compares flat, and startsWith character by character (about three times slower).
    if (stated.slice(offset, offset + part.html.length) === part.html) {
      offset += part.html.length;
      continue;
    }
    let i = 0;
    while (i < part.html.length && stated[offset + i] === part.html[i]) i += 1;
    return { part: part.name, offset, stated: stated.slice(offset + i, offset + i + EXCERPT), recomputed: part.html.slice(i, i + EXCERPT) };
  }
  if (offset === stated.length) return null;
  return { part: 'after the end', offset, stated: stated.slice(offset, offset + EXCERPT), recomputed: '' };
}
