/**
 * The investigator page's deployment view (issue #14): reached from an output's chain (its
 * deployment link) or by URL, `#/deployments/{id}?case={caseId}&from=&to=&bucket=`. It reads
 * GET /cases/{caseId}/deployments/{id}/oversight (an investigator's case; or, for the employer's
 * staff and auditors, GET /deployments/{id}/oversight) and shows, in this order: the findings in
 * plain words with their evidence one click away, the three oversight charts (Observable Plot,
 * from AalView) each with a caption and a data table, and the approved scope (GET .../scope, the
 * case's or the deployment's own) beside where the tool was used. Plain ES2022 concatenated by investigator-app.script.ts into the page's one script;
 * written without template literals so it can live in String.raw.
 */
export const INVESTIGATOR_DEPLOYMENT_JS = String.raw`
  // ---- routes ------------------------------------------------------------------------------

  var DEPLOYMENT_ROUTE = /^#\/deployments\/([0-9a-fA-F-]{36})(?:\?(.*))?$/;

  /** The deployment route of the page's address, or null. */
  function deploymentRoute() {
    var m = DEPLOYMENT_ROUTE.exec(location.hash);
    if (!m) return null;
    var params = new URLSearchParams(m[2] || '');
    return { deploymentId: m[1].toLowerCase(), caseId: params.get('case') || '', from: params.get('from') || '', to: params.get('to') || '', bucket: params.get('bucket') || '' };
  }

  function deploymentHref(route) {
    var params = new URLSearchParams();
    ['case', 'from', 'to', 'bucket'].forEach(function (k) {
      var v = k === 'case' ? route.caseId : route[k];
      if (v) params.set(k, v);
    });
    var q = params.toString();
    return '#/deployments/' + route.deploymentId + (q ? '?' + q : '');
  }

  /** The UTC day of an instant (the oversight periods are UTC days), or '' when it is none. */
  function utcDayOf(iso) {
    var ms = Date.parse(iso);
    return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : '';
  }

  function hasRole(role) {
    var c = claimsOf(token()) || {};
    return c.role === role || (Array.isArray(c.roles) && c.roles.indexOf(role) >= 0);
  }

  /**
   * Where this token reads the deployment's oversight: through the case named in the route, else
   * (an investigator) through one of the cases this tab opened that covers the deployment, else
   * the employer's and auditors' own route.
   */
  async function oversightSource(route, query) {
    if (route.caseId) return { caseId: route.caseId, base: '/cases/' + encodeURIComponent(route.caseId) + '/deployments/' + route.deploymentId + '/oversight' };
    if (!hasRole('investigator')) return { caseId: '', base: '/deployments/' + route.deploymentId + '/oversight' };
    var owner = (claimsOf(token()) || {}).sub || '';
    var cases = rememberedCases();
    var ids = Object.keys(cases).filter(function (k) { return k.indexOf(owner + ' ') === 0; }).map(function (k) { return cases[k]; });
    for (var i = ids.length - 1; i >= 0; i--) {
      var base = '/cases/' + encodeURIComponent(ids[i]) + '/deployments/' + route.deploymentId + '/oversight';
      var res = await api(base + query);
      if (res.ok) return { caseId: ids[i], base: base, answer: res.body };
    }
    throw new Error('Investigators read a deployment through one of their cases: search for an output this deployment produced, then follow its deployment link.');
  }

  // ---- words and dates ---------------------------------------------------------------------

  /** An instant in the reader's local time, its exact UTC value on hover. */
  function timeNode(iso) {
    if (typeof iso !== 'string' || !iso) return el('span', { class: 'empty' }, ['not recorded']);
    return el('time', { datetime: iso, title: AalView.utcTitle(iso) + ' (UTC)' }, [AalView.localTime(iso)]);
  }

  function words(key) { return AalView.fieldWords(key); }

  function figureText(key, value) {
    if (value === null || value === undefined) return 'none';
    if (typeof value === 'number' && /^share/.test(key)) return Math.round(value * 1000) / 10 + ' %';
    if (Array.isArray(value)) return value.map(function (v) { return figureText(key, v); }).join(', ');
    if (value && typeof value === 'object') return Object.keys(value).map(function (k) { return words(k) + ' ' + figureText(k, value[k]); }).join('; ');
    return String(value);
  }

  /** A finding's definition (libs/accountability, as docs/findings.md states it), its threshold names given their values. */
  function meaningNodes(code, thresholds) {
    var def = (AalAccountability.OVERSIGHT_FINDINGS || {})[code];
    if (!def) return [];
    var parts = def.description.split(/\u0060([A-Za-z]+)\u0060/);
    return parts.map(function (part, i) {
      if (i % 2 === 0) return part;
      var v = thresholds ? thresholds[part] : undefined;
      var text = typeof v !== 'number' ? words(part) : /Share|Fall|Rise/.test(part) ? Math.round(v * 1000) / 10 + ' %' : String(v);
      return el('span', { class: 'threshold', title: 'threshold: ' + words(part) }, [text]);
    });
  }

  // ---- findings ----------------------------------------------------------------------------

  function figuresNode(figures) {
    var rows = [];
    Object.keys(figures || {}).forEach(function (k) { rows.push(el('dt', {}, [words(k)]), el('dd', {}, [figureText(k, figures[k])])); });
    return el('dl', { class: 'figures' }, rows);
  }

  /** A finding's evidence link, if it is one of this ledger's oversight routes: the token goes nowhere else. */
  var EVIDENCE_PATH = /^\/(cases\/[^/?#]+\/)?deployments\/[0-9a-fA-F-]{36}\/oversight(\/entries)?\?[^#]*$/;

  async function evidenceAnswer(path, what, out) {
    if (typeof path !== 'string' || !EVIDENCE_PATH.test(path)) {
      out.replaceChildren(el('span', { class: 'mark back-dated' }, [what + ': the ledger gave no oversight route (' + String(path).slice(0, 120) + ')']));
      return null;
    }
    var res = await api(path);
    if (!res.ok) { out.replaceChildren(el('span', { class: 'mark back-dated' }, [apiError(what, res).message])); return null; }
    return res;
  }

  /** Re-runs a finding's query with the investigator's token and says whether its figures are the same. */
  async function rerun(finding, out) {
    out.replaceChildren(el('span', {}, ['Re-running\u2026']));
    var res = await evidenceAnswer(finding.evidence.query, 'Re-running the query', out);
    if (!res) return;
    var starts = finding.evidence.buckets.map(function (b) { return b.start; });
    var again = (res.body.buckets || []).filter(function (b) { return starts.indexOf(b.start) >= 0; });
    var codes = (res.body.findings || []).filter(function (f) { return f.code === finding.code; });
    var same = codes.some(function (f) { return JSON.stringify(f.evidence.figures) === JSON.stringify(finding.evidence.figures); });
    out.replaceChildren(
      el('p', { class: same ? 'rerun same' : 'rerun differs', 'data-same': same ? 'true' : 'false' }, [
        same ? 'Re-ran at entry #' + res.body.knownAt.seq + ': the same figures.' : 'Re-ran at entry #' + res.body.knownAt.seq + ': the figures differ.',
      ]),
      bucketTable(again),
    );
  }

  /** Lists the entries the finding's buckets count, each a link to its inclusion proof. */
  async function listEntries(finding, out) {
    out.replaceChildren(el('span', {}, ['Listing\u2026']));
    var res = await evidenceAnswer(finding.evidence.entries, 'Listing the entries', out);
    if (!res) return;
    var rows = [];
    ['outputs', 'actions', 'incidents', 'policies', 'training'].forEach(function (k) {
      var seqs = Array.isArray(res.body[k]) ? res.body[k] : [];
      rows.push(el('dt', {}, [k + ' (' + seqs.length + ')']), el('dd', {}, [evidenceLinks({ evidence: seqs.slice(0, 200) }), seqs.length > 200 ? ' \u2026 and ' + (seqs.length - 200) + ' more' : null]));
    });
    out.replaceChildren(el('dl', { class: 'entries-list' }, rows));
  }

  function oversightFindingNode(f, thresholds) {
    var rerunOut = el('div', { class: 'rerun-out' }, []);
    var entriesOut = el('div', { class: 'entries-out' }, []);
    var rerunButton = el('button', { type: 'button', class: 'secondary rerun-query' }, ['Re-run this query']);
    var entriesButton = el('button', { type: 'button', class: 'secondary list-entries' }, ['List the entries counted']);
    rerunButton.addEventListener('click', function () { rerun(f, rerunOut); });
    entriesButton.addEventListener('click', function () { listEntries(f, entriesOut); });
    var periods = (f.evidence.buckets || []).map(function (b) { return AalView.periodText(b.start, b.end); });
    return el('article', { class: 'finding', 'data-code': f.code }, [
      el('h3', {}, [f.title]),
      el('p', { class: 'statement' }, [f.statement]),
      el('p', { class: 'meaning' }, ['What this finding means: '].concat(meaningNodes(f.code, thresholds))),
      el('details', { class: 'evidence-details' }, [
        el('summary', {}, ['Evidence: ' + periods.join('; ')]),
        el('h4', {}, ['Figures compared']),
        figuresNode(f.evidence.figures),
        el('h4', {}, ['The query that re-runs it']),
        el('p', {}, [el('code', { class: 'evidence-query' }, [f.evidence.query]), ' ', rerunButton]),
        rerunOut,
        el('h4', {}, ['The entries counted']),
        el('p', {}, [el('code', { class: 'evidence-entries' }, [f.evidence.entries]), ' ', entriesButton]),
        entriesOut,
        el('h4', {}, ['Policy and training entries compared against']),
        el('p', {}, [evidenceLinks({ evidence: f.evidence.seqs || [] })]),
        el('p', { class: 'code-line' }, ['Finding code ', el('code', {}, [f.code])]),
      ]),
    ]);
  }

  function bucketTable(buckets) {
    var keys = ['outputs', 'actions', 'activeProfessionals', 'outputsPerProfessional', 'reviewSeconds', 'minimumReviewSeconds', 'shareBelowMinimum', 'shareAcceptedUnchanged', 'shareOverridden', 'incidents'];
    return el('table', { class: 'buckets' }, [
      el('thead', {}, [el('tr', {}, [el('th', {}, ['period (UTC days)'])].concat(keys.map(function (k) { return el('th', {}, [words(k)]); })))]),
      el('tbody', {}, buckets.map(function (b) {
        return el('tr', { 'data-start': b.start }, [el('td', {}, [AalView.periodText(b.start, b.end)])].concat(keys.map(function (k) { return el('td', {}, [figureText(k, b[k])]); })));
      })),
    ]);
  }

  // ---- charts ------------------------------------------------------------------------------

  function chartNode(definition, rows) {
    var svg = AalView.renderChart(definition.id, rows);
    var table = el('table', { class: 'chart-data', 'data-chart': definition.id }, [
      el('caption', {}, ['Figures of the chart \u201c' + definition.title + '\u201d']),
      el('thead', {}, [el('tr', {}, definition.columns.map(function (c) { return el('th', { scope: 'col' }, [c.header]); }))]),
      el('tbody', {}, rows.map(function (r) {
        return el('tr', { 'data-start': r.start }, definition.columns.map(function (c) {
          var v = r[c.key];
          return c.key === 'period' ? el('th', { scope: 'row' }, [el('span', { title: AalView.utcTitle(r.start) + ' to ' + AalView.utcTitle(r.end) + ' (UTC)' }, [v])]) : el('td', {}, [v === null || v === undefined ? 'none' : String(v)]);
        }));
      })),
    ]);
    var captionId = 'caption-' + definition.id;
    svg.setAttribute('aria-describedby', captionId);
    return el('figure', { class: 'chart', id: 'chart-' + definition.id }, [
      el('h3', {}, [definition.title]),
      svg,
      el('figcaption', { id: captionId }, [definition.caption]),
      el('div', { class: 'chart-data-box' }, [table]),
    ]);
  }

  // ---- scope -------------------------------------------------------------------------------

  /**
   * Where the page reads the approved scope: the case's scope route when it reads the oversight
   * through a case, else the deployment's own (employer staff, auditors), at the oversight answer's
   * entry so both answers rest on the same log; as of asOf when given (else as of that entry).
   */
  function scopePath(source, route, answer, asOf) {
    var params = new URLSearchParams({ knownAt: String((answer.knownAt || {}).seq) });
    if (asOf) params.set('asOf', asOf);
    return (source.caseId ? '/cases/' + encodeURIComponent(source.caseId) + '/deployments/' : '/deployments/') + route.deploymentId + '/scope?' + params.toString();
  }

  /**
   * The deployment's approval and scope (GET .../scope) as of the end of the period (or the last
   * entry known, if earlier); when no approval had been made by then (outputs recorded before it),
   * the approval as it stands at the entry, marked madeAfterPeriod. Or { error } saying why it
   * could not be read.
   */
  async function scopeAnswerOf(source, route, answer) {
    var end = Date.parse(answer.to + 'T23:59:59.999Z');
    var known = Date.parse((answer.knownAt || {}).recordedAt);
    var what = 'Reading the approved scope of deployment ' + route.deploymentId;
    var res = await api(scopePath(source, route, answer, new Date(Number.isFinite(known) && known < end ? known : end).toISOString()));
    if (!res.ok) return { error: apiError(what, res).message };
    if (res.body.approval) return res.body;
    var later = await api(scopePath(source, route, answer));
    if (!later.ok || !later.body.approval) return res.body;
    later.body.madeAfterPeriod = true;
    return later.body;
  }

  function listDd(values) {
    return el('dd', {}, [Array.isArray(values) && values.length ? values.join(', ') : el('span', { class: 'empty' }, ['none stated'])]);
  }

  function scopeDl(scope, source) {
    var population = scope.population || {};
    return el('dl', { id: 'approved-scope', 'data-source': source }, [
      el('dt', {}, ['sites']), listDd(scope.sites),
      el('dt', {}, ['services']), listDd(scope.services),
      el('dt', {}, ['roles']), listDd(scope.roles),
      el('dt', {}, [words('ageBands')]), listDd(population.ageBands),
      el('dt', {}, [words('excludedContraindicationCodes')]), listDd(population.excludedContraindicationCodes),
      el('dt', {}, ['uses']), listDd(scope.uses),
    ]);
  }

  function scopeChangeNode(c) {
    var scope = c.scope || {};
    return el('li', { 'data-in-effect': c.effectiveByAsOf ? 'true' : 'false' }, [
      'In effect from ', timeNode(c.effectiveAt),
      ', by ' + valueText(c.decidedBy) + (c.reason ? ': \u201c' + c.reason + '\u201d' : '') + ' \u2014 sites ' + (scope.sites || []).join(', ') + '; services ' + (scope.services || []).join(', ') + '; roles ' + (scope.roles || []).join(', ') + (c.effectiveByAsOf ? '' : ' (not yet in effect then)') + ' \u00b7 evidence ',
      evidenceLinks(c),
    ].concat(marks(c)));
  }

  /** The scope in force (the approval's or a scope change's), else what the request and the approval's conditions say; then the approval's terms and every scope change. */
  function approvedScopeNode(scoped) {
    var nodes = [el('h3', {}, ['As approved'])];
    if (!scoped || scoped.error) {
      nodes.push(el('p', { class: 'empty', id: 'approved-scope', 'data-source': 'unread' }, [scoped ? scoped.error : 'The approval could not be read.']));
      return el('section', { class: 'scope-approved' }, nodes);
    }
    var approval = scoped.approval;
    var request = scoped.request;
    var inForce = scoped.scope;
    nodes.push(el('p', { class: 'scope-when' }, ['In force at ', timeNode(scoped.asOf), ', as the ledger knew it at entry #' + scoped.knownAt.seq + '.']));
    if (scoped.madeAfterPeriod)
      nodes.push(el('p', { class: 'scope-later mark back-dated' }, ['No approval had been made by the end of this period: this is the approval as it stands since, and the period\u2019s outputs preceded it.']));
    if (inForce && inForce.scope) {
      var changed = inForce.source === 'deployment.scope-changed';
      nodes.push(scopeDl(inForce.scope, changed ? 'scope-change' : 'approval'));
      nodes.push(el('p', { class: 'scope-source' }, [
        changed ? 'From the scope change by ' + valueText(inForce.decidedBy) + ', in effect from ' : 'From the approval, in effect from ',
        timeNode(inForce.effectiveAt),
        inForce.reason ? ': \u201c' + inForce.reason + '\u201d' : '',
        ' \u00b7 evidence ', evidenceLinks(inForce),
      ].concat(marks(inForce))));
    } else {
      nodes.push(el('p', { id: 'approved-scope', 'data-source': 'none', class: 'scope-missing' }, [
        approval ? 'This approval states no machine-readable scope (it was recorded as deployment.approved version 1): the sites, services and roles below are those requested, and the conditions are the approver\u2019s own words.' : 'The ledger holds no approval of this deployment made by then.',
      ]));
      var setting = request && request.setting ? request.setting : {};
      nodes.push(el('h4', {}, ['Requested setting']), el('dl', { id: 'requested-setting' }, [
        el('dt', {}, ['sites']), listDd(setting.sites),
        el('dt', {}, ['services']), listDd(setting.services),
        el('dt', {}, ['roles']), listDd(setting.roles),
      ]), request ? el('div', {}, ['evidence ', evidenceLinks(request)]) : null);
    }
    if (approval) {
      var reviewDate = scoped.reviewDateInForce ? scoped.reviewDateInForce.reviewDate : approval.reviewDate;
      nodes.push(
        el('h4', {}, ['Approval']),
        el('dl', { id: 'approval-terms' }, [
          el('dt', {}, ['approved by']), el('dd', {}, [valueText(approval.approvedBy)]),
          el('dt', {}, ['approved']), el('dd', {}, [timeNode(approval.happenedAt)]),
          el('dt', {}, [words('reviewDateInForce')]), el('dd', {}, [reviewDate || 'none']),
          el('dt', {}, ['conditions']), el('dd', {}, [Array.isArray(approval.conditions) && approval.conditions.length ? el('ul', { class: 'conditions' }, approval.conditions.map(function (c) { return el('li', {}, [c]); })) : el('span', { class: 'empty' }, ['none'])]),
        ]),
        el('div', {}, ['evidence ', evidenceLinks(approval)]),
      );
    }
    var changes = Array.isArray(scoped.scopeChanges) ? scoped.scopeChanges : [];
    if (changes.length) nodes.push(el('h4', {}, ['Scope changes']), el('ul', { id: 'scope-changes' }, changes.map(scopeChangeNode)));
    return el('section', { class: 'scope-approved' }, nodes);
  }

  /** Where the tool was used in the period (the oversight answer's usage), each site, service or role marked when the scope in force (else the requested setting) does not name it. */
  function usedScopeNode(answer, scoped) {
    var ok = scoped && !scoped.error;
    var approvedScope = ok && scoped.scope ? scoped.scope.scope : null;
    var scope = approvedScope || (ok && scoped.request ? scoped.request.setting : null);
    var usage = answer.usage || { sites: [], services: [], roles: [] };
    function outside(list, name) { return scope && Array.isArray(scope[list]) && scope[list].indexOf(name) < 0; }
    function rowOf(list, name, text) {
      var out = outside(list, name);
      return el('li', { 'data-name': name, class: out ? 'outside' : '' }, [el('strong', {}, [name]), ' \u2014 ' + text].concat(out ? [' ', el('span', { class: 'mark back-dated' }, ['not in the ' + (approvedScope ? 'approved scope' : 'requested setting')])] : []));
    }
    var services = usage.services || [];
    var unstated = usage.serviceNotStated || { outputs: 0, actions: 0 };
    return el('section', { class: 'scope-used' }, [
      el('h3', {}, ['As used in this period']),
      el('h4', {}, ['Sites']),
      usage.sites.length ? el('ul', { id: 'used-sites' }, usage.sites.map(function (s) { return rowOf('sites', s.site, s.outputs + ' outputs, ' + s.actions + ' actions'); })) : el('p', { class: 'empty' }, ['no output in this period']),
      el('h4', {}, ['Services']),
      services.length ? el('ul', { id: 'used-services' }, services.map(function (s) { return rowOf('services', s.service, s.outputs + ' outputs, ' + s.actions + ' actions'); })) : el('p', { class: 'empty' }, ['no output in this period names its service']),
      unstated.outputs || unstated.actions ? el('p', { class: 'empty', id: 'service-not-stated' }, [unstated.outputs + ' outputs (' + unstated.actions + ' actions) did not name their service (output.generated version 1, or without a service).']) : null,
      el('h4', {}, ['Roles']),
      usage.roles.length ? el('ul', { id: 'used-roles' }, usage.roles.map(function (r) { return rowOf('roles', r.role, r.actions + ' actions by ' + r.professionals + ' professionals'); })) : el('p', { class: 'empty' }, ['no action in this period']),
    ]);
  }

  // ---- the view ----------------------------------------------------------------------------

  function periodForm(route, answer) {
    var form = el('form', { id: 'period-form', autocomplete: 'off' }, [
      el('label', {}, ['From (UTC day)', el('input', { id: 'period-from', type: 'date', value: answer.from })]),
      el('label', {}, ['To (UTC day)', el('input', { id: 'period-to', type: 'date', value: answer.to })]),
      el('label', {}, ['Periods', el('select', { id: 'period-bucket' }, [el('option', { value: 'week' }, ['ISO weeks']), el('option', { value: 'day' }, ['days'])])]),
      el('button', { type: 'submit' }, ['Show']),
    ]);
    form.querySelector('#period-bucket').value = answer.bucket;
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      location.hash = deploymentHref({ deploymentId: route.deploymentId, caseId: route.caseId, from: byId('period-from').value, to: byId('period-to').value, bucket: byId('period-bucket').value });
    });
    return form;
  }

  async function showDeployment(route) {
    var params = new URLSearchParams();
    ['from', 'to', 'bucket'].forEach(function (k) { if (route[k]) params.set(k, route[k]); });
    var query = params.toString() ? '?' + params.toString() : '';
    setStatus('Reading the oversight of deployment ' + route.deploymentId + '\u2026');
    var source = await oversightSource(route, query);
    var answer = source.answer;
    if (!answer) {
      var res = await api(source.base + query);
      if (!res.ok) throw apiError('Reading the oversight of deployment ' + route.deploymentId, res);
      answer = res.body;
    }
    var scoped = await scopeAnswerOf(source, route, answer);
    var rows = AalView.chartRows(answer.buckets || []);
    var findings = answer.findings || [];
    var thresholds = answer.basis ? answer.basis.thresholds : null;
    var known = answer.knownAt || {};
    byId('result').replaceChildren(
      el('h2', {}, ['Deployment ', el('code', { id: 'deployment-id' }, [answer.deploymentId])].concat(source.caseId ? [' \u00b7 case ', el('code', { id: 'case-id' }, [source.caseId])] : [])),
      el('p', { class: 'clocks' }, [
        'Time to check from ' + AalView.utcDayText(answer.from) + ' to ' + AalView.utcDayText(answer.to) + ' (UTC days, by ' + (answer.bucket === 'day' ? 'day' : 'ISO week') + '), from what the ledger had recorded up to entry #' + known.seq + ' (', timeNode(known.recordedAt), ')' + (answer.asOf ? ', counting what happened by ' : '.'),
        answer.asOf ? timeNode(answer.asOf) : null,
      ]),
      periodForm(route, answer),
      el('h2', {}, ['Findings']),
      findings.length ? el('div', { class: 'findings', id: 'oversight-findings' }, findings.map(function (f) { return oversightFindingNode(f, thresholds); })) : el('p', { class: 'empty', id: 'oversight-findings' }, ['No deployment-level findings for this period.']),
      el('h2', {}, ['Time to check']),
      el('div', { class: 'charts' }, AalView.OVERSIGHT_CHARTS.map(function (d) { return chartNode(d, rows); })),
      el('h2', {}, ['Scope: as approved, and as used']),
      el('div', { class: 'scope' }, [approvedScopeNode(scoped), usedScopeNode(answer, scoped)]),
    );
    setStatus('Deployment ' + answer.deploymentId + ': ' + rows.length + ' periods, ' + findings.length + ' findings.');
  }
`;
