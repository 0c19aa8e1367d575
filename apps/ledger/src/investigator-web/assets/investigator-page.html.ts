import { createHash } from 'node:crypto';
import { LATE_RECORDING_SECONDS } from '@aal/accountability';
import { INVESTIGATOR_ACCOUNTABILITY_PATH, INVESTIGATOR_VIEW_PATH } from './investigator-accountability.bundle';

/** Where the page's script is served (same origin, so `script-src 'self'` admits it). */
export const INVESTIGATOR_SCRIPT_PATH = '/investigate/app.js';
export const INVESTIGATOR_ICON_PATH = '/investigate/icon.svg';

/** The page's icon, so the browser does not ask the ledger for a /favicon.ico it does not have. */
export const INVESTIGATOR_ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#24466b"/><path d="M4 8.5l2.5 2.5L12 5.5" stroke="#fff" stroke-width="2" fill="none"/></svg>';

const STYLE = `
:root { --ink: #1d232b; --muted: #5b6573; --line: #d5dae1; --ok: #1f6b3a; --ok-bg: #e8f4ec; --bad: #9b1c1c; --bad-bg: #fbeaea; --tag: #eef1f5; --late: #8a5a00; --late-bg: #fff4d6; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1400px; padding: 1rem 1.25rem 3rem; }
header h1 { font-size: 1.4rem; margin: .25rem 0; } header p { margin: 0 0 .75rem; color: var(--muted); }
h2 { font-size: 1.15rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; margin-top: 1.75rem; }
h3 { font-size: 1rem; margin: 0 0 .5rem; } h4 { font-size: .8rem; margin: .75rem 0 .25rem; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin: .5rem 0; }
label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); gap: .15rem; }
input, select, button { font: inherit; padding: .35rem .5rem; border: 1px solid var(--line); border-radius: 4px; }
input.wide { width: 38rem; max-width: 80vw; } button { background: #24466b; color: #fff; border-color: #24466b; cursor: pointer; }
button.secondary { background: #fff; color: var(--ink); border-color: var(--line); }
.panel { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .9rem; background: #fafbfc; }
.status { margin: .5rem 0; min-height: 1.4em; } .status.error { color: var(--bad); font-weight: 600; }
.badge { display: inline-block; padding: .35rem .7rem; border-radius: 4px; font-weight: 600; border: 2px solid var(--muted); color: var(--muted); }
.badge.verified { border-color: var(--ok); color: var(--ok); background: var(--ok-bg); }
.badge.unverified { border-color: var(--bad); color: var(--bad); background: var(--bad-bg); }
.badge-detail { color: var(--muted); font-size: .85em; margin: .3rem 0 0; }
.clocks { color: var(--muted); margin: .25rem 0 .75rem; }
.parties { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: .75rem; }
.party { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .75rem; background: #fff; }
.party > h3 { border-bottom: 2px solid var(--line); padding-bottom: .3rem; }
.party[data-party="built"] > h3 { border-color: #5b7db1; } .party[data-party="approved"] > h3 { border-color: #7a5bb1; }
.party[data-party="instructed"] > h3 { border-color: #b17a5b; } .party[data-party="acted"] > h3 { border-color: #5bb18a; }
.item { border-top: 1px dotted var(--line); padding: .3rem 0; }
dl { margin: .15rem 0; display: grid; grid-template-columns: fit-content(45%) minmax(0, 1fr); gap: 0 .5rem; }
dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
.times { color: var(--muted); font-size: .8em; }
.seq { display: inline-block; background: var(--tag); border-radius: 3px; padding: 0 .3rem; margin: 0 .2rem .1rem 0; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .8em; color: #24466b; }
.mark { display: inline-block; border-radius: 3px; padding: 0 .3rem; font-size: .75em; font-weight: 600; }
.mark.late { background: var(--late-bg); color: var(--late); } .mark.back-dated { background: var(--bad-bg); color: var(--bad); }
.empty { color: var(--muted); font-style: italic; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); padding: .25rem .4rem; }
th { font-weight: 600; color: var(--muted); } tr.late td { background: var(--late-bg); } tr.differs td { background: var(--bad-bg); outline: 1px solid var(--bad); }
.finding { border-left: 4px solid #24466b; padding: .3rem .7rem; margin: .5rem 0; background: #fafbfc; }
.finding code, code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85em; }
.hash { font-family: ui-monospace, monospace; font-size: .8em; overflow-wrap: anywhere; }
@media (max-width: 900px) { .parties { grid-template-columns: 1fr 1fr; } }
time { text-decoration: underline dotted var(--muted); text-underline-offset: 2px; }
.finding .statement { font-size: 1.05em; margin: .25rem 0; } .finding .meaning { color: var(--muted); margin: .25rem 0; }
.threshold { font-weight: 600; color: var(--ink); }
details.evidence-details > summary { cursor: pointer; color: #24466b; font-weight: 600; }
details.evidence-details { margin: .35rem 0; } .rerun.same { color: var(--ok); font-weight: 600; } .rerun.differs { color: var(--bad); font-weight: 600; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 1rem; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; background: #fff; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { display: block; max-width: 100%; height: auto; background: #fff; color: var(--ink); }
figure.chart svg text, figure.chart svg tspan { white-space: pre; }
figure.chart figcaption { color: var(--muted); font-size: .85em; margin-top: .35rem; }
table.chart-data caption { text-align: left; font-weight: 600; }
.chart-data-box { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }
table.buckets { font-size: .85em; margin: .35rem 0; }
.scope { display: grid; grid-template-columns: 1fr 1fr; gap: .75rem; }
.scope > section { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .75rem; background: #fff; }
.scope li.outside { color: var(--bad); } .scope-missing { background: var(--late-bg); padding: .3rem .5rem; border-radius: 4px; }
@media print {
  @page { size: A4; margin: 14mm; }
  body { max-width: none; padding: 0; font-size: 10.5pt; color: #000; background: #fff; }
  section.panel, form, button, noscript, #status { display: none !important; }
  .panel, .party, .finding, figure.chart, .scope > section { background: #fff !important; }
  .charts { display: block; } figure.chart { border: 1px solid #999; margin: 0 0 6mm; }
  figure.chart svg { width: 100%; max-width: 180mm; }
  .chart-data-box { position: static; width: 100%; height: auto; overflow: visible; clip: auto; clip-path: none; white-space: normal; margin-top: 2mm; font-size: 9pt; }
  a { color: #000; }
  .scope { grid-template-columns: 1fr 1fr; } .parties { grid-template-columns: 1fr 1fr; }
  time { text-decoration: none; }
}
`;

/**
 * The CSP hash of the inline stylesheet: the policy admits exactly this style block and nothing
 * else inline, so a style or script smuggled into the page by data cannot run.
 */
export const STYLE_HASH = `sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}`;

/**
 * The response's Content-Security-Policy: scripts only from this origin (the page's own script
 * route), the one inline stylesheet by hash, requests only to this origin, no framing, no forms
 * posting elsewhere, no plugins.
 */
export const INVESTIGATOR_PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  `style-src '${STYLE_HASH}'`,
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The investigator page: a shell holding no data. Everything it shows is fetched by its script
 * from the authenticated API with the token the investigator pastes, and written with
 * `textContent`.
 */
export const INVESTIGATOR_PAGE_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="${INVESTIGATOR_ICON_PATH}" type="image/svg+xml">
<title>Investigator view · AI Accountability Ledger</title>
<style>${STYLE}</style>
<script src="${INVESTIGATOR_ACCOUNTABILITY_PATH}" defer></script>
<script src="${INVESTIGATOR_VIEW_PATH}" defer></script>
<script src="${INVESTIGATOR_SCRIPT_PATH}" defer></script>
</head>
<body data-late-after-seconds="${LATE_RECORDING_SECONDS}">
<header>
<h1>AI Accountability Ledger · investigator view</h1>
<p>Who built it, who approved and deployed it, who instructed its use, and who acted on it: facts with the ledger entries that prove them, for learning and fair attribution, not verdicts.</p>
</header>
<section class="panel" aria-label="Access token">
<form id="token-form" autocomplete="off">
<label for="token">Bearer token (investigator; kept in this tab only)
<input id="token" name="token" class="wide" type="password" spellcheck="false" placeholder="eyJ…"></label>
<label for="pinned-key">Ledger verifier key to pin (optional; else the key the ledger serves)
<input id="pinned-key" name="pinned-key" class="wide" spellcheck="false" placeholder="name+keyid+base64"></label>
<button type="submit">Use token</button>
<button type="button" id="forget-token" class="secondary">Forget</button>
</form>
<p id="token-state" class="status"></p>
</section>
<section class="panel" aria-label="Search">
<form id="search-form" autocomplete="off">
<label for="kind">Search for
<select id="kind" name="kind"><option value="output">an output</option><option value="incident">an incident</option><option value="deployment">a deployment</option></select></label>
<label for="query">Output, incident or deployment id
<input id="query" name="query" class="wide" spellcheck="false" required></label>
<button type="submit" id="search">Search</button>
</form>
</section>
<p id="status" class="status" role="status" aria-live="polite"></p>
<main id="result"></main>
<noscript>This page needs JavaScript to fetch and verify the ledger's answers.</noscript>
</body>
</html>
`;
