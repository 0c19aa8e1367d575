/**
 * The investigator page's verification: proving entries against a checkpoint whose signature it
 * checked, and re-deriving the answers and the case timeline from the proven entries. The hashing,
 * proof and note code is TypeScript (browser/entry-proof.ts) and the answer and timeline code is
 * the ledger's own (@aal/accountability), both bundled into /investigate/accountability.js (the
 * global AalAccountability, loaded before the page's script); this glue fetches what they need
 * and says what they found. Concatenated by investigator-app.script.ts into the page's script.
 */
export const INVESTIGATOR_VERIFY_JS = String.raw`
  /** The bundled proof and answer code; a page without it must not look as if it could verify. */
  function proofCode() {
    var code = window.AalAccountability;
    if (!code || typeof code.leafHashOf !== 'function' || typeof code.recomputeCaseAnswers !== 'function' || typeof code.recomputeTimeline !== 'function' || typeof code.expandSharedAnswers !== 'function' || typeof code.recommendationsRecomputation !== 'function' || typeof code.holdsRecomputation !== 'function') {
      throw new Error('the ledger\u2019s proof and answer code (/investigate/accountability.js) did not load');
    }
    return code;
  }

  /**
   * The case export with its answers as investigators read them: each value the answers share
   * (written once in the export's "shared" list) put back in every answer, by the ledger's own
   * code (AalAccountability.expandSharedAnswers). Everything the page shows and re-derives is read
   * from these answers. Throws on a reference the list does not hold.
   */
  function answersRead(bundle) {
    var expanded = proofCode().expandSharedAnswers(bundle.accountability, bundle.shared);
    if (!expanded.ok) throw new Error('the case export is malformed at ' + expanded.pointer + ': it ' + expanded.reason);
    return Object.assign({}, bundle, { accountability: expanded.accountability });
  }

  /** The export's entries as the shared code reads them: value bytes decoded from base64. */
  function rawEntries(bundle) {
    return (bundle.entries || []).map(function (e) { return { seq: e.seq, recordedAt: e.recordedAt, headers: e.headers || {}, value: proofCode().fromBase64(e.value) }; });
  }

  /**
   * Checks that every seq in "seqs" is an entry of the tree signed by the latest checkpoint,
   * with each entry's raw content taken from "entries" (seq -> raw entry, as the case export or
   * replay gives it). Resolves to { ok: true, size, root, keySource, keyName, count } or
   * { ok: false, reason }; never throws.
   */
  async function verifyEvidence(entries, seqs) {
    try {
      var proof = proofCode();
      if (!window.crypto || !crypto.subtle) return { ok: false, reason: 'this browser offers no WebCrypto here (the page must be served over HTTPS or from localhost)' };
      var publicKey = await api('/log/public-key', { auth: false });
      if (!publicKey.ok) return { ok: false, reason: 'the verifier key could not be read: ' + problemText(publicKey) };
      var pinned = (sessionStorage.getItem(PINNED_KEY) || '').trim();
      var verifier = await proof.parseVerifierKey(pinned || publicKey.body.verifierKey);
      var latest = await api('/checkpoints/latest', { auth: false });
      if (!latest.ok) return { ok: false, reason: 'no checkpoint: ' + problemText(latest) };
      var cp = await proof.openCheckpoint(latest.body.note, verifier);
      if (cp.origin !== publicKey.body.origin) return { ok: false, reason: 'the checkpoint is for log ' + cp.origin + ', not ' + publicKey.body.origin };
      if (cp.size !== latest.body.treeSize || proof.hex(cp.root) !== latest.body.rootHash) return { ok: false, reason: 'the checkpoint fields disagree with its signed note' };
      if (seqs.length === 0) return { ok: false, reason: 'the answer cites no evidence to check' };
      var newer = seqs.filter(function (s) { return s >= cp.size; });
      if (newer.length > 0) return { ok: false, reason: 'entr' + (newer.length > 1 ? 'ies #' : 'y #') + newer.join(', #') + ' recorded after checkpoint ' + cp.size + ' (checkpoints follow new entries within seconds: search again)' };
      for (var i = 0; i < seqs.length; i++) {
        var seq = seqs[i];
        var entry = entries[seq];
        if (!entry) return { ok: false, reason: 'entry #' + seq + ' was not among the raw entries the case gave' };
        var leaf;
        try { leaf = await proof.leafHashOf(entry); } catch (e) { return { ok: false, reason: 'entry #' + seq + ' cannot be hashed: ' + e.message }; }
        var res = await api('/entries/' + seq + '/inclusion-proof?treeSize=' + cp.size, { auth: false });
        if (!res.ok) return { ok: false, reason: 'no inclusion proof for entry #' + seq + ': ' + problemText(res) };
        var root;
        try { root = await proof.rootFromInclusionProof(leaf, seq, cp.size, res.body.proof.map(proof.fromHex)); } catch (e) { return { ok: false, reason: 'entry #' + seq + ': ' + e.message }; }
        if (!proof.equalBytes(root, cp.root)) {
          return { ok: false, reason: 'entry #' + seq + ' as served, hashed here, is not in checkpoint ' + cp.size + ': its proof leads to root ' + proof.hex(root) + ', not ' + proof.hex(cp.root) };
        }
      }
      return { ok: true, size: cp.size, root: proof.hex(cp.root), keySource: pinned ? 'pinned' : 'served', keyName: verifier.name + '+' + verifier.keyId, count: seqs.length };
    } catch (e) {
      return { ok: false, reason: e && e.message ? e.message : String(e) };
    }
  }

  /**
   * Says on "node" whether what the ledger stated ("what": 'Answer' or 'Timeline') is what
   * "recompute" re-derives from the case export's entries, proven just now ("outcome"). Agreeing:
   * verified, with data-entries and what "agreed(r)" adds. Differing: "differs(r.difference)" marks
   * the difference and gives the badge's text. Entries not proven, or a recomputation that throws:
   * not re-derived. Returns whether they agree.
   */
  function showRecomputed(node, what, outcome, recompute, agreed, differs) {
    if (!outcome.ok) {
      node.className = 'badge unverified';
      node.textContent = what + ' not re-derived: the case export\u2019s entries were not proven.';
      return false;
    }
    try {
      var r = recompute();
      if (!r.difference) {
        node.className = 'badge verified';
        node.setAttribute('data-entries', String(r.entries));
        agreed(r);
        node.textContent = what + ' re-derived from ' + r.entries + ' proven entries';
        return true;
      }
      node.className = 'badge unverified';
      node.textContent = differs(r.difference);
      return false;
    } catch (e) {
      node.className = 'badge unverified';
      node.textContent = what + ' not re-derived: ' + (e && e.message ? e.message : String(e));
      return false;
    }
  }

  /**
   * Re-derives every output's answer of the case export from its entries, proven just now, with
   * the ledger's own code (AalAccountability.recomputeCaseAnswers, from /investigate/accountability.js:
   * the same function ledger-verify --bundle runs), and says whether the stated answer is that one.
   */
  function showRederived(node, bundle, outcome) {
    return showRecomputed(
      node,
      'Answer',
      outcome,
      function () { return proofCode().recomputeCaseAnswers({ accountability: bundle.accountability, findings: bundle.findings }, rawEntries(bundle)); },
      function (r) { node.setAttribute('data-outputs', String(r.recomputed)); },
      function (d) {
        node.setAttribute('data-output-id', d.outputId);
        node.setAttribute('data-pointer', d.pointer);
        return 'Answer differs from the proven entries: output ' + d.outputId + ' at ' + d.pointer + ': stated ' + shortJson(d.stated) + ', recomputed ' + shortJson(d.recomputed);
      }
    );
  }

  /**
   * Re-derives the case timeline the ledger stated (its timeline API's lines) from the case
   * export's entries, proven just now, with the ledger's own timelineEntry
   * (AalAccountability.recomputeTimeline), says whether the stated lines are those, and marks the
   * first line that is not.
   */
  function showTimelineRederived(node, table, lines, bundle, outcome) {
    return showRecomputed(
      node,
      'Timeline',
      outcome,
      function () { return proofCode().recomputeTimeline(lines, rawEntries(bundle)); },
      function (r) { node.setAttribute('data-lines', String(r.lines)); },
      function (d) {
        node.setAttribute('data-pointer', d.pointer);
        if (d.seq !== null) {
          node.setAttribute('data-seq', String(d.seq));
          var row = table.querySelector('tr[data-seq="' + Number(d.seq) + '"]');
          if (row) row.classList.add('differs');
        }
        return 'Timeline differs from the proven entries: line ' + (d.line + 1) + (d.seq !== null ? ' (entry #' + d.seq + ')' : '') + ' at ' + d.pointer + ': stated ' + shortJson(d.stated) + ', recomputed ' + shortJson(d.recomputed);
      }
    );
  }

  /**
   * Re-derives the case's recommendations and their findings, as the export states them, from its
   * entries, proven just now, with the ledger's own code (AalAccountability.recommendationsRecomputation:
   * the same check ledger-verify --bundle makes), and says whether the stated ones are those.
   */
  function showRecommendationsRederived(node, bundle, caseId, outcome) {
    if (bundle.recommendations === undefined) {
      node.className = 'badge';
      node.textContent = 'This export states no recommendations (it was made before the ledger recorded them).';
      return true;
    }
    return showRecomputed(
      node,
      'Recommendations',
      outcome,
      function () { return proofCode().recommendationsRecomputation(bundle.recommendations, caseId, rawEntries(bundle)); },
      function (r) { node.setAttribute('data-recommendations', String(r.recommendations)); },
      function (d) {
        node.setAttribute('data-pointer', d.pointer);
        return 'Recommendations differ from the proven entries at ' + d.pointer + ': stated ' + shortJson(d.stated) + ', recomputed ' + shortJson(d.recomputed);
      }
    );
  }

  /**
   * Re-derives the case's legal holds from the export's entries, proven just now, with the ledger's
   * own code (AalAccountability.holdsRecomputation), shows every hold they record in "list", and
   * says whether the hold in force the export states ("case.hold", or none) is the one they give.
   */
  function showHoldsRederived(node, list, bundle, caseId, outcome) {
    return showRecomputed(
      node,
      'Legal hold',
      outcome,
      function () {
        var r = proofCode().holdsRecomputation(bundle.case, caseId, rawEntries(bundle));
        list.replaceChildren(recordedHoldsNode(r.holds));
        return r;
      },
      function (r) { node.setAttribute('data-holds', String(r.holds.length)); },
      function (d) {
        node.setAttribute('data-pointer', d.pointer);
        return 'Legal hold differs from the proven entries at ' + d.pointer + ': stated ' + shortJson(d.stated) + ', recomputed ' + shortJson(d.recomputed);
      }
    );
  }
`;
