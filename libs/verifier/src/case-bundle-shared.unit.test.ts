import { SHARED_REF } from '@aal/accountability';
import { caseBundleReport, verifyCaseBundle, type CaseBundleOutcome } from './case-bundle-verifier';
import { manyOutputsCase, manyOutputsId } from './testing/many-outputs-case-fixture';
import { asciiJson, CASE_BUNDLE_FORMAT, type CaseBundle } from './wire-format';

// aal-case-export/v2: the values the answers share are written once (`shared`) and referred to.
const OUTPUTS = 5;
const v2 = manyOutputsCase(OUTPUTS);
const v1 = manyOutputsCase(OUTPUTS, { format: 'aal-case-export/v1' });
const settings = { key: v2.key, origin: v2.origin };
type Editable = Omit<CaseBundle, 'shared' | 'accountability' | 'report'> & {
  shared: unknown[];
  accountability: any[];
  report: CaseBundle['report'];
};
const copy = (b: unknown) => JSON.parse(JSON.stringify(b)) as Editable;
const problemOf = (outcome: CaseBundleOutcome) => {
  if (outcome.ok) throw new Error('expected a problem');
  return outcome.problem;
};
/** The index in `shared` of the value the answers refer to at `member` of their chain. */
const sharedIndexOf = (b: CaseBundle, member: string) =>
  ((b.accountability[0]!['chain'] as Record<string, any>)[member] as Record<string, number>)[SHARED_REF]!;
/** The bundle with the report an honest ledger would render for what it now states. */
const rerendered = (b: CaseBundle): CaseBundle => {
  const { report: _old, ...rest } = b;
  return { ...rest, report: { mediaType: 'text/html', html: caseBundleReport(copy(rest), settings) } };
};

describe('case bundle verification: answers that share values (aal-case-export/v2)', () => {
  it('given an honest v2 bundle, when verified, then every answer is recomputed and the outcome is that of the same case written whole (v1)', () => {
    expect(v2.bundle.format).toBe(CASE_BUNDLE_FORMAT);
    expect(v2.bundle.shared.length).toBeGreaterThan(0);
    expect(JSON.stringify(v2.bundle).length).toBeLessThan(JSON.stringify(v1.bundle).length);
    const outcome = verifyCaseBundle(copy(v2.bundle), settings);
    expect(outcome).toMatchObject({ ok: true, recomputedAnswers: OUTPUTS });
    const whole = verifyCaseBundle(copy(v1.bundle), { key: v1.key, origin: v1.origin });
    const { checkpoint: _a, ...same } = outcome as Extract<CaseBundleOutcome, { ok: true }>;
    const { checkpoint: _b, ...sameWhole } = whole as Extract<CaseBundleOutcome, { ok: true }>;
    expect(same).toEqual(sameWhole);
  });

  it('given the shared model edited, when verified, then it fails at the first output that reads it, naming where the file writes it', () => {
    const b = copy(v2.bundle);
    const k = sharedIndexOf(b, 'built');
    b.shared[k] = { ...(b.shared[k] as object), model: { ...(b.shared[k] as any).model, name: 'SafeWatch' } };
    expect(problemOf(verifyCaseBundle(b, settings))).toMatchObject({
      kind: 'answer-differs',
      evidence: {
        outputId: manyOutputsId(0),
        pointer: '/accountability/0/chain/built/model/name',
        writtenAt: `/shared/${k}/model/name`,
        stated: 'SafeWatch',
        recomputed: 'SepsisWatch',
      },
    });
  });

  it('given the shared value edited and the report rendered again to match, when verified, then the answer is refused before the report', () => {
    const b = copy(v2.bundle);
    const k = sharedIndexOf(b, 'approvedAndDeployed');
    (b.shared[k] as any).approval.hazardLogRef = 'HL-0000-000';
    const problem = problemOf(verifyCaseBundle(copy(rerendered(b)), settings));
    expect(problem).toMatchObject({ kind: 'answer-differs', evidence: { writtenAt: `/shared/${k}/approval/hazardLogRef` } });
  });

  it("given one output's answer referring to another shared value, when verified, then it fails at that output", () => {
    const b = copy(v2.bundle);
    b.accountability[3].chain.built = { [SHARED_REF]: sharedIndexOf(b, 'instructed') };
    expect(problemOf(verifyCaseBundle(b, settings))).toMatchObject({
      kind: 'answer-differs',
      evidence: { outputId: manyOutputsId(3), pointer: expect.stringMatching(/^\/accountability\/3\/chain\/built\//) },
    });
  });

  it('given a shared value citing an entry the bundle does not hold, when verified, then the problem points at that citation in `shared`', () => {
    const b = copy(v2.bundle);
    const k = sharedIndexOf(b, 'built');
    (b.shared[k] as any).model.evidence = [999_999];
    expect(problemOf(verifyCaseBundle(b, settings))).toMatchObject({
      kind: 'evidence-not-in-bundle',
      evidence: { pointer: `/shared/${k}/model/evidence/0`, citedSeq: 999_999 },
    });
  });

  it('given a reference to a value `shared` does not hold, or a shared value nothing refers to, when verified, then the bundle is malformed at that pointer', () => {
    const dangling = copy(v2.bundle);
    dangling.accountability[2].chain.built = { [SHARED_REF]: 99 };
    expect(problemOf(verifyCaseBundle(dangling, settings))).toMatchObject({
      kind: 'bundle-malformed',
      detail: expect.stringContaining('/accountability/2/chain/built, which refers to shared value 99'),
    });
    const unused = copy(v2.bundle);
    unused.shared.push({ note: 'stated by no answer' });
    expect(problemOf(verifyCaseBundle(unused, settings))).toMatchObject({
      kind: 'bundle-malformed',
      detail: expect.stringContaining(`/shared/${unused.shared.length - 1}, which is referred to by no answer`),
    });
  });

  it('given the outputs’ vendor and employer records, when rendered, then each is printed once and every output refers to it by its anchor', () => {
    const html = v2.bundle.report.html;
    expect(html.match(/<section id=V1 class=shared>/g)).toHaveLength(1);
    expect(html.match(/<section id=E1 class=shared>/g)).toHaveLength(1);
    expect(html.match(/<h4>Model<\/h4>/g)).toHaveLength(1);
    expect(html.match(/<a href=#V1>section V1 &#8212; Model SepsisWatch version /g)).toHaveLength(OUTPUTS);
    expect(html.match(/<a href=#E1>section E1 &#8212; Deployment /g)).toHaveLength(OUTPUTS);
    expect(html.indexOf('id=V1')).toBeLessThan(html.indexOf(`<code>${manyOutputsId(0)}</code>`));
    // The same case written whole (v1) gives the same report: sharing is decided by what the records say.
    expect(v1.bundle.report.html.match(/<section id=V1 class=shared>/g)).toHaveLength(1);
  });

  it('given the shared vendor record edited in the report only, when verified, then it fails naming that shared section', () => {
    const b = copy(v2.bundle);
    const at = b.report.html.indexOf('<section id=V1 class=shared>');
    const name = b.report.html.indexOf('<dd>SepsisWatch</dd>', at);
    b.report = {
      ...b.report,
      html: `${b.report.html.slice(0, name)}<dd>SafeWatch</dd>${b.report.html.slice(name + '<dd>SepsisWatch</dd>'.length)}`,
    };
    const problem = problemOf(verifyCaseBundle(b, settings));
    expect(problem).toMatchObject({ kind: 'report-differs', evidence: { part: 'shared V1' } });
    expect(problem.detail).toContain('it states "afeWatch</dd>');
  });

  it('given one output’s reference to a shared record edited, or replaced by another column, when verified, then it fails naming that output’s part', () => {
    const b = copy(v2.bundle);
    const at = b.report.html.indexOf(`<code>${manyOutputsId(3)}</code>`);
    const name = b.report.html.indexOf('SepsisWatch', at);
    b.report = { ...b.report, html: `${b.report.html.slice(0, name)}SafeWatch${b.report.html.slice(name + 'SepsisWatch'.length)}` };
    expect(problemOf(verifyCaseBundle(b, settings))).toMatchObject({
      kind: 'report-differs',
      evidence: { part: `output ${manyOutputsId(3)}` },
    });
    const c = copy(v2.bundle);
    const ref = c.report.html.indexOf('href=#E1', c.report.html.indexOf(`<code>${manyOutputsId(2)}</code>`));
    c.report = { ...c.report, html: `${c.report.html.slice(0, ref)}href=#V1${c.report.html.slice(ref + 'href=#E1'.length)}` };
    expect(problemOf(verifyCaseBundle(c, settings))).toMatchObject({
      kind: 'report-differs',
      evidence: { part: `output ${manyOutputsId(2)}` },
    });
  });

  it('given a v1 bundle holding references, when verified, then they are read as they stand (only v2 shares values)', () => {
    const b = copy(v2.bundle);
    const problem = problemOf(verifyCaseBundle({ ...b, format: 'aal-case-export/v1' }, settings));
    expect(problem).toMatchObject({ kind: 'answer-differs', evidence: { outputId: manyOutputsId(0) } });
  });

  it('given a bundle written as ASCII JSON, when read, then it is the same value, and its report is ASCII too', () => {
    const text = asciiJson({ ...v2.bundle, case: { ...v2.bundle.case, title: 'Zoë’s case — 🩺' } });
    expect(/^[\x00-\x7f]*$/.test(text)).toBe(true);
    expect((JSON.parse(text) as CaseBundle).case['title']).toBe('Zoë’s case — 🩺');
    expect(/^[\x00-\x7f]*$/.test(v2.bundle.report.html)).toBe(true);
  });
});
