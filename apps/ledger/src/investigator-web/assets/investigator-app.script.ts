/**
 * The investigator page's script, served as-is at /investigate/app.js (plain ES2022 for the
 * browser; no build step, no framework, no third-party code). It talks only to this ledger's own
 * API, with the bearer token the investigator pasted (kept in sessionStorage), and writes every
 * value from the ledger with `textContent` or as an attribute value, never as markup.
 *
 * The "Verified against checkpoint N" badge is computed here, in the browser, trusting nothing
 * the server says about hashes: it recomputes each evidence entry's RFC 9162 leaf hash from the
 * raw entry (from the case export or replay), walks the entry's inclusion proof to a root with WebCrypto
 * SHA-256, and compares it with the root of a checkpoint whose Ed25519 signature it checked. See
 * docs/investigations.md, "The web view".
 *
 * The answers themselves are then re-derived here from the case export's proven entries
 * with the ledger's own code, loaded before this script from /investigate/accountability.js
 * (the global AalAccountability, built by scripts/bundle-web.js).
 *
 * The script is four parts concatenated into one closure: this file (token, API, cases, views),
 * investigator-render.script.ts (DOM and rendering), investigator-verify.script.ts (proofs and
 * re-derivation) and investigator-deployment.script.ts (a deployment's oversight and scope, with
 * the charts and words of /investigate/view.js, the global AalView). Written without template literals so each can live in a String.raw block.
 */
import { INVESTIGATOR_DEPLOYMENT_JS } from './investigator-deployment.script';
import { INVESTIGATOR_RENDER_JS } from './investigator-render.script';
import { INVESTIGATOR_VERIFY_JS } from './investigator-verify.script';

const APP_JS = String.raw`
  // ---- token -------------------------------------------------------------------------------

  function token() { return sessionStorage.getItem(TOKEN_KEY) || ''; }

  function claimsOf(jwt) {
    try {
      var part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(decodeURIComponent(escape(atob(part + '==='.slice((part.length + 3) % 4)))));
    } catch (e) {
      return null;
    }
  }

  function showTokenState() {
    var state = byId('token-state');
    var t = token();
    if (!t) { state.textContent = 'No token yet: paste an investigator bearer token.'; return; }
    var c = claimsOf(t);
    var roles = c && Array.isArray(c.roles) ? c.roles.join(', ') : '?';
    var expires = c && typeof c.exp === 'number' ? new Date(c.exp * 1000).toISOString() : '?';
    state.textContent = c
      ? 'Using the token of ' + c.sub + ' (' + c.org + '; roles ' + roles + '), expires ' + expires + '.'
      : 'Using the pasted token (it is not a readable JWT; the ledger will judge it).';
  }

  // ---- API ---------------------------------------------------------------------------------

  function problemText(res) {
    var body = res.body;
    if (body && typeof body === 'object') return (body.detail || body.title || 'error') + (body.code ? ' (' + body.code + ')' : '');
    return typeof body === 'string' && body ? body.slice(0, 300) : 'HTTP ' + res.status;
  }

  async function api(path, options) {
    options = options || {};
    var headers = { accept: 'application/json, application/x-ndjson, application/problem+json' };
    if (options.auth !== false) headers.authorization = 'Bearer ' + token();
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    var res = await fetch(path, { method: options.method || 'GET', headers: headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), cache: 'no-store', credentials: 'omit' });
    var text = await res.text();
    var type = res.headers.get('content-type') || '';
    var body = text;
    if (/json/.test(type) && !/ndjson/.test(type)) {
      try { body = JSON.parse(text); } catch (e) { body = text; }
    }
    return { ok: res.ok, status: res.status, body: body };
  }

  function apiError(what, res) {
    if (res.status === 401) return new Error(what + ': the ledger refused the token (401): ' + problemText(res) + '. Paste a valid investigator token.');
    if (res.status === 403) return new Error(what + ': not allowed (403): ' + problemText(res));
    return new Error(what + ' failed (' + res.status + '): ' + problemText(res));
  }

  // ---- cases -------------------------------------------------------------------------------

  function rememberedCases() {
    try { return JSON.parse(sessionStorage.getItem(CASES_KEY) || '{}'); } catch (e) { return {}; }
  }

  /** The case this investigator opened in this tab for "scopeKey", or a new one. */
  async function caseFor(scopeKey, request) {
    var owner = (claimsOf(token()) || {}).sub || '';
    var cases = rememberedCases();
    var known = cases[owner + ' ' + scopeKey];
    if (known) {
      var existing = await api('/cases/' + encodeURIComponent(known));
      if (existing.ok && existing.body.status !== 'closed') return existing.body;
    }
    var opened = await api('/cases', { method: 'POST', body: request });
    if (!opened.ok) {
      // A refusal names its reason: no mandate (403 CASE.NO_MANDATE), or a record the ledger does not hold (404).
      var refused = apiError('Opening a case', opened);
      refused.problem = opened.body;
      throw refused;
    }
    cases[owner + ' ' + scopeKey] = opened.body.caseId;
    sessionStorage.setItem(CASES_KEY, JSON.stringify(cases));
    return opened.body;
  }

  // ---- views -------------------------------------------------------------------------------

  /** The case's export bundle; a checkpoint covering a fresh case may take a moment (409 CASE.CHECKPOINT_PENDING). */
  async function exportOf(caseId) {
    for (var attempt = 1; ; attempt++) {
      var res = await api('/cases/' + encodeURIComponent(caseId) + '/export');
      if (res.ok) return answersRead(res.body);
      if (res.status !== 409 || attempt >= 10) throw apiError('Exporting case ' + caseId, res);
      await new Promise(function (resolve) { setTimeout(resolve, 500); });
    }
  }

  function entriesBySeq(list) {
    var bySeq = {};
    (list || []).forEach(function (e) { if (e && Number.isSafeInteger(e.seq)) bySeq[e.seq] = e; });
    return bySeq;
  }

  /** The case's legal hold as its export states it; the holds its proven entries record are filled in once they are proven. */
  function holdsPart(bundle) {
    var check = el('p', { id: 'holds-rederived', class: 'badge', role: 'status' }, ['Re-deriving the legal holds from the proven entries\u2026']);
    var list = el('div', { id: 'holds' }, []);
    return { check: check, list: list, nodes: [el('h2', {}, ['Legal hold (evidence freeze)']), check, statedHoldNode(bundle.case && bundle.case.hold), list] };
  }

  /** The case's safety recommendations as its export states them, with a badge saying whether they are re-derived. */
  function recommendationsPart(bundle) {
    var check = el('p', { id: 'recommendations-rederived', class: 'badge', role: 'status' }, ['Re-deriving the recommendations from the proven entries\u2026']);
    return { check: check, nodes: [el('h2', {}, ['Safety recommendations and their state']), check, recommendationsNode(bundle.recommendations)] };
  }

  /**
   * An output, read through a case of its own (opened once per tab and output, and reused): the
   * ledger admits investigators to the chains of outputs in their cases, and records every read.
   */
  async function showOutput(outputId) {
    var result = byId('result');
    var c;
    try {
      c = await caseFor('output:' + outputId, { title: 'Investigator view: output ' + outputId, outputIds: [outputId] });
    } catch (e) {
      if (!(e && e.problem && e.problem.code === 'OUTPUT.NOT_FOUND')) throw e;
      setStatus('No output "' + outputId + '" in the ledger: ' + e.problem.detail + ' (' + e.problem.code + ')', true);
      return;
    }
    var bundle = await exportOf(c.caseId);
    var found = (bundle.accountability || []).filter(function (x) { return x.outputId === outputId; })[0];
    if (!found || !found.chain) {
      setStatus('No output "' + outputId + '" in the ledger: ' + (found && found.problem ? found.problem.detail + ' (' + found.problem.code + ')' : 'the case names no such output'), true);
      return;
    }
    var a = found.chain;
    var b = badgeNodes();
    var rederived = el('p', { id: 'rederived', class: 'badge', role: 'status' }, ['Re-deriving the answer from the proven entries\u2026']);
    var holds = holdsPart(bundle);
    var recommendations = recommendationsPart(bundle);
    result.replaceChildren(
      el('h2', {}, ['Output ', el('code', { id: 'output-id' }, [a.outputId]), ' \u00b7 case ', el('code', { id: 'case-id' }, [c.caseId])]),
      el('p', { class: 'clocks' }, ['As it stood at ', timeNode(a.asOf), ' (' + a.asOfSource + '), from what the ledger had recorded up to entry #' + get(a, 'knownAt.seq') + ' (', timeNode(get(a, 'knownAt.recordedAt')), ').']),
      b.badge, b.detail, rederived,
      el('p', {}, [el('a', { id: 'deployment-link', href: deploymentHref({ deploymentId: a.approvedAndDeployed.deploymentId, caseId: c.caseId, to: utcDayOf(get(a, 'output.generatedAt')) }) }, ['Deployment ' + a.approvedAndDeployed.deploymentId + ': time to check, findings and scope as approved and as used'])]),
      el('h2', {}, ['Who built, approved and deployed, instructed, and acted on it']),
      partiesNode(a),
      el('h2', {}, ['Timeline (by when it happened)']),
      timelineNode(timelineRows(a)),
      el('h2', {}, ['Findings']),
      findingsNode(a.findings),
      ...holds.nodes,
      ...recommendations.nodes,
    );
    setStatus('Output ' + a.outputId + ' loaded; verifying its evidence\u2026');
    // Every entry of the export is proven, not only the cited ones: the answer is re-derived from all of them.
    var proven = collectEvidence(a, {});
    (bundle.entries || []).forEach(function (e) { if (e && Number.isSafeInteger(e.seq)) proven[e.seq] = true; });
    var seqs = Object.keys(proven).map(Number).sort(function (x, y) { return x - y; });
    var outcome = await verifyEvidence(entriesBySeq(bundle.entries), seqs);
    showBadge(b.badge, b.detail, outcome);
    var agrees = showRederived(rederived, bundle, outcome);
    var holdsAgree = showHoldsRederived(holds.check, holds.list, bundle, c.caseId, outcome);
    var recommendationsAgree = showRecommendationsRederived(recommendations.check, bundle, c.caseId, outcome);
    setStatus(
      'Output ' + a.outputId + ': ' + (outcome.ok ? 'verified' : 'NOT verified') + (agrees ? ', answer re-derived' : ', answer NOT re-derived') + (holdsAgree ? ', legal hold re-derived' : ', legal hold NOT re-derived') + (recommendationsAgree ? ', recommendations re-derived.' : ', recommendations NOT re-derived.'),
      !outcome.ok || !agrees || !holdsAgree || !recommendationsAgree,
    );
  }

  /**
   * An incident, read through a case of its own. The case export comes first: its entries are
   * what the page proves, and the ledger's timeline is then read as the ledger knew it at the
   * export's last entry, so that both speak of the same entries and every stated line can be
   * re-derived from a proven one.
   */
  async function showIncident(incidentId) {
    var result = byId('result');
    var c = await caseFor('incident:' + incidentId, { title: 'Investigator view: incident ' + incidentId, incidentId: incidentId });
    var bundle = await exportOf(c.caseId);
    var seqs = (bundle.entries || []).map(function (e) { return e && e.seq; }).filter(Number.isSafeInteger).sort(function (x, y) { return x - y; });
    var knownAt = seqs.length ? '?knownAt=' + seqs[seqs.length - 1] : '';
    var res = await api('/cases/' + encodeURIComponent(c.caseId) + '/timeline' + knownAt);
    if (!res.ok) throw apiError('Reading the timeline of case ' + c.caseId, res);
    var t = res.body;
    var lines = Array.isArray(t.entries) ? t.entries : [];
    var b = badgeNodes();
    var rederived = el('p', { id: 'rederived', class: 'badge', role: 'status' }, ['Re-deriving the answers from the proven entries\u2026']);
    var timelineCheck = el('p', { id: 'timeline-rederived', class: 'badge', role: 'status' }, ['Re-deriving the timeline from the proven entries\u2026']);
    var table = caseTimelineNode(lines);
    var holds = holdsPart(bundle);
    var recommendations = recommendationsPart(bundle);
    var outputs = (t.outputIds || []).map(function (id) {
      return el('li', {}, [el('button', { type: 'button', class: 'secondary open-output', 'data-output-id': id }, ['Open output ' + id])]);
    });
    result.replaceChildren(
      el('h2', {}, ['Incident ', el('code', { id: 'incident-id' }, [incidentId]), ' \u00b7 case ', el('code', { id: 'case-id' }, [c.caseId])]),
      b.badge, b.detail, rederived,
      outputs.length ? el('ul', {}, outputs) : el('p', { class: 'empty' }, ['The ledger holds no report of incident ' + incidentId + ' naming an output.']),
      el('h2', {}, ['Timeline (by when it happened)']),
      timelineCheck,
      table,
      ...holds.nodes,
      ...recommendations.nodes,
    );
    result.querySelectorAll('button.open-output').forEach(function (button) {
      button.addEventListener('click', function () { byId('kind').value = 'output'; byId('query').value = button.getAttribute('data-output-id'); run(); });
    });
    setStatus('Incident ' + incidentId + ': case ' + c.caseId + ' with ' + lines.length + ' timeline lines; verifying\u2026');
    // Every entry of the export is proven; the answers and the timeline are re-derived from them.
    var outcome = await verifyEvidence(entriesBySeq(bundle.entries), seqs);
    showBadge(b.badge, b.detail, outcome);
    var agrees = showRederived(rederived, bundle, outcome);
    var timelineAgrees = showTimelineRederived(timelineCheck, table, lines, bundle, outcome);
    var holdsAgree = showHoldsRederived(holds.check, holds.list, bundle, c.caseId, outcome);
    var recommendationsAgree = showRecommendationsRederived(recommendations.check, bundle, c.caseId, outcome);
    setStatus(
      'Incident ' + incidentId + ': ' + (outcome.ok ? 'verified' : 'NOT verified') + (agrees ? ', answers re-derived' : ', answers NOT re-derived') + (timelineAgrees ? ', timeline re-derived' : ', timeline NOT re-derived') + (holdsAgree ? ', legal hold re-derived' : ', legal hold NOT re-derived') + (recommendationsAgree ? ', recommendations re-derived.' : ', recommendations NOT re-derived.'),
      !outcome.ok || !agrees || !timelineAgrees || !holdsAgree || !recommendationsAgree,
    );
  }

  var running = false;
  async function run() {
    if (running) return;
    var query = byId('query').value.trim();
    if (!query) return;
    if (!token()) { setStatus('Paste an investigator bearer token first.', true); return; }
    running = true;
    byId('search').disabled = true;
    byId('result').replaceChildren();
    setStatus('Searching\u2026');
    // An output or incident is not the deployment the address may still name.
    if (byId('kind').value !== 'deployment' && location.hash) history.replaceState(null, '', location.pathname + location.search);
    try {
      if (byId('kind').value === 'incident') await showIncident(query);
      else if (byId('kind').value === 'deployment') {
        if (!DEPLOYMENT_ROUTE.test('#/deployments/' + query)) throw new Error('"' + query + '" is not a deployment id (a UUID).');
        var route = { deploymentId: query.toLowerCase(), caseId: '', from: '', to: '', bucket: '' };
        if (location.hash !== deploymentHref(route)) history.replaceState(null, '', deploymentHref(route));
        await showDeployment(route);
      } else await showOutput(query);
    } catch (e) {
      setStatus(e && e.message ? e.message : String(e), true);
    } finally {
      running = false;
      byId('search').disabled = false;
    }
  }

  byId('token-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var value = byId('token').value.trim().replace(/^Bearer\s+/i, '');
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    var pin = byId('pinned-key').value.trim();
    if (pin) sessionStorage.setItem(PINNED_KEY, pin); else sessionStorage.removeItem(PINNED_KEY);
    byId('token').value = '';
    showTokenState();
  });
  byId('forget-token').addEventListener('click', function () {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(PINNED_KEY);
    byId('pinned-key').value = '';
    showTokenState();
  });
  byId('search-form').addEventListener('submit', function (event) { event.preventDefault(); run(); });
  byId('pinned-key').value = sessionStorage.getItem(PINNED_KEY) || '';
  showTokenState();

  /** A deployment address (a link followed, a URL opened, the period form) shows that deployment. */
  async function followRoute() {
    var route = deploymentRoute();
    if (!route || running) return;
    if (!token()) { setStatus('Paste a bearer token first, then open ' + location.hash + ' again.', true); return; }
    running = true;
    byId('search').disabled = true;
    byId('kind').value = 'deployment';
    byId('query').value = route.deploymentId;
    byId('result').replaceChildren();
    try {
      await showDeployment(route);
    } catch (e) {
      setStatus(e && e.message ? e.message : String(e), true);
    } finally {
      running = false;
      byId('search').disabled = false;
    }
  }
  window.addEventListener('hashchange', followRoute);
  // A printed page shows each finding's evidence: the reader of paper cannot click it open.
  window.addEventListener('beforeprint', function () { document.querySelectorAll('details').forEach(function (d) { d.open = true; }); });
  followRoute();
`;

/** The page's settings, shared by the three parts. */
const PRELUDE_JS = String.raw`
  var TOKEN_KEY = 'aal.investigator.token';
  var PINNED_KEY = 'aal.investigator.pinnedVerifierKey';
  var CASES_KEY = 'aal.investigator.cases';
  var LATE_AFTER_SECONDS = Number(document.body.getAttribute('data-late-after-seconds') || '900');
  var PROOF_PATH = /^\/entries\/(0|[1-9][0-9]{0,15})\/inclusion-proof\?treeSize=(0|[1-9][0-9]{0,15})$/;
`;

export const INVESTIGATOR_APP_JS = `'use strict';
(function () {
${PRELUDE_JS}
${INVESTIGATOR_RENDER_JS}
${INVESTIGATOR_VERIFY_JS}
${INVESTIGATOR_DEPLOYMENT_JS}
${APP_JS}
})();
`;
