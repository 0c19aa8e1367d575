/**
 * The investigator page's rendering: DOM building (text nodes and attribute values only, never
 * markup from the ledger), the four parties, the timelines, the findings and the badges. Plain
 * ES2022 functions, concatenated by investigator-app.script.ts into the page's one script, where
 * they share its closure. Written without template literals so it can live in String.raw.
 */
export const INVESTIGATOR_RENDER_JS = String.raw`
  function byId(id) { return document.getElementById(id); }

  /** An element with text children only: strings become text nodes, never markup. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === undefined || value === null || value === false) return;
      if (name === 'class') node.className = value;
      else node.setAttribute(name, String(value));
    });
    (children || []).forEach(function (child) {
      if (child === undefined || child === null || child === false) return;
      node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
    });
    return node;
  }

  function setStatus(text, isError) {
    var status = byId('status');
    status.textContent = text || '';
    status.className = isError ? 'status error' : 'status';
  }

  function showBadge(badge, detail, outcome) {
    if (outcome.ok) {
      badge.className = 'badge verified';
      badge.textContent = 'Verified against checkpoint ' + outcome.size;
      badge.setAttribute('data-tree-size', String(outcome.size));
      badge.setAttribute('data-root-hash', outcome.root);
      detail.textContent = outcome.count + ' entries were re-hashed in this browser and proven by RFC 9162 inclusion proofs against root ' + outcome.root +
        ', whose checkpoint carries a valid Ed25519 signature by ' + outcome.keyName +
        (outcome.keySource === 'pinned' ? ' (the key you pinned).' : ' (the key this ledger serves at /log/public-key: pin it, above, to check against a key you trust).') +
        ' The chain and findings are the ledger\u2019s reading of these entries; the line below says whether they are re-derived from the entries with the ledger\u2019s own code.';
    } else {
      badge.className = 'badge unverified';
      badge.textContent = 'NOT verified: ' + outcome.reason;
      badge.removeAttribute('data-tree-size');
      detail.textContent = 'Do not rely on this view as proof; check the case export with ledger-verify.';
    }
  }

  // ---- rendering ---------------------------------------------------------------------------

  var HIDDEN = { evidence: 1, inclusionProofs: 1, happenedAt: 1, recordedAt: 1, recordedLateBySeconds: 1, backDated: 1 };

  function isActor(v) { return v && typeof v === 'object' && typeof v.personId === 'string' && typeof v.role === 'string'; }
  var ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

  function valueText(v) {
    if (isActor(v)) return v.personId + ' (' + v.role + (v.organisationId ? ', ' + v.organisationId : '') + ')';
    if (Array.isArray(v)) return v.every(function (x) { return x === null || typeof x !== 'object'; }) ? v.join('; ') : v.map(valueText).join(' | ');
    // An object's members by their names in words: "sites: ward-7a; ward-7b · roles: staff-nurse".
    if (v && typeof v === 'object') return Object.keys(v).map(function (k) { return AalView.fieldWords(k) + ': ' + valueText(v[k]); }).join(' · ');
    return String(v);
  }

  function duration(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return (h ? h + ' h ' : '') + (h || m ? m + ' min' : s + ' s');
  }

  function proofHref(item, i) {
    var seq = item.evidence[i];
    var link = Array.isArray(item.inclusionProofs) ? item.inclusionProofs[i] : undefined;
    return typeof link === 'string' && PROOF_PATH.test(link) && link.indexOf('/entries/' + seq + '/') === 0 ? link : '/entries/' + Number(seq) + '/inclusion-proof?treeSize=' + (Number(seq) + 1);
  }

  function evidenceLinks(item) {
    var seqs = Array.isArray(item && item.evidence) ? item.evidence : [];
    if (seqs.length === 0) return el('span', { class: 'empty' }, ['no entry']);
    return el('span', { class: 'evidence' }, seqs.map(function (seq, i) {
      return el('a', { class: 'seq', href: proofHref(item, i), target: '_blank', rel: 'noopener noreferrer', 'data-seq': Number(seq), title: 'inclusion proof of ledger entry ' + seq }, ['#' + seq]);
    }));
  }

  function marks(item) {
    var out = [];
    if (typeof item.recordedLateBySeconds === 'number') out.push(el('span', { class: 'mark late' }, ['recorded late by ' + duration(item.recordedLateBySeconds)]));
    if (item.backDated) out.push(el('span', { class: 'mark back-dated' }, ['back-dated']));
    return out;
  }

  function itemNode(item) {
    if (!item || typeof item !== 'object') return el('p', {}, [valueText(item)]);
    var rows = [];
    Object.keys(item).forEach(function (k) {
      var v = item[k];
      if (HIDDEN[k] || v === undefined || v === null) return;
      if (k === 'records' && Array.isArray(v)) {
        rows.push(el('dt', {}, [k]), el('dd', {}, [v.length === 0 ? el('span', { class: 'empty' }, ['none recorded']) : el('div', {}, v.map(itemNode))]));
        return;
      }
      rows.push(el('dt', {}, [AalView.fieldWords(k)]), el('dd', {}, [typeof v === 'string' && ISO_INSTANT.test(v) ? timeNode(v) : valueText(v)]));
    });
    var times = [];
    if (item.happenedAt) times.push('happened ', timeNode(item.happenedAt));
    if (item.recordedAt) times.push(times.length ? ' \u00b7 recorded ' : 'recorded ', timeNode(item.recordedAt));
    return el('div', { class: 'item' }, [
      el('dl', {}, rows),
      times.length ? el('div', { class: 'times' }, times.concat([' '])) : null,
    ].concat(marks(item), [Array.isArray(item.evidence) ? el('div', {}, ['evidence ', evidenceLinks(item)]) : null]));
  }

  function section(title, value) {
    var items = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
    return el('div', { class: 'part', 'data-part': title }, [el('h4', {}, [title])].concat(items.length === 0 ? [el('p', { class: 'empty' }, ['nothing recorded'])] : items.map(itemNode)));
  }

  function get(obj, path) {
    return path.split('.').reduce(function (v, k) { return v && typeof v === 'object' ? v[k] : undefined; }, obj);
  }

  /** The four parties, in chain order, each with the parts of the answer it speaks for. */
  var PARTIES = [
    { id: 'built', title: 'Built \u2014 by the vendor', parts: [['Model', 'built.model'], ['Version', 'built.version'], ['Safety notices in force', 'built.safetyNoticesInForce']] },
    { id: 'approved', title: 'Approved & deployed \u2014 by the employer', parts: [['Request', 'approvedAndDeployed.request'], ['Approval', 'approvedAndDeployed.approval'], ['Activation', 'approvedAndDeployed.activation'], ['Approved scope in force', 'approvedAndDeployed.scope'], ['Review date in force', 'approvedAndDeployed.reviewDateInForce'], ['Checks against the approved scope', 'scopeChecks', 'not-in-timeline'], ['State at output time', 'approvedAndDeployed.stateAtOutputTime', 'not-in-timeline'], ['Later decisions', 'approvedAndDeployed.transitions']] },
    { id: 'instructed', title: 'Instructed \u2014 policy, instructions, training', parts: [['Usage policies in force', 'instructed.policiesInForce'], ['Instructions', 'instructed.instructions'], ['Training', 'instructed.training']] },
    { id: 'acted', title: 'Acted on \u2014 by the professional', parts: [['Output', 'output'], ['Presentations', 'actedOn.presentations'], ['Actions', 'actedOn.actions']] },
  ];

  function partiesNode(answer) {
    return el('div', { class: 'parties' }, PARTIES.map(function (party) {
      return el('section', { class: 'party', 'data-party': party.id }, [el('h3', {}, [party.title])].concat(party.parts.map(function (p) { return section(p[0], get(answer, p[1])); })));
    }));
  }

  /** Every dated item of the chain with its party, ordered by when it happened; an entry cited twice is listed once. */
  function timelineRows(answer) {
    var rows = [];
    var seen = {};
    function add(row) {
      var key = (row.item.evidence || []).join(',');
      if (key && seen[key]) return;
      seen[key] = true;
      rows.push(row);
    }
    PARTIES.forEach(function (party) {
      party.parts.forEach(function (p) {
        if (p[2] === 'not-in-timeline') return;
        var value = get(answer, p[1]);
        var items = Array.isArray(value) ? value : value ? [value] : [];
        items.forEach(function (item) {
          if (item && Array.isArray(item.records)) item.records.forEach(function (r) { add({ party: party.id, what: p[0] + ': ' + item.professionalId, item: r }); });
          else if (item && item.happenedAt) add({ party: party.id, what: p[0], item: item });
        });
      });
    });
    rows.sort(function (a, b) { return Date.parse(a.item.happenedAt) - Date.parse(b.item.happenedAt) || Date.parse(a.item.recordedAt) - Date.parse(b.item.recordedAt); });
    return rows;
  }

  function timelineNode(rows) {
    return el('table', { class: 'timeline' }, [
      el('thead', {}, [el('tr', {}, ['happened', 'recorded', 'party', 'what', 'clocks', 'evidence'].map(function (h) { return el('th', {}, [h]); }))]),
      el('tbody', {}, rows.map(function (r) {
        var late = typeof r.item.recordedLateBySeconds === 'number';
        return el('tr', { class: late ? 'late' : '', 'data-party': r.party }, [
          el('td', {}, [timeNode(r.item.happenedAt)]), el('td', {}, [timeNode(r.item.recordedAt)]), el('td', {}, [r.party]), el('td', {}, [r.what]),
          el('td', {}, marks(r.item).length ? marks(r.item) : ['on time']), el('td', {}, [evidenceLinks(r.item)]),
        ]);
      })),
    ]);
  }

  function findingsNode(findings) {
    if (!Array.isArray(findings) || findings.length === 0) return el('p', { class: 'empty' }, ['No findings.']);
    return el('div', { class: 'findings' }, findings.map(function (f) {
      return el('article', { class: 'finding', 'data-code': f.code }, [
        el('h3', {}, [f.title + ' ', el('code', {}, [f.code])]),
        el('p', {}, [f.statement || f.detail || '']),
        el('div', {}, ['evidence ', evidenceLinks(f)]),
      ]);
    }));
  }

  /** The legal hold in force as the export states it ("case.hold"), before anything is proven. */
  function statedHoldNode(stated) {
    if (!stated || typeof stated !== 'object') return el('p', { id: 'hold', 'data-hold': 'none' }, ['The export states no legal hold in force.']);
    return el('p', { id: 'hold', 'data-hold': 'in-force' }, ['The export states a legal hold in force since ', timeNode(stated.placedAt), ', placed by ' + valueText(stated.placedBy) + ': ' + stated.reason]);
  }

  /** Every legal hold the proven entries record (AalAccountability.holdsRecomputation), the latest first, each with its entries. */
  function recordedHoldsNode(holds) {
    if (holds.length === 0) return el('p', { class: 'empty' }, ['The proven entries record no legal hold on this case.']);
    return el('table', { class: 'timeline holds' }, [
      el('thead', {}, [el('tr', {}, ['placed', 'by', 'reason', 'lifted', 'evidence'].map(function (h) { return el('th', {}, [h]); }))]),
      el('tbody', {}, holds.slice().reverse().map(function (h) {
        return el('tr', { 'data-hold': h.lifted ? 'lifted' : 'in-force' }, [
          el('td', {}, [timeNode(h.placedAt)]),
          el('td', {}, [valueText(h.placedBy)]),
          el('td', {}, [h.reason]),
          el('td', {}, h.lifted ? [timeNode(h.lifted.at), ' by ' + valueText(h.lifted.by) + ': ' + h.lifted.reason] : [el('strong', {}, ['in force'])]),
          el('td', {}, [evidenceLinks(h)]),
        ]);
      })),
    ]);
  }

  /** The one text a recommendation's response carries, by its kind: the plan, the reference to the evidence, or the reasons. */
  function responseText(r) { return r.plan || r.reference || r.reasons || ''; }

  /**
   * The case's safety recommendations as the export states them (its "recommendations" answer):
   * each with its addressee, due date, status and every response, then their findings
   * (RECOMMENDATION.OVERDUE, PATTERN.RECURRING_FINDING). Absent in exports made before
   * recommendations existed.
   */
  function recommendationsNode(stated) {
    if (!stated || typeof stated !== 'object') return el('p', { id: 'recommendations', class: 'empty' }, ['This export states no recommendations.']);
    var list = Array.isArray(stated.recommendations) ? stated.recommendations : [];
    var meta = el('p', { class: 'clocks' }, ['As they stood at ', timeNode(stated.asOf), ' (the export time); a recurring pattern is one finding linked about ' + stated.recurringPatternIncidents + ' or more incidents.']);
    var table = list.length === 0 ? el('p', { class: 'empty' }, ['No recommendations recorded on this case.']) : el('table', { class: 'timeline recommendations' }, [
      el('thead', {}, [el('tr', {}, ['recommendation', 'addressee', 'due by', 'status', 'responses', 'evidence'].map(function (h) { return el('th', {}, [h]); }))]),
      el('tbody', {}, list.map(function (r) {
        var responses = Array.isArray(r.responses) ? r.responses : [];
        return el('tr', { 'data-recommendation-id': r.recommendationId, 'data-status': r.status }, [
          el('td', {}, [el('code', {}, [r.recommendationId]), el('br', {}, []), r.recommendation].concat(r.arisesFrom ? [el('br', {}, []), el('span', { class: 'empty' }, ['arises from ' + valueText(r.arisesFrom)])] : [])),
          el('td', {}, [r.addressee.party + ' ' + r.addressee.organisationId]),
          el('td', {}, [timeNode(r.dueBy)]),
          el('td', { class: 'status-cell' }, [r.status]),
          el('td', {}, responses.length === 0 ? [el('span', { class: 'empty' }, ['none'])] : responses.map(function (x) {
            return el('div', { class: 'response', 'data-response': x.response }, [x.response + ' ', timeNode(x.happenedAt), ' by ' + valueText(x.by) + ': ' + responseText(x) + ' ', evidenceLinks(x)]);
          })),
          el('td', {}, [evidenceLinks(r)]),
        ]);
      })),
    ]);
    return el('div', { id: 'recommendations' }, [meta, table, el('h3', {}, ['Findings on the recommendations']), findingsNode(stated.findings)]);
  }

  function collectEvidence(value, into) {
    if (Array.isArray(value)) value.forEach(function (v) { collectEvidence(v, into); });
    else if (value && typeof value === 'object') {
      Object.keys(value).forEach(function (k) {
        if (k === 'evidence' && Array.isArray(value[k])) value[k].forEach(function (s) { if (Number.isSafeInteger(s)) into[s] = true; });
        else collectEvidence(value[k], into);
      });
    }
    return into;
  }

  function badgeNodes() {
    var badge = el('p', { id: 'badge', class: 'badge', role: 'status' }, ['Verifying against the latest checkpoint\u2026']);
    var detail = el('p', { id: 'badge-detail', class: 'badge-detail' }, []);
    return { badge: badge, detail: detail };
  }

  function shortJson(value) {
    var text = value === undefined ? 'nothing' : JSON.stringify(value);
    return text.length > 240 ? text.slice(0, 240) + '\u2026' : text;
  }

  /** The case timeline as the ledger states it, by when it happened; the line the check names is marked. */
  function caseTimelineNode(entries) {
    var lines = entries.slice().sort(function (x, y) { return Date.parse(x.eventTime) - Date.parse(y.eventTime) || x.seq - y.seq; });
    return el('table', { class: 'timeline', id: 'case-timeline' }, [
      el('thead', {}, [el('tr', {}, ['happened', 'recorded', 'party', 'event', 'summary', 'entry'].map(function (h) { return el('th', {}, [h]); }))]),
      el('tbody', {}, lines.map(function (e) {
        var delay = Math.floor((Date.parse(e.recordedAt) - Date.parse(e.eventTime)) / 1000);
        var late = delay > LATE_AFTER_SECONDS;
        return el('tr', { class: late ? 'late' : '', 'data-party': e.party, 'data-seq': e.seq }, [
          el('td', {}, [timeNode(e.eventTime)]), el('td', {}, [timeNode(e.recordedAt)].concat(late ? [' ', el('span', { class: 'mark late' }, ['recorded late by ' + duration(delay)])] : [])),
          el('td', {}, [e.party]), el('td', {}, [el('code', {}, [e.type])]), el('td', {}, [e.summary]),
          el('td', {}, [evidenceLinks({ evidence: [e.seq], inclusionProofs: [] })]),
        ]);
      })),
    ]);
  }
`;
