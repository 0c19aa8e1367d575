import { escapeHtml, renderCaseReport, type CaseReportModel } from './case-report.html';

const hostile = '<script>alert("x")</script> & \'quoted\'';

const model = (over: Partial<CaseReportModel> = {}): CaseReportModel => ({
  case: { caseId: '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab', title: `Case <b>${hostile}</b>`, openedBy: { organisationId: 'hsib', personId: 'psn_investigator01', role: 'investigator' } },
  generatedAt: '2026-11-03T10:00:00.000Z',
  origin: 'ledger.example/aal',
  checkpoint: { treeSize: 42, rootHash: 'ab'.repeat(32) },
  verification: { ok: true, caseId: 'c', entries: 7, checkpoint: { treeSize: 42, rootHash: 'ab'.repeat(32), note: 'n' }, citations: 9, caseOpenedSeq: 30, notCovered: [], recomputedAnswers: 0 },
  accountability: [
    {
      outputId: 'out-1',
      chain: {
        asOf: '2026-11-02T09:10:00.000Z',
        built: { model: { name: 'SepsisWatch', evidence: [0] } },
        approvedAndDeployed: { approval: { approvedBy: { personId: 'psn_cso000000001' }, evidence: [3] } },
        actedOn: { actions: [{ action: 'overridden', rationale: hostile, evidence: [12] }] },
      },
    },
  ],
  findings: [{ outputId: 'out-1', code: 'TRAINING.NONE', title: 'No recorded training', detail: hostile, evidence: [6, 12] }],
  timeline: [{ seq: 30, recordedAt: 'r', eventTime: 't', type: 'case.opened', eventType: 'aal.case.opened.v1', eventId: 'e', source: '/aal/ledger/x', subject: 'case/c', party: 'investigator', summary: `opened by ${hostile}` }],
  notCovered: [],
  ...over,
});

describe('case report', () => {
  it('given content with markup from the log, when rendered, then it is escaped everywhere and the page has no script', () => {
    const html = renderCaseReport(model());
    expect(html).not.toContain(hostile);
    expect(html).not.toMatch(/<script|<b>/i);
    expect(html).toContain(escapeHtml(hostile));
    expect(escapeHtml(hostile)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;');
  });

  it('given a verified bundle, then the report says which checkpoint and root it was verified against', () => {
    expect(renderCaseReport(model())).toContain(`Verified against checkpoint 42 (root <span class="hash">${'ab'.repeat(32)}</span>): 7 entries proven`);
  });

  it('given a bundle that did not verify, then the report says so instead', () => {
    const html = renderCaseReport(model({ verification: { ok: false, entries: 2, problem: { kind: 'entry-tampered', seq: 5, detail: 'entry 5 was changed', evidence: { storedLeafHash: 'a', computedLeafHash: 'b', entry: {} } } } }));
    expect(html).toContain('NOT verified: entry-tampered');
    expect(html).not.toContain('Verified against');
  });

  it('then the four parties stand side by side, facts carry their evidence seqs, and it prints on its own', () => {
    const html = renderCaseReport(model());
    expect(html.match(/<section class="party">/g)).toHaveLength(4);
    expect(html).toContain('<span class="seq">#12</span>');
    expect(html).toContain('@media print');
    expect(html).not.toMatch(/<link|src=/);
  });
});
