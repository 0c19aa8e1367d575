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
 * Written without template literals so it can live in this String.raw block unchanged.
 */
export const INVESTIGATOR_APP_JS = String.raw`'use strict';
(function () {
  var TOKEN_KEY = 'aal.investigator.token';
  var PINNED_KEY = 'aal.investigator.pinnedVerifierKey';
  var CASES_KEY = 'aal.investigator.cases';
  var LATE_AFTER_SECONDS = Number(document.body.getAttribute('data-late-after-seconds') || '900');
  var PROOF_PATH = /^\/entries\/(0|[1-9][0-9]{0,15})\/inclusion-proof\?treeSize=(0|[1-9][0-9]{0,15})$/;
  var utf8 = new TextEncoder();

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

  // ---- hashing and proofs (RFC 9162, C2SP signed note) -------------------------------------

  function hex(bytes) { return Array.from(bytes, function (b) { return b.toString(16).padStart(2, '0'); }).join(''); }
  function fromHex(text) {
    if (typeof text !== 'string' || !/^([0-9a-f]{2})*$/.test(text)) throw new Error('not lowercase hex: ' + String(text).slice(0, 80));
    var out = new Uint8Array(text.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(text.substr(i * 2, 2), 16);
    return out;
  }
  function fromBase64(text) {
    var raw = atob(text);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  function concat() {
    var parts = Array.prototype.slice.call(arguments);
    var out = new Uint8Array(parts.reduce(function (n, p) { return n + p.length; }, 0));
    var at = 0;
    parts.forEach(function (p) { out.set(p, at); at += p.length; });
    return out;
  }
  function equal(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  async function sha256(bytes) { return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)); }

  /** The entry's canonical text (aal-entry-v1), exactly as libs/ledger-core encodeEntry writes it. */
  function entryText(e) {
    if (!Number.isSafeInteger(e.seq) || !Number.isSafeInteger(e.partition)) throw new Error('entry seq and partition must be safe integers');
    if (typeof e.recordedAt !== 'string' || typeof e.topic !== 'string' || typeof e.offset !== 'string' || typeof e.value !== 'string') throw new Error('entry fields are missing');
    var headers = Object.keys(e.headers || {}).sort().filter(function (k) { return e.headers[k] !== undefined; })
      .map(function (k) { return JSON.stringify(k) + ':' + JSON.stringify(String(e.headers[k])); }).join(',');
    return '{"headers":{' + headers + '},"offset":' + JSON.stringify(e.offset) + ',"partition":' + e.partition +
      ',"recordedAt":' + JSON.stringify(e.recordedAt) + ',"seq":' + e.seq + ',"topic":' + JSON.stringify(e.topic) +
      ',"v":"aal-entry-v1","value":' + JSON.stringify(e.value) + '}';
  }

  /** RFC 9162 leaf hash, SHA-256(0x00 || entry text). */
  async function leafHashOf(entry) { return sha256(concat(new Uint8Array([0]), utf8.encode(entryText(entry)))); }
  async function nodeHash(left, right) { return sha256(concat(new Uint8Array([1]), left, right)); }

  /** RFC 9162 §2.1.3.2: the root that "proof" leads to from leaf "index" of a tree of "size". */
  async function rootFromInclusionProof(leaf, index, size, proof) {
    if (!(index < size)) throw new Error('leaf ' + index + ' is not inside a tree of size ' + size);
    var fn = index, sn = size - 1, r = leaf;
    for (var i = 0; i < proof.length; i++) {
      var p = proof[i];
      if (p.length !== 32) throw new Error('a proof hash is not 32 bytes');
      if (sn === 0) throw new Error('the proof is longer than a tree of size ' + size + ' allows');
      if (fn % 2 === 1 || fn === sn) {
        r = await nodeHash(p, r);
        while (fn % 2 === 0 && fn !== 0) { fn = fn / 2; sn = Math.floor(sn / 2); }
      } else {
        r = await nodeHash(r, p);
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    if (sn !== 0) throw new Error('the proof is shorter than a tree of size ' + size + ' needs');
    return r;
  }

  /** A C2SP verifier key <name>+<key id>+<base64(0x01 || Ed25519 key)>, checked and imported. */
  async function parseVerifierKey(text) {
    var first = text.indexOf('+'), second = text.indexOf('+', first + 1);
    if (first <= 0 || second < 0) throw new Error('the verifier key is not <name>+<key ID>+<key>');
    var name = text.slice(0, first), keyId = text.slice(first + 1, second), raw = fromBase64(text.slice(second + 1));
    if (raw.length !== 33 || raw[0] !== 1) throw new Error('the verifier key is not an Ed25519 key');
    var derived = hex((await sha256(concat(utf8.encode(name), new Uint8Array([0x0a, 0x01]), raw.subarray(1)))).subarray(0, 4));
    if (derived !== keyId.toLowerCase()) throw new Error('the verifier key ID ' + keyId + ' does not match its name and key');
    var key = await crypto.subtle.importKey('raw', raw.subarray(1), { name: 'Ed25519' }, false, ['verify']);
    return { name: name, keyId: derived, key: key, text: text };
  }

  /** Opens a checkpoint note with "verifier"; returns { origin, size, root } of the signed body. */
  async function openCheckpoint(note, verifier) {
    var split = note.indexOf('\n\n');
    if (split < 0) throw new Error('the checkpoint note has no signature block');
    var body = note.slice(0, split + 1);
    var lines = note.slice(split + 2).split('\n').filter(function (l) { return l !== ''; });
    var checked = false;
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i];
      if (line.indexOf('\u2014 ') !== 0) throw new Error('malformed signature line in the checkpoint note');
      var rest = line.slice(2), space = rest.indexOf(' ');
      if (space < 0 || rest.slice(0, space) !== verifier.name) continue;
      var sig = fromBase64(rest.slice(space + 1));
      if (sig.length !== 68 || hex(sig.subarray(0, 4)) !== verifier.keyId) continue;
      if (!(await crypto.subtle.verify({ name: 'Ed25519' }, verifier.key, sig.subarray(4), utf8.encode(body)))) {
        throw new Error('the checkpoint signature by ' + verifier.name + ' does not verify');
      }
      checked = true;
    }
    if (!checked) throw new Error('the checkpoint carries no signature by key ' + verifier.name + '+' + verifier.keyId);
    var parts = body.slice(0, -1).split('\n');
    if (parts.length < 3 || !/^(0|[1-9][0-9]*)$/.test(parts[1])) throw new Error('the checkpoint body is malformed');
    var root = fromBase64(parts[2]);
    if (root.length !== 32) throw new Error('the checkpoint root is not 32 bytes');
    return { origin: parts[0], size: Number(parts[1]), root: root };
  }

  /**
   * Checks that every seq in "seqs" is an entry of the tree signed by the latest checkpoint,
   * with each entry's raw content taken from "entries" (seq -> raw entry, as the case export or
   * replay gives it). Resolves to { ok: true, size, root, keySource, keyName, count } or
   * { ok: false, reason }; never throws.
   */
  async function verifyEvidence(entries, seqs) {
    try {
      if (!window.crypto || !crypto.subtle) return { ok: false, reason: 'this browser offers no WebCrypto here (the page must be served over HTTPS or from localhost)' };
      var publicKey = await api('/log/public-key', { auth: false });
      if (!publicKey.ok) return { ok: false, reason: 'the verifier key could not be read: ' + problemText(publicKey) };
      var pinned = (sessionStorage.getItem(PINNED_KEY) || '').trim();
      var verifier = await parseVerifierKey(pinned || publicKey.body.verifierKey);
      var latest = await api('/checkpoints/latest', { auth: false });
      if (!latest.ok) return { ok: false, reason: 'no checkpoint: ' + problemText(latest) };
      var cp = await openCheckpoint(latest.body.note, verifier);
      if (cp.origin !== publicKey.body.origin) return { ok: false, reason: 'the checkpoint is for log ' + cp.origin + ', not ' + publicKey.body.origin };
      if (cp.size !== latest.body.treeSize || hex(cp.root) !== latest.body.rootHash) return { ok: false, reason: 'the checkpoint fields disagree with its signed note' };
      if (seqs.length === 0) return { ok: false, reason: 'the answer cites no evidence to check' };
      var newer = seqs.filter(function (s) { return s >= cp.size; });
      if (newer.length > 0) return { ok: false, reason: 'entr' + (newer.length > 1 ? 'ies #' : 'y #') + newer.join(', #') + ' recorded after checkpoint ' + cp.size + ' (checkpoints follow new entries within seconds: search again)' };
      for (var i = 0; i < seqs.length; i++) {
        var seq = seqs[i];
        var entry = entries[seq];
        if (!entry) return { ok: false, reason: 'entry #' + seq + ' was not among the raw entries the case gave' };
        var leaf;
        try { leaf = await leafHashOf(entry); } catch (e) { return { ok: false, reason: 'entry #' + seq + ' cannot be hashed: ' + e.message }; }
        var res = await api('/entries/' + seq + '/inclusion-proof?treeSize=' + cp.size, { auth: false });
        if (!res.ok) return { ok: false, reason: 'no inclusion proof for entry #' + seq + ': ' + problemText(res) };
        var root;
        try { root = await rootFromInclusionProof(leaf, seq, cp.size, res.body.proof.map(fromHex)); } catch (e) { return { ok: false, reason: 'entry #' + seq + ': ' + e.message }; }
        if (!equal(root, cp.root)) {
          return { ok: false, reason: 'entry #' + seq + ' as served, hashed here, is not in checkpoint ' + cp.size + ': its proof leads to root ' + hex(root) + ', not ' + hex(cp.root) };
        }
      }
      return { ok: true, size: cp.size, root: hex(cp.root), keySource: pinned ? 'pinned' : 'served', keyName: verifier.name + '+' + verifier.keyId, count: seqs.length };
    } catch (e) {
      return { ok: false, reason: e && e.message ? e.message : String(e) };
    }
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

  // ---- rendering ---------------------------------------------------------------------------

  var HIDDEN = { evidence: 1, inclusionProofs: 1, happenedAt: 1, recordedAt: 1, recordedLateBySeconds: 1, backDated: 1 };

  function isActor(v) { return v && typeof v === 'object' && typeof v.personId === 'string' && typeof v.role === 'string'; }
  function valueText(v) {
    if (isActor(v)) return v.personId + ' (' + v.role + (v.organisationId ? ', ' + v.organisationId : '') + ')';
    if (Array.isArray(v)) return v.every(function (x) { return x === null || typeof x !== 'object'; }) ? v.join('; ') : JSON.stringify(v);
    if (v && typeof v === 'object') return JSON.stringify(v);
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
      rows.push(el('dt', {}, [k]), el('dd', {}, [valueText(v)]));
    });
    var times = [];
    if (item.happenedAt) times.push('happened ' + item.happenedAt);
    if (item.recordedAt) times.push('recorded ' + item.recordedAt);
    return el('div', { class: 'item' }, [
      el('dl', {}, rows),
      times.length ? el('div', { class: 'times' }, [times.join(' \u00b7 ') + ' ']) : null,
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
    { id: 'approved', title: 'Approved & deployed \u2014 by the employer', parts: [['Request', 'approvedAndDeployed.request'], ['Approval', 'approvedAndDeployed.approval'], ['Activation', 'approvedAndDeployed.activation'], ['State at output time', 'approvedAndDeployed.stateAtOutputTime', 'not-in-timeline'], ['Later decisions', 'approvedAndDeployed.transitions']] },
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
          el('td', {}, [r.item.happenedAt]), el('td', {}, [r.item.recordedAt]), el('td', {}, [r.party]), el('td', {}, [r.what]),
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

  // ---- answers re-derived in the browser ---------------------------------------------------

  function shortJson(value) {
    var text = value === undefined ? 'nothing' : JSON.stringify(value);
    return text.length > 240 ? text.slice(0, 240) + '\u2026' : text;
  }

  /**
   * Re-derives every output's answer of the case export from its entries, proven just now, with
   * the ledger's own code (AalAccountability.recomputeCaseAnswers, from /investigate/accountability.js:
   * the same function ledger-verify --bundle runs), and says whether the stated answer is that one.
   */
  function showRederived(node, bundle, outcome) {
    if (!outcome.ok) {
      node.className = 'badge unverified';
      node.textContent = 'Answer not re-derived: the case export\u2019s entries were not proven.';
      return false;
    }
    try {
      if (!window.AalAccountability || typeof window.AalAccountability.recomputeCaseAnswers !== 'function') throw new Error('the ledger\u2019s answer code (/investigate/accountability.js) did not load');
      var entries = (bundle.entries || []).map(function (e) { return { seq: e.seq, recordedAt: e.recordedAt, headers: e.headers || {}, value: fromBase64(e.value) }; });
      var r = window.AalAccountability.recomputeCaseAnswers({ accountability: bundle.accountability, findings: bundle.findings }, entries);
      var d = r.difference;
      if (!d) {
        node.className = 'badge verified';
        node.setAttribute('data-entries', String(r.entries));
        node.setAttribute('data-outputs', String(r.recomputed));
        node.textContent = 'Answer re-derived from ' + r.entries + ' proven entries';
        return true;
      }
      node.className = 'badge unverified';
      node.setAttribute('data-output-id', d.outputId);
      node.setAttribute('data-pointer', d.pointer);
      node.textContent = 'Answer differs from the proven entries: output ' + d.outputId + ' at ' + d.pointer + ': stated ' + shortJson(d.stated) + ', recomputed ' + shortJson(d.recomputed);
      return false;
    } catch (e) {
      node.className = 'badge unverified';
      node.textContent = 'Answer not re-derived: ' + (e && e.message ? e.message : String(e));
      return false;
    }
  }

  // ---- views -------------------------------------------------------------------------------

  /** The case's export bundle; a checkpoint covering a fresh case may take a moment (409 CASE.CHECKPOINT_PENDING). */
  async function exportOf(caseId) {
    for (var attempt = 1; ; attempt++) {
      var res = await api('/cases/' + encodeURIComponent(caseId) + '/export');
      if (res.ok) return res.body;
      if (res.status !== 409 || attempt >= 10) throw apiError('Exporting case ' + caseId, res);
      await new Promise(function (resolve) { setTimeout(resolve, 500); });
    }
  }

  function entriesBySeq(list) {
    var bySeq = {};
    (list || []).forEach(function (e) { if (e && Number.isSafeInteger(e.seq)) bySeq[e.seq] = e; });
    return bySeq;
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
    result.replaceChildren(
      el('h2', {}, ['Output ', el('code', { id: 'output-id' }, [a.outputId]), ' \u00b7 case ', el('code', { id: 'case-id' }, [c.caseId])]),
      el('p', { class: 'clocks' }, ['As it stood at ' + a.asOf + ' (' + a.asOfSource + '), from what the ledger had recorded up to entry #' + get(a, 'knownAt.seq') + ' (' + get(a, 'knownAt.recordedAt') + ').']),
      b.badge, b.detail, rederived,
      el('h2', {}, ['Who built, approved and deployed, instructed, and acted on it']),
      partiesNode(a),
      el('h2', {}, ['Timeline (by when it happened)']),
      timelineNode(timelineRows(a)),
      el('h2', {}, ['Findings']),
      findingsNode(a.findings),
    );
    setStatus('Output ' + a.outputId + ' loaded; verifying its evidence\u2026');
    // Every entry of the export is proven, not only the cited ones: the answer is re-derived from all of them.
    var proven = collectEvidence(a, {});
    (bundle.entries || []).forEach(function (e) { if (e && Number.isSafeInteger(e.seq)) proven[e.seq] = true; });
    var seqs = Object.keys(proven).map(Number).sort(function (x, y) { return x - y; });
    var outcome = await verifyEvidence(entriesBySeq(bundle.entries), seqs);
    showBadge(b.badge, b.detail, outcome);
    var agrees = showRederived(rederived, bundle, outcome);
    setStatus('Output ' + a.outputId + ': ' + (outcome.ok ? 'verified' : 'NOT verified') + (agrees ? ', answer re-derived.' : ', answer NOT re-derived.'), !outcome.ok || !agrees);
  }

  async function showIncident(incidentId) {
    var result = byId('result');
    var c = await caseFor('incident:' + incidentId, { title: 'Investigator view: incident ' + incidentId, incidentId: incidentId });
    var res = await api('/cases/' + encodeURIComponent(c.caseId) + '/timeline');
    if (!res.ok) throw apiError('Reading the timeline of case ' + c.caseId, res);
    var t = res.body;
    var entries = (t.entries || []).slice().sort(function (x, y) { return Date.parse(x.eventTime) - Date.parse(y.eventTime) || x.seq - y.seq; });
    var b = badgeNodes();
    var rederived = el('p', { id: 'rederived', class: 'badge', role: 'status' }, ['Re-deriving the answers from the proven entries\u2026']);
    var outputs = (t.outputIds || []).map(function (id) {
      return el('li', {}, [el('button', { type: 'button', class: 'secondary open-output', 'data-output-id': id }, ['Open output ' + id])]);
    });
    result.replaceChildren(
      el('h2', {}, ['Incident ', el('code', { id: 'incident-id' }, [incidentId]), ' \u00b7 case ', el('code', { id: 'case-id' }, [c.caseId])]),
      b.badge, b.detail, rederived,
      outputs.length ? el('ul', {}, outputs) : el('p', { class: 'empty' }, ['The ledger holds no report of incident ' + incidentId + ' naming an output.']),
      el('h2', {}, ['Timeline (by when it happened)']),
      el('table', { class: 'timeline' }, [
        el('thead', {}, [el('tr', {}, ['happened', 'recorded', 'party', 'event', 'summary', 'entry'].map(function (h) { return el('th', {}, [h]); }))]),
        el('tbody', {}, entries.map(function (e) {
          var delay = Math.floor((Date.parse(e.recordedAt) - Date.parse(e.eventTime)) / 1000);
          var late = delay > LATE_AFTER_SECONDS;
          return el('tr', { class: late ? 'late' : '', 'data-party': e.party }, [
            el('td', {}, [e.eventTime]), el('td', {}, [e.recordedAt].concat(late ? [' ', el('span', { class: 'mark late' }, ['recorded late by ' + duration(delay)])] : [])),
            el('td', {}, [e.party]), el('td', {}, [el('code', {}, [e.type])]), el('td', {}, [e.summary]),
            el('td', {}, [evidenceLinks({ evidence: [e.seq], inclusionProofs: [] })]),
          ]);
        })),
      ]),
    );
    result.querySelectorAll('button.open-output').forEach(function (button) {
      button.addEventListener('click', function () { byId('kind').value = 'output'; byId('query').value = button.getAttribute('data-output-id'); run(); });
    });
    setStatus('Incident ' + incidentId + ': case ' + c.caseId + ' with ' + entries.length + ' entries; verifying\u2026');
    // The case's own events (opened, read) are being appended as this runs; the badge covers the
    // producers' entries, which are the evidence about the incident.
    var evidence = entries.filter(function (e) { return e.party !== 'investigator'; }).map(function (e) { return e.seq; });
    var replay = await api('/cases/' + encodeURIComponent(c.caseId) + '/replay');
    if (!replay.ok) throw apiError('Reading the raw entries of case ' + c.caseId, replay);
    var raw = String(replay.body).split('\n').filter(function (line) { return line !== ''; }).map(function (line) { return JSON.parse(line).entry; });
    var outcome = await verifyEvidence(entriesBySeq(raw), evidence.sort(function (x, y) { return x - y; }));
    showBadge(b.badge, b.detail, outcome);
    // The answers for the outputs the incident names: re-derived from the case export's entries, each proven first.
    var agrees = false;
    if (outcome.ok) {
      var bundle = await exportOf(c.caseId);
      var seqs = (bundle.entries || []).map(function (e) { return e && e.seq; }).filter(Number.isSafeInteger).sort(function (x, y) { return x - y; });
      agrees = showRederived(rederived, bundle, await verifyEvidence(entriesBySeq(bundle.entries), seqs));
    } else {
      showRederived(rederived, null, outcome);
    }
    setStatus('Incident ' + incidentId + ': ' + (outcome.ok ? 'verified' : 'NOT verified') + (agrees ? ', answers re-derived.' : ', answers NOT re-derived.'), !outcome.ok || !agrees);
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
    try {
      if (byId('kind').value === 'incident') await showIncident(query);
      else await showOutput(query);
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
})();
`;
