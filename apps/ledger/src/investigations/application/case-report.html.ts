import type { CaseBundleOutcome, CaseFinding } from '@aal/verifier';
import { PARTIES, type Party, type TimelineEntry } from '@aal/accountability';

/** Everything the printable report shows; built from the same data as the export bundle. */
export interface CaseReportModel {
  readonly case: Readonly<Record<string, unknown>> & { readonly caseId: string; readonly title: string };
  readonly generatedAt: string;
  readonly origin: string;
  readonly checkpoint: { readonly treeSize: number; readonly rootHash: string };
  /** The ledger's own offline verification of the bundle the report belongs to. */
  readonly verification: CaseBundleOutcome;
  readonly accountability: ReadonlyArray<{ readonly outputId: string; readonly chain: Readonly<Record<string, unknown>> | null; readonly problem?: { readonly detail: string } }>;
  readonly findings: readonly CaseFinding[];
  readonly timeline: readonly TimelineEntry[];
  readonly notCovered: readonly number[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attribute values. Everything from the log goes through it. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const PARTY_TITLE: Record<Party, string> = {
  vendor: 'Vendor — who built it',
  employer: 'Employer — who approved, deployed and instructed',
  'clinical-system': 'Clinical system — who acted on it',
  investigator: 'Investigator — this case',
};

const STYLE = `
:root { --ink: #1d232b; --muted: #5b6573; --line: #d5dae1; --ok: #1f6b3a; --bad: #9b1c1c; --tag: #eef1f5; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 2rem auto; max-width: 1200px; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.15rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; margin-top: 2rem; }
h3 { font-size: 1rem; margin: 1.25rem 0 .5rem; } h4 { font-size: .9rem; margin: .75rem 0 .25rem; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
.meta { color: var(--muted); } .verified { border: 2px solid var(--ok); color: var(--ok); padding: .5rem .75rem; font-weight: 600; }
.unverified { border: 2px solid var(--bad); color: var(--bad); padding: .5rem .75rem; font-weight: 600; }
code, .hash { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85em; word-break: break-all; }
.parties { display: grid; grid-template-columns: repeat(4, 1fr); gap: .75rem; }
.party { border: 1px solid var(--line); border-radius: 4px; padding: .5rem .75rem; }
.party > h4:first-child { margin-top: 0; }
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

const seqTags = (evidence: unknown) =>
  Array.isArray(evidence) && evidence.length > 0 ? evidence.map((s) => `<span class="seq">#${escapeHtml(s)}</span>`).join('') : '<span class="empty">none</span>';

/** A value as text: primitives as they are, objects as compact JSON (escaped by the caller). */
const text = (value: unknown): string => (typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));

/** One accountability item (any object with `evidence`) as a definition list. */
function itemHtml(item: unknown): string {
  if (typeof item !== 'object' || item === null) return `<p>${escapeHtml(text(item))}</p>`;
  const rows = Object.entries(item as Record<string, unknown>)
    .filter(([k, v]) => k !== 'evidence' && v !== undefined && v !== null)
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(text(v))}</dd>`)
    .join('');
  return `<div class="item"><dl>${rows}<dt>evidence</dt><dd>${seqTags((item as Record<string, unknown>)['evidence'])}</dd></dl></div>`;
}

function section(title: string, value: unknown): string {
  const items = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
  return `<h4>${escapeHtml(title)}</h4>${items.length === 0 ? '<p class="empty">nothing recorded</p>' : items.map(itemHtml).join('')}`;
}

const get = (chain: Readonly<Record<string, unknown>>, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined), chain);

/** The four parties' facts about one output, side by side. */
function partiesHtml(chain: Readonly<Record<string, unknown>>, investigatorLines: readonly TimelineEntry[]): string {
  const columns: Record<Party, string> = {
    vendor: section('Model', get(chain, 'built', 'model')) + section('Version', get(chain, 'built', 'version')) + section('Safety notices in force', get(chain, 'built', 'safetyNoticesInForce')),
    employer:
      section('Request', get(chain, 'approvedAndDeployed', 'request')) +
      section('Approval', get(chain, 'approvedAndDeployed', 'approval')) +
      section('Activation', get(chain, 'approvedAndDeployed', 'activation')) +
      section('Deployment state at output time', get(chain, 'approvedAndDeployed', 'stateAtOutputTime')) +
      section('Usage policies in force', get(chain, 'instructed', 'policiesInForce')) +
      section('Training', get(chain, 'instructed', 'training')),
    'clinical-system':
      section('Output', get(chain, 'output')) +
      section('Instructions', get(chain, 'instructed', 'instructions')) +
      section('Presentations', get(chain, 'actedOn', 'presentations')) +
      section('Actions', get(chain, 'actedOn', 'actions')),
    investigator: section(
      'Case record',
      investigatorLines.map((l) => ({ type: l.type, by: l.summary, recordedAt: l.recordedAt, evidence: [l.seq] })),
    ),
  };
  return `<div class="parties">${PARTIES.map((p) => `<section class="party"><h4>${escapeHtml(PARTY_TITLE[p])}</h4>${columns[p]}</section>`).join('')}</div>`;
}

/**
 * Renders a case as one self-contained, printable HTML document (inline CSS with a print
 * stylesheet, no scripts, no external resources). Every value from the log is escaped.
 */
export function renderCaseReport(model: CaseReportModel): string {
  const c = model.case;
  const v = model.verification;
  const verification = v.ok
    ? `<p class="verified">Verified against checkpoint ${escapeHtml(v.checkpoint.treeSize)} (root <span class="hash">${escapeHtml(v.checkpoint.rootHash)}</span>): ${escapeHtml(v.entries)} entries proven, ${escapeHtml(v.citations)} evidence citations resolved.</p>`
    : `<p class="unverified">NOT verified: ${escapeHtml(v.problem.kind)} — ${escapeHtml(v.problem.detail)}</p>`;
  const investigatorLines = model.timeline.filter((l) => l.party === 'investigator');
  const caseFacts = Object.entries(c)
    .filter(([, value]) => value !== undefined)
    .map(([k, value]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(text(value))}</dd>`)
    .join('');
  const outputs = model.accountability
    .map((a) =>
      a.chain === null
        ? `<h3>Output <code>${escapeHtml(a.outputId)}</code></h3><p class="empty">${escapeHtml(a.problem?.detail ?? 'not in the ledger')}</p>`
        : `<h3>Output <code>${escapeHtml(a.outputId)}</code> <span class="meta">as it stood at ${escapeHtml(get(a.chain, 'asOf') ?? '')}</span></h3>${partiesHtml(a.chain, investigatorLines)}`,
    )
    .join('');
  const findings =
    model.findings.length === 0
      ? '<p class="empty">No findings.</p>'
      : `<table><thead><tr><th>finding</th><th>detail</th><th>evidence</th></tr></thead><tbody>${model.findings
          .map((f) => `<tr><td><strong>${escapeHtml(f.title)}</strong><br><code>${escapeHtml(f.code)}</code></td><td>${escapeHtml(f.detail)}</td><td>${seqTags(f.evidence)}</td></tr>`)
          .join('')}</tbody></table>`;
  const timeline = `<table><thead><tr><th>seq</th><th>recorded</th><th>happened</th><th>party</th><th>event</th><th>summary</th></tr></thead><tbody>${model.timeline
    .map(
      (l) =>
        `<tr><td><span class="seq">#${escapeHtml(l.seq)}</span></td><td>${escapeHtml(l.recordedAt)}</td><td>${escapeHtml(l.eventTime)}</td><td>${escapeHtml(l.party)}</td><td><code>${escapeHtml(l.type)}</code></td><td>${escapeHtml(l.summary)}</td></tr>`,
    )
    .join('')}</tbody></table>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Case ${escapeHtml(c.caseId)}: ${escapeHtml(c.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(c.title)}</h1>
<p class="meta">Case <code>${escapeHtml(c.caseId)}</code> · ledger <code>${escapeHtml(model.origin)}</code> · report generated ${escapeHtml(model.generatedAt)}</p>
${verification}
<p class="meta">Findings are facts with the ledger entries that prove them (#seq), for learning and fair attribution, not verdicts.</p>
</header>
<h2>Case</h2>
<dl>${caseFacts}</dl>
<h2>Findings</h2>
${findings}
<h2>Accountability chain</h2>
${outputs || '<p class="empty">No outputs are known for this case yet.</p>'}
<h2>Timeline (ledger order)</h2>
${timeline}
${model.notCovered.length > 0 ? `<p class="meta">Recorded after checkpoint ${escapeHtml(model.checkpoint.treeSize)} and not yet provable: ${seqTags(model.notCovered)}</p>` : ''}
<footer>Check this case offline: <code>ledger-verify --bundle case-${escapeHtml(c.caseId)}.json --key &lt;the ledger's verifier key&gt;</code>. Only entries and the signed checkpoint are proven; the chain and findings are the ledger's reading of them.</footer>
</body>
</html>
`;
}
