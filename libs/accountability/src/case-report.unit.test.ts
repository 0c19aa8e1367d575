import { toBinaryMessage } from '@aal/contracts';
import { makeEvent } from '@aal/testing';
import { caseRecordOf } from './case-record';
import {
  caseReportParts,
  escapeHtml,
  firstReportDifference,
  renderCaseReport,
  type CaseReportSource,
  type ReportVerification,
} from './case-report';
import { decodeFact, type Fact, type RawEntry } from './fact';
import { caseRecommendations } from './recommendations';

const hostile = '<script>alert("x")</script> & \'quoted\'';
const caseId = '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab';
const actor = { organisationId: 'hsib', personId: 'psn_investigator01', role: 'investigator' };

const entryOf = (seq: number, name: string, data: Record<string, unknown>, time: string): RawEntry => {
  const message = toBinaryMessage(makeEvent(name, data, { time }));
  return {
    seq,
    recordedAt: new Date(Date.parse(time) + 1000).toISOString(),
    headers: message.headers,
    value: new TextEncoder().encode(message.value),
  };
};
const opened = entryOf(
  3,
  'case.opened',
  {
    caseId,
    organisationId: 'hsib',
    title: `Case <b>${hostile}</b>`,
    outputIds: ['out-1'],
    openedAgainst: { treeSize: 2, rootHash: 'ab'.repeat(32) },
    basis: [{ organisationId: 'st-swithins', by: 'own-organisation' }],
    actor,
  },
  '2026-11-02T09:30:00.000Z',
);
const granted = entryOf(
  4,
  'case.access-granted',
  { caseId, organisationId: 'hsib', grantee: { organisationId: 'hsib', personId: 'psn_investigator02' }, actor },
  '2026-11-02T09:31:00.000Z',
);
const closed = entryOf(5, 'case.closed', { caseId, organisationId: 'hsib', actor }, '2026-11-02T09:32:00.000Z');

const source: CaseReportSource = {
  caseId,
  origin: 'ledger.example/aal',
  exportedAt: '2026-11-03T10:00:00.000Z',
  accountability: [
    {
      outputId: 'out-1',
      chain: {
        asOf: '2026-11-02T09:10:00.000Z',
        built: { model: { name: 'SepsisWatch', evidence: [0], inclusionProofs: ['/entries/0/inclusion-proof?treeSize=6'] } },
        actedOn: { actions: [{ action: 'overridden', rationale: hostile, evidence: [1] }] },
        findings: [{ code: 'ACTION.OVERRIDDEN', title: 'Output overridden', statement: hostile, evidence: [1] }],
      },
    },
  ],
  notCovered: [],
};
const verified: ReportVerification = {
  ok: true,
  checkpoint: { treeSize: 6, rootHash: 'cd'.repeat(32) },
  entries: 3,
  citations: 3,
  recomputedAnswers: 1,
};
const facts = (entries: RawEntry[]) => entries.map(decodeFact).filter((f): f is Fact => f !== undefined);

describe("case record from the case's own entries", () => {
  it("given opened, access granted and closed, when read, then status, investigators and times are the entries'", () => {
    expect(caseRecordOf(caseId, facts([opened, granted, closed]))).toMatchObject({
      status: 'closed',
      openedAt: '2026-11-02T09:30:00.000Z',
      closedAt: '2026-11-02T09:32:00.000Z',
      investigators: [{ personId: 'psn_investigator01' }, { personId: 'psn_investigator02' }],
      outputIds: ['out-1'],
      evidence: [3, 4, 5],
    });
  });

  it('given no case.opened for the case, when read, then there is no record', () => {
    expect(caseRecordOf(caseId, facts([granted]))).toBeNull();
    expect(caseRecordOf('another', facts([opened]))).toBeNull();
  });
});

describe('case report', () => {
  it('given content with markup from the log, when rendered, then it is escaped everywhere and the page has no script', () => {
    const html = renderCaseReport(source, [opened], verified);
    expect(html).not.toContain(hostile);
    expect(html).not.toMatch(/<script|<b>/i);
    expect(html).toContain(escapeHtml(hostile));
    expect(escapeHtml(hostile)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;');
  });

  it('given text outside ASCII from the log, when rendered, then it is written as character references and the whole report is ASCII, without a double quote', () => {
    expect(escapeHtml('Zoë’s note — 🩺 <ok>')).toBe('Zo&#235;&#8217;s note &#8212; &#129658; &lt;ok&gt;');
    const html = renderCaseReport(source, [opened], verified);
    expect(/^[\x00-\x7f]*$/.test(html)).toBe(true);
    // Attribute values are unquoted tokens and text escapes its quotes: as a JSON string it needs no escapes.
    expect(html).not.toContain('"');
  });

  it('given a verified bundle, then the report says which checkpoint and root, and labels the export time as not proven', () => {
    const html = renderCaseReport(source, [opened], verified);
    expect(html).toContain(`Verified against checkpoint 6 (root <span class=hash>${'cd'.repeat(32)}</span>): 3 entries proven`);
    expect(html).toContain("exported at 2026-11-03T10:00:00.000Z (the ledger's clock, not proven by any entry)");
  });

  it('given a bundle that did not verify, then the report says so instead', () => {
    const html = renderCaseReport(source, [], { ok: false, problem: { kind: 'entry-tampered', detail: 'entry 5 was changed' } });
    expect(html).toContain('NOT verified: entry-tampered');
    expect(html).not.toContain('Verified against');
  });

  it('then the four parties stand side by side, facts carry their evidence seqs, links are not printed, and it prints on its own', () => {
    const html = renderCaseReport(source, [opened, granted], verified);
    expect(html.match(/<section class=party>/g)).toHaveLength(4);
    expect(html).toContain('<span class=seq>#1</span>');
    expect(html).not.toContain('inclusion-proof');
    expect(html).toContain('@media print');
    expect(html).not.toMatch(/<link|src=/);
  });

  it('then the timeline has one named part per entry, in ledger order, computed from the entries', () => {
    const parts = caseReportParts(source, [opened, granted, closed], verified);
    expect(parts.filter((p) => p.name.startsWith('timeline line')).map((p) => p.name)).toEqual([
      'timeline line #3',
      'timeline line #4',
      'timeline line #5',
    ]);
    expect(parts.find((p) => p.name === 'timeline line #5')!.html).toContain('closed case');
  });

  it('given an output of the case the export states no answer for, then the report says so', () => {
    expect(renderCaseReport({ ...source, accountability: [] }, [opened], verified)).toContain(
      'The export states no answer for this output of the case.',
    );
  });

  it('given the same document, then no difference; given one edited, then the first differing part is named', () => {
    const parts = caseReportParts(source, [opened, granted], verified);
    const html = parts.map((p) => p.html).join('');
    expect(firstReportDifference(html, parts)).toBeNull();
    const at = html.lastIndexOf('psn_investigator02'); // its timeline line (the investigator column cites it first)
    const edited = `${html.slice(0, at)}psn_someoneelse1${html.slice(at + 'psn_investigator02'.length)}`;
    expect(firstReportDifference(edited, parts)).toMatchObject({
      part: 'timeline line #4',
      stated: expect.stringContaining('someoneelse'),
    });
  });
});

describe('case report: the vendor and employer records outputs share', () => {
  const built = (name: string, version: string) => ({
    model: { name, vendorId: 'acme-ai', evidence: [0] },
    version: { version, statusAtOutputTime: 'released', evidence: [1] },
    safetyNoticesInForce: [],
  });
  const approvedAndDeployed = {
    deploymentId: 'dep-1',
    approval: { hazardLogRef: 'HL-2026-001', evidence: [2] },
    stateAtOutputTime: { state: 'active', evidence: [3] },
  };
  const answer = (outputId: string, chainBuilt: unknown) => ({
    outputId,
    chain: {
      asOf: '2026-11-02T09:10:00.000Z',
      built: chainBuilt,
      approvedAndDeployed,
      output: { summary: `summary of ${outputId}`, evidence: [4] },
    },
  });
  // out-1 and out-2 hold equal vendor records (as separate objects, as a v1 export parses them); out-3 another version.
  const three: CaseReportSource = {
    ...source,
    accountability: [
      answer('out-1', built('SepsisWatch', '2.1.0')),
      answer('out-2', built('SepsisWatch', '2.1.0')),
      answer('out-3', built('SepsisWatch', '3.0.0')),
    ],
  };
  const parts = caseReportParts(three, [], verified);
  const html = parts.map((p) => p.html).join('');
  const part = (name: string) => parts.find((p) => p.name === name)!.html;

  it('given outputs with the same vendor and employer records, when rendered, then each shared record is printed once, before the outputs', () => {
    expect(parts.map((p) => p.name).filter((n) => n.startsWith('shared') || n.startsWith('output'))).toEqual([
      'shared records',
      'shared V1',
      'shared E1',
      'output out-1',
      'output out-2',
      'output out-3',
    ]);
    expect(part('shared records')).toContain('Vendor and employer records these outputs share');
    expect(part('shared V1')).toContain('<section id=V1 class=shared><h3>Section V1 &#8212; Model SepsisWatch version 2.1.0</h3>');
    expect(part('shared V1')).toContain('the same for 2 of the outputs below');
    expect(part('shared E1')).toContain('Section E1 &#8212; Deployment dep-1');
    expect(part('shared E1')).toContain('the same for 3 of the outputs below');
    expect(html.match(/HL-2026-001/g)).toHaveLength(1);
    expect(html.match(/<dd>2\.1\.0<\/dd>/g)).toHaveLength(1);
  });

  it('then each output sharing a record refers to it by its anchor, and an output with its own record shows it whole', () => {
    for (const id of ['out-1', 'out-2']) {
      expect(part(`output ${id}`)).toContain(
        '<p class=ref>As in <a href=#V1>section V1 &#8212; Model SepsisWatch version 2.1.0</a> (shared by 2 outputs).</p>',
      );
      expect(part(`output ${id}`)).not.toContain('<h4>Model</h4>');
    }
    for (const id of ['out-1', 'out-2', 'out-3'])
      expect(part(`output ${id}`)).toContain('<a href=#E1>section E1 &#8212; Deployment dep-1</a>');
    expect(part('output out-3')).toContain('<dd>3.0.0</dd>');
    expect(part('output out-3')).not.toContain('href=#V');
    expect(part('output out-2')).toContain('summary of out-2');
    expect(html).not.toContain('"');
  });

  it('given a single output, then nothing is shared and its chain is printed whole where it stands', () => {
    const one = caseReportParts({ ...three, accountability: (three.accountability as unknown[]).slice(0, 1) }, [], verified);
    expect(one.some((p) => p.name.startsWith('shared'))).toBe(false);
    expect(one.find((p) => p.name === 'output out-1')!.html).toContain('<dt>hazardLogRef</dt><dd>HL-2026-001</dd>');
  });

  it('given a shared record or a reference to it edited, then the first differing part is named', () => {
    const inShared = html.replace('HL-2026-001', 'HL-0000-000');
    expect(firstReportDifference(inShared, parts)).toMatchObject({ part: 'shared E1', stated: expect.stringMatching(/^0000-000<\/dd>/) });
    const at = html.indexOf('href=#V1', html.indexOf('<code>out-2</code>'));
    const redirected = `${html.slice(0, at)}href=#V2${html.slice(at + 'href=#V1'.length)}`;
    expect(firstReportDifference(redirected, parts)).toMatchObject({ part: 'output out-2' });
  });
});

describe('case report: safety recommendations', () => {
  const recommendationId = '7c1d2e3f-4a5b-4c6d-8e7f-0123456789cd';
  const addressee = { party: 'vendor', organisationId: 'acme-ai' };
  const recorded = entryOf(
    6,
    'recommendation.recorded',
    { caseId, organisationId: 'hsib', recommendationId, addressee, recommendation: hostile, dueBy: '2026-11-10T00:00:00.000Z', actor },
    '2026-11-02T09:33:00.000Z',
  );
  const officer = { organisationId: 'acme-ai', personId: 'psn_acmesafety01', role: 'vendor-safety-officer' };
  const accepted = entryOf(
    7,
    'recommendation.accepted',
    { caseId, organisationId: 'hsib', recommendationId, addressee, plan: 'Release 2.4.', actor: officer },
    '2026-11-03T09:00:00.000Z',
  );
  const stated = caseRecommendations(caseId, facts([recorded, accepted]), { asOf: '2026-11-20T00:00:00.000Z' });

  it('given stated recommendations, then each is printed with its status and responses, escaped, and their findings are among the findings', () => {
    const parts = caseReportParts({ ...source, recommendations: stated }, [opened, recorded, accepted], verified);
    const part = (name: string) => parts.find((p) => p.name === name)?.html ?? '';
    expect(part('recommendations')).toContain('<h2>Safety recommendations</h2>');
    expect(part('recommendations')).toContain(`<code>${recommendationId}</code><br>${escapeHtml(hostile)}`);
    expect(part('recommendations')).toContain('<td>accepted</td>');
    expect(part('recommendations')).toContain('Release 2.4.');
    expect(part('findings')).toContain('<code>RECOMMENDATION.OVERDUE</code>');
    expect(part('recommendations')).not.toContain(hostile);
  });

  it('given an export from before recommendations, then the report has no such section', () => {
    expect(caseReportParts(source, [opened], verified).some((p) => p.name === 'recommendations')).toBe(false);
  });
});
