import { caseBundleReport, verifyCaseBundle, type CaseBundleOutcome } from './case-bundle-verifier';
import { ACCOUNTABLE_CASE_ID, ACCOUNTABLE_OUTPUT_ID, buildAccountableCase } from './testing/accountable-case-fixture';
import type { CaseBundle } from './wire-format';

// Step 5 of verifyCaseBundle: the report is rendered again from the proven entries, and any edit
// to it, or to what it is rendered from, is named. Each `given` is one edit a ledger operator
// (or anyone handling the export file) could make.

const honest = buildAccountableCase();
const settings = { key: honest.key, origin: honest.origin };
const check = (bundle: CaseBundle): CaseBundleOutcome => verifyCaseBundle(JSON.parse(JSON.stringify(bundle)), settings);
const html = honest.bundle.report.html;
const withHtml = (edited: string): CaseBundle => ({ ...honest.bundle, report: { mediaType: 'text/html', html: edited } });
const problemOf = (outcome: CaseBundleOutcome) => {
  if (outcome.ok) throw new Error('expected a problem');
  return outcome.problem;
};
/** The bundle with its report rendered again, as a ledger that edits the bundle would. */
const rerendered = (bundle: Omit<CaseBundle, 'report'>): CaseBundle => ({
  ...bundle,
  report: { mediaType: 'text/html', html: caseBundleReport(JSON.parse(JSON.stringify(bundle)), settings) },
});
/** The HTML of the timeline line of entry `seq`. */
const lineOf = (seq: number) => html.match(new RegExp(`<tr><td><span class=seq>#${seq}</span>.*?</tr>`))![0];

describe('case bundle report, rendered again from the proven entries', () => {
  it('given an honest bundle, when verified, then its report is the one the entries give', () => {
    expect(check(honest.bundle)).toMatchObject({ ok: true, caseId: ACCOUNTABLE_CASE_ID });
    expect(html).toContain('Verified against checkpoint 12');
    expect(html).toContain('psn_investigator02');
  });

  it('given a timeline line whose summary was edited, when verified, then it fails naming that line', () => {
    const line = lineOf(9);
    const problem = problemOf(check(withHtml(html.replace(line, line.replace('overridden output', 'accepted output')))));
    expect(problem).toMatchObject({ kind: 'report-differs', evidence: { part: 'timeline line #9' } });
    expect(problem.detail).toContain('accepted output');
  });

  it("given a timeline line's recorded time edited, when verified, then it fails naming that line", () => {
    const line = lineOf(3);
    const recordedAt = honest.bundle.entries[3]!.recordedAt;
    expect(problemOf(check(withHtml(html.replace(line, line.replace(recordedAt, '2026-11-02T08:00:00.000Z')))))).toMatchObject({
      kind: 'report-differs',
      evidence: { part: 'timeline line #3' },
    });
  });

  it('given a timeline line removed, when verified, then it fails naming the line that is missing', () => {
    expect(problemOf(check(withHtml(html.replace(lineOf(5), ''))))).toMatchObject({
      kind: 'report-differs',
      evidence: { part: 'timeline line #5' },
    });
  });

  it('given a timeline line added, when verified, then it fails where it was inserted', () => {
    const problem = problemOf(check(withHtml(html.replace(lineOf(2), `${lineOf(2)}${lineOf(2).replace('#2', '#99')}`))));
    expect(problem).toMatchObject({ kind: 'report-differs', evidence: { part: 'timeline line #3' } });
    expect(problem.evidence).toMatchObject({ stated: expect.stringContaining('99</span>') });
  });

  it("given a finding's statement edited in the report, when verified, then it fails at the findings", () => {
    expect(problemOf(check(withHtml(html.replace('Recent surgery explains tachycardia.', 'No reason given.'))))).toMatchObject({
      kind: 'report-differs',
      evidence: { part: 'findings' },
    });
  });

  it('given an investigator removed from the case section, when verified, then it fails at the case', () => {
    const edited = html.replace(',{&quot;organisationId&quot;:&quot;hsib&quot;,&quot;personId&quot;:&quot;psn_investigator02&quot;}', '');
    expect(edited).not.toBe(html);
    expect(problemOf(check(withHtml(edited)))).toMatchObject({ kind: 'report-differs', evidence: { part: 'case' } });
  });

  it('given the verification banner edited, when verified, then it fails at the header', () => {
    expect(problemOf(check(withHtml(html.replace('Verified against checkpoint 12', 'Verified against checkpoint 13'))))).toMatchObject({
      kind: 'report-differs',
      evidence: { part: 'header' },
    });
  });

  it('given content appended after the document, or the report removed, when verified, then it fails', () => {
    expect(problemOf(check(withHtml(`${html}<p>appended</p>`)))).toMatchObject({
      kind: 'report-differs',
      evidence: { part: 'after the end' },
    });
    const { report: _report, ...withoutReport } = honest.bundle;
    expect(problemOf(check(withoutReport as CaseBundle))).toMatchObject({ kind: 'report-differs', evidence: { part: 'report' } });
  });

  it('given the export time changed in the bundle only, when verified, then the report no longer matches; changed in both, it is named as unproven', () => {
    const later = { ...honest.bundle, exportedAt: '2026-11-03T10:00:00.000Z' };
    expect(problemOf(check(later))).toMatchObject({ kind: 'report-differs', evidence: { part: 'header' } });
    expect(check(rerendered(later))).toMatchObject({ ok: true, unproven: expect.arrayContaining(['/exportedAt']) });
  });

  it("given an entry's recorded time changed and the report rendered again to match, when verified, then the entry itself is refused", () => {
    const entries = honest.bundle.entries.map((e) => (e.seq === 3 ? { ...e, recordedAt: '2026-11-02T08:00:00.000Z' } : e));
    expect(problemOf(check(rerendered({ ...honest.bundle, entries })))).toMatchObject({ kind: 'entry-tampered', seq: 3 });
  });

  it('given the answer edited and the report rendered again to match, when verified, then the answer is refused before the report', () => {
    const bundle = JSON.parse(JSON.stringify(honest.bundle)) as CaseBundle;
    (bundle.accountability[0]!['chain'] as any).actedOn.actions[0].action = 'accepted';
    expect(problemOf(check(rerendered(bundle)))).toMatchObject({ kind: 'answer-differs', evidence: { outputId: ACCOUNTABLE_OUTPUT_ID } });
  });

  it("given the case's unproven claims (status, investigators) edited, when verified, then the report, rendered from the entries, still says what they record, and the claims are named as unproven", () => {
    const bundle = { ...honest.bundle, case: { ...honest.bundle.case, status: 'closed', investigators: [] } };
    const outcome = check(bundle);
    expect(outcome).toMatchObject({ ok: true, unproven: expect.arrayContaining(['/case/status', '/case/investigators']) });
    expect(bundle.report.html).toContain('<dt>status</dt><dd>open</dd>');
  });

  it('given inclusion-proof links in an answer (links for the live API, not recomputed), when rendered, then the report does not print them and names them as unproven', () => {
    const bundle = JSON.parse(JSON.stringify(honest.bundle)) as CaseBundle;
    (bundle.accountability[0]!['chain'] as any).built.model.inclusionProofs = ['/entries/0/inclusion-proof?treeSize=12'];
    const withLinks = rerendered(bundle);
    expect(withLinks.report.html).toBe(html);
    expect(check(withLinks)).toMatchObject({ ok: true, unproven: expect.arrayContaining(['/accountability/0/chain/**/inclusionProofs']) });
  });
});
