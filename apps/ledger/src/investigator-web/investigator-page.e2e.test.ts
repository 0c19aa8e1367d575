import { verifierKeyString } from '@aal/ledger-core';
import { eventually, testCheckpointSettings, tokenFor } from '@aal/testing';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { people, professionals, waitForOversight, type DemoResult } from '../../../../scripts/demo-scenario';
import { localTime, utcTitle } from './assets/browser/view-words';
import { DEMO_STACK, playDemoOn, startFourServices, type FourServices } from '../../../../test/support/four-services';

/**
 * The investigator's web page in a real browser (Debian's Chromium driven by playwright-core):
 * the demo scenario travels from the three producers through Kafka into the ledger, and an
 * investigator reads the overridden output on /investigate. The page verifies the evidence in
 * the browser; the test checks what an investigator relies on, and writes the screenshot the
 * docs show (docs/images/investigator-view.png).
 */
const CHROMIUM = '/usr/bin/chromium';
const STEP_TIMEOUT_MS = 30_000;
const SCREENSHOT = join(__dirname, '..', '..', '..', '..', 'docs', 'images', 'investigator-view.png');
const HOSTILE = '<img src=x onerror="window.__xss=1">Suspected sepsis <b>ruled out</b> & obs repeated';

describe('investigator web page (Chromium)', () => {
  let services: FourServices;
  let result: DemoResult;
  let ledgerUrl: string;
  let usageEventsUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let chain: any;
  let xssOutputId: string;
  let incidentId: string;
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  const investigatorToken = () => tokenFor(people.investigator);

  const getJson = async (path: string) => {
    const res = await fetch(`${ledgerUrl}${path}`);
    return { status: res.status, body: (await res.json()) as any };
  };
  const send = async (path: string, body: unknown) => {
    const res = await fetch(`${usageEventsUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(people.eprSystem)}` },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as any;
  };
  const evidenceOf = (value: unknown, into = new Set<number>()): Set<number> => {
    if (Array.isArray(value))
      value.forEach((v) => {
        evidenceOf(v, into);
      });
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'evidence' && Array.isArray(v))
          v.forEach((s) => {
            into.add(s as number);
          });
        else evidenceOf(v, into);
      }
    }
    return into;
  };

  /**
   * The chain of an output as the page reads it: through a case of the investigator's (its
   * export), once the ledger shows what the clinical system reported.
   */
  const chainOf = async (outputId: string) => {
    const authorization = `Bearer ${await investigatorToken()}`;
    // The ledger learns of the output through Kafka: retry while it does not know it yet (404).
    const opened = await eventually(
      () =>
        fetch(`${ledgerUrl}/cases`, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/json' },
          body: JSON.stringify({ title: `test: ${outputId}`, outputIds: [outputId] }),
        }),
      (r) => r.status !== 404,
      30000,
      `a case on ${outputId}`,
    );
    expect(opened.status).toBe(201);
    const { caseId } = (await opened.json()) as { caseId: string };
    const bundle = await eventually(
      async () => (await fetch(`${ledgerUrl}/cases/${caseId}/export`, { headers: { authorization } })).json() as Promise<any>,
      (b) => b?.accountability?.[0]?.chain?.actedOn?.actions?.length > 0,
      60000,
      `the chain of ${outputId} with its action`,
    );
    return bundle.accountability[0].chain;
  };

  /** Fills the search form and waits for the page to settle: a badge, or a message and no result. */
  const search = async (kind: 'output' | 'incident', query: string) => {
    await page.selectOption('#kind', kind);
    await page.fill('#query', query);
    await page.click('#search');
    // The page disables the button while it searches and verifies, synchronously on submit.
    await page.waitForSelector('#search:not([disabled])', { timeout: STEP_TIMEOUT_MS });
  };
  const badgeText = () => page.textContent('#badge');
  const partText = (party: string) => page.textContent(`.party[data-party="${party}"]`);

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is missing at ${CHROMIUM}: this browser test needs Debian's chromium package. Install it with \`apt-get update && apt-get install -y chromium\` (as root; .ci/run does this).`,
      );
    }
    services = await startFourServices('investigator-web', {
      ...DEMO_STACK,
      checkpoints: testCheckpointSettings('web.test/aal-ledger', { minIntervalMs: 50, idleIntervalMs: 200 }).settings,
    });
    ledgerUrl = services.url.ledger;
    usageEventsUrl = services.url['usage-events'];
    result = await playDemoOn(services);

    // An output whose rationale is markup: the page must show it as text.
    xssOutputId = `sw-ews-xss-${randomBytes(3).toString('hex')}`;
    await send('/outputs', {
      outputId: xssOutputId,
      deploymentId: result.deploymentId,
      modelId: result.modelId,
      versionId: result.versionId,
      subjectRef: 'psn_subj_7a_0999',
      site: 'ward-7a',
      summary: 'sepsis risk: low (score 2)',
      outputDigest: `sha256:${randomBytes(32).toString('hex')}`,
      occurredAt: new Date().toISOString(),
    });
    await send(`/outputs/${xssOutputId}/actions`, {
      professional: professionals.trainedNurse,
      action: 'overridden',
      rationale: HOSTILE,
      reviewDurationSeconds: 75,
      occurredAt: new Date().toISOString(),
    });
    // The demo's incident, which the hospital's clinical safety officer referred to the investigators.
    incidentId = result.incidentId;
    // The xss output is in no incident: the hospital's data controller grants the investigators access to it.
    const dataController = { organisationId: people.safetyOfficer.organisationId, personId: 'psn_sw_dpo_00001', role: 'data-controller' };
    const grant = await eventually(
      async () =>
        fetch(`${ledgerUrl}/mandates`, {
          method: 'POST',
          headers: { authorization: `Bearer ${await tokenFor(dataController)}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            kind: 'data-controller-grant',
            investigatingOrganisationId: people.investigator.organisationId,
            scope: { kind: 'outputs', outputIds: [xssOutputId] },
            reference: 'Grant DPO-2026-3',
          }),
        }),
      (r) => r.status !== 404,
      30000,
      'the xss output known to the ledger',
    );
    expect(grant.status).toBe(201);

    chain = await chainOf(result.outputs.overridden);
    const xssChain = await chainOf(xssOutputId);
    // The page verifies against the latest checkpoint: wait until one covers every entry it will check.
    const auditor = await tokenFor(
      { organisationId: 'care-quality-audit', personId: 'psn_cqa_auditor_1', role: 'auditor' },
      { grants: ['all-organisations'] },
    );
    const incidentEntry = await eventually(
      async () =>
        (
          (await (await fetch(`${ledgerUrl}/entries?limit=1000`, { headers: { authorization: `Bearer ${auditor}` } })).json()) as {
            entries: any[];
          }
        ).entries.find((e) => e.event.type === 'aal.incident.reported.v1'),
      (e) => e !== undefined,
      30000,
      'the incident report in the log',
    );
    const highest = Math.max(...evidenceOf(chain), ...evidenceOf(xssChain), incidentEntry.seq);
    await eventually(
      () => getJson('/checkpoints/latest'),
      (r) => r.status === 200 && r.body.treeSize > highest,
      30000,
      `a checkpoint covering entry ${highest}`,
    );

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout: STEP_TIMEOUT_MS,
      args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
    });
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'Europe/London' });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    const response = await page.goto(`${ledgerUrl}/investigate`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    // The ledger's answer code runs under that policy: no eval is admitted for it.
    expect(response?.headers()['content-security-policy']).not.toContain('unsafe-eval');
    const bundle = await fetch(`${ledgerUrl}/investigate/accountability.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(bundle.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await bundle.text()).toContain('var AalAccountability =');
    await page.fill('#token', await investigatorToken());
    await page.click('#token-form button[type="submit"]');
    await page.waitForSelector(`#token-state:has-text("${people.investigator.personId}")`, { timeout: STEP_TIMEOUT_MS });
    // The demo waits for its concern's answer to fall due (DEMO_CONCERN_DUE_PERIODS) before the vendor answers.
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await services?.close();
  });

  it('shows the four parties, the timeline, the findings with their evidence, and a badge verified in the browser', async () => {
    const exported = page.waitForResponse((r) => /\/cases\/[^/]+\/export$/.test(new URL(r.url()).pathname) && r.status() === 200);
    await search('output', result.outputs.overridden);
    const bundle = (await (await exported).json()) as { entries: unknown[] };

    // The answer is re-derived in the browser, with the ledger's own code, from every entry of the export.
    const rederived = await page.textContent('#rederived');
    expect(rederived).toMatch(/^Answer re-derived from \d+ proven entries$/);
    const n = Number(rederived!.replace(/\D+/g, ''));
    expect(n).toBe(bundle.entries.length);
    expect(n).toBeGreaterThanOrEqual(evidenceOf(chain).size);
    expect(await page.getAttribute('#rederived', 'class')).toContain('verified');

    const badge = await badgeText();
    expect(badge).toMatch(/^Verified against checkpoint \d+$/);
    const treeSize = Number(badge!.replace(/\D+/g, ''));
    // The checkpoint the page used is a signed checkpoint of the ledger, covering every evidence entry.
    const used = await getJson(`/checkpoints/at?size=${treeSize}`);
    const latest = await getJson('/checkpoints/latest');
    expect(used.body.treeSize).toBe(treeSize);
    expect(await page.getAttribute('#badge', 'data-root-hash')).toBe(used.body.rootHash);
    expect(treeSize).toBeLessThanOrEqual(latest.body.treeSize);
    expect(treeSize).toBeGreaterThan(Math.max(...evidenceOf(chain)));

    // The four parties, side by side.
    expect(await page.locator('.parties > .party').evaluateAll((cols) => cols.map((c) => c.getAttribute('data-party')))).toEqual([
      'built',
      'approved',
      'instructed',
      'acted',
    ]);
    const built = await partText('built');
    expect(built).toContain('SepsisWatch Early Warning');
    expect(built).toContain('acme-clinical-ai');
    expect(built).toContain(people.vendorLead.personId);
    expect(built).toContain('2.1.0');
    const approved = await partText('approved');
    expect(approved).toContain(people.safetyOfficer.personId);
    expect(approved).toContain('SW-DCB0160-HL-031');
    expect(approved).toContain(people.digitalLead.personId);
    const instructed = await partText('instructed');
    expect(instructed).toContain('advisory');
    // Field names as words, not the API's keys.
    expect(instructed).toMatch(/minimum review time \(s\)\s*60/);
    expect(instructed).not.toContain('minimumReviewSeconds');
    expect(instructed).toContain(professionals.nurseInCharge.personId);
    expect(instructed).toContain('use-ai');
    const acted = await partText('acted');
    expect(acted).toContain(professionals.untrainedNurse.personId);
    expect(acted).toMatch(/action\s*overridden/);
    expect(acted).toContain('Tachycardia explained by recent surgery and pain');

    // The output against the approved scope: every check, each statement read from the page.
    const checks = await page
      .locator('.party[data-party="approved"] [data-part="Checks against the approved scope"] .item')
      .allTextContents();
    expect(checks).toHaveLength(chain.scopeChecks.length);
    chain.scopeChecks.forEach((c: { statement: string }, i: number) => {
      expect(checks[i]).toContain(c.statement);
    });
    expect(await partText('approved')).toContain('Approved scope in force');

    // Each item links its evidence to the inclusion proof, which the public API serves.
    const approvalLinks = await page
      .locator('.party[data-party="approved"] [data-part="Approval"] a.seq')
      .evaluateAll((as) => as.map((a) => ({ seq: Number(a.getAttribute('data-seq')), href: a.getAttribute('href') })));
    expect(approvalLinks.map((l) => l.seq)).toEqual(chain.approvedAndDeployed.approval.evidence);
    expect(approvalLinks[0]!.href).toMatch(/^\/entries\/\d+\/inclusion-proof\?treeSize=\d+$/);
    expect((await fetch(`${ledgerUrl}${approvalLinks[0]!.href}`)).status).toBe(200);

    // Findings with their evidence.
    const overridden = chain.findings.find((f: any) => f.code === 'ACTION.OVERRIDDEN');
    const findingSeqs = await page
      .locator('.finding[data-code="ACTION.OVERRIDDEN"] a.seq')
      .evaluateAll((as) => as.map((a) => Number(a.getAttribute('data-seq'))));
    expect(findingSeqs).toEqual(overridden.evidence);
    expect(await page.textContent('.finding[data-code="TRAINING.NONE_RECORDED"]')).toContain(professionals.untrainedNurse.personId);
    expect(await page.locator('.finding').count()).toBe(chain.findings.length);

    // The timeline, ordered by when things happened.
    const happened = await page
      .locator('table.timeline tbody tr td:first-child time')
      .evaluateAll((ts) => ts.map((t) => ({ iso: t.getAttribute('datetime')!, text: t.textContent, title: t.getAttribute('title') })));
    expect(happened.length).toBeGreaterThanOrEqual(8);
    expect([...happened].sort((a, b) => Date.parse(a.iso) - Date.parse(b.iso))).toEqual(happened);
    // Dates in the reader's local form, the UTC value on hover.
    for (const h of happened) {
      expect(h.text).toBe(localTime(h.iso, 'Europe/London'));
      expect(h.title).toBe(`${utcTitle(h.iso)} (UTC)`);
    }

    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true, timeout: STEP_TIMEOUT_MS });
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('names the output and the JSON Pointer where a stated answer differs from the one its proven entries give', async () => {
    // The entries stay intact (the badge still verifies): only the ledger's stated reading of them is altered.
    let removed: string | undefined;
    let removedAt = -1;
    await page.route(/\/cases\/[^/]+\/export$/, async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as any;
      const findings = body.accountability[0].chain.findings as Array<{ code: string }>;
      const at = findings.findIndex((f) => f.code === 'ACTION.OVERRIDDEN');
      removedAt = at;
      removed = findings.splice(at, 1)[0]!.code;
      const headers = { ...response.headers() };
      delete headers['content-length'];
      await route.fulfill({ status: response.status(), headers, body: JSON.stringify(body) });
    });
    try {
      await search('output', result.outputs.overridden);
      expect(removed).toBe('ACTION.OVERRIDDEN');
      expect(await badgeText()).toMatch(/^Verified against checkpoint \d+$/);
      const text = await page.textContent('#rederived');
      // The first member that differs is where the removed finding stood: the entries give it there.
      const pointer = `/accountability/0/chain/findings/${removedAt}/code`;
      expect(text).toMatch(
        new RegExp(
          `^Answer differs from the proven entries: output ${result.outputs.overridden} at ${pointer}: stated .+, recomputed "ACTION\\.OVERRIDDEN"$`,
        ),
      );
      expect(await page.getAttribute('#rederived', 'data-output-id')).toBe(result.outputs.overridden);
      expect(await page.getAttribute('#rederived', 'data-pointer')).toBe(pointer);
      expect(await page.getAttribute('#rederived', 'class')).toContain('unverified');
      expect(await page.getAttribute('#status', 'class')).toContain('error');
    } finally {
      await page.unroute(/\/cases\/[^/]+\/export$/);
    }
    // Unaltered, the same case re-derives again.
    await search('output', result.outputs.overridden);
    expect(await page.textContent('#rederived')).toMatch(/^Answer re-derived from \d+ proven entries$/);
    expect(pageErrors).toEqual([]);
  });

  it('says clearly that an output id is not in the ledger', async () => {
    await search('output', 'sw-ews-no-such-output');
    expect(await page.getAttribute('#status', 'class')).toContain('error');
    expect(await page.textContent('#status')).toMatch(/^No output "sw-ews-no-such-output" in the ledger: .*OUTPUT\.NOT_FOUND/);
    expect(await page.locator('#result *').count()).toBe(0);
    expect(await page.locator('#badge').count()).toBe(0);
    // The ledger refuses a case on an output it does not hold (404), which the browser logs: that
    // one refusal and nothing else.
    expect(consoleErrors).toEqual([expect.stringContaining('status of 404')]);
    consoleErrors.length = 0;
  });

  it('shows a rationale holding markup as text, and runs none of it', async () => {
    await search('output', xssOutputId);
    expect(await badgeText()).toMatch(/^Verified against checkpoint \d+$/);
    const acted = await partText('acted');
    expect(acted).toContain(HOSTILE);
    expect(await page.locator('#result img, #result b').count()).toBe(0);
    expect(await page.evaluate(() => typeof (globalThis as { __xss?: unknown }).__xss)).toBe('undefined');
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('refuses to say "verified" when the checkpoint is not signed by the key the investigator pinned', async () => {
    const served = await getJson('/log/public-key');
    const other = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!;
    const wrongKey = verifierKeyString(served.body.keyName, Buffer.from(other, 'base64url'));
    await page.fill('#pinned-key', wrongKey);
    await page.click('#token-form button[type="submit"]');
    try {
      await search('output', result.outputs.overridden);
      const badge = await badgeText();
      expect(badge).toMatch(/^NOT verified: the checkpoint carries no signature by key /);
      expect(badge).not.toMatch(/^Verified/);
      expect(await page.getAttribute('#badge', 'class')).toContain('unverified');

      // Pinning the right key verifies again, and the badge says the key was pinned.
      await page.fill('#pinned-key', served.body.verifierKey);
      await page.click('#token-form button[type="submit"]');
      await search('output', result.outputs.overridden);
      expect(await badgeText()).toMatch(/^Verified against checkpoint \d+$/);
      expect(await page.textContent('#badge-detail')).toContain('the key you pinned');
    } finally {
      await page.fill('#pinned-key', '');
      await page.click('#token-form button[type="submit"]');
    }
  });

  it('opens a case for an incident and shows its timeline, verified', async () => {
    await search('incident', incidentId);
    expect(await page.textContent('#incident-id')).toBe(incidentId);
    const caseId = await page.textContent('#case-id');
    expect(caseId).toBeTruthy();
    const events = await page.locator('table.timeline tbody tr td:nth-child(4)').allTextContents();
    expect(events).toEqual(
      expect.arrayContaining(['incident.reported', 'output.acted-on', 'deployment.approved', 'model.version.released']),
    );
    expect(await page.locator(`button.open-output[data-output-id="${result.outputs.overridden}"]`).count()).toBe(1);
    expect(await badgeText()).toMatch(/^Verified against checkpoint \d+$/);
    // The answers for the outputs the incident names are re-derived from the incident case's export.
    expect(await page.textContent('#rederived')).toMatch(/^Answer re-derived from \d+ proven entries$/);
    expect(Number(await page.getAttribute('#rederived', 'data-outputs'))).toBeGreaterThanOrEqual(1);
    // The timeline the ledger states is re-derived, line by line, from the export's proven entries.
    expect(await page.textContent('#timeline-rederived')).toMatch(/^Timeline re-derived from \d+ proven entries$/);
    expect(await page.locator('#case-timeline tr.differs').count()).toBe(0);

    // Searching the same incident again reuses the case.
    await search('incident', incidentId);
    expect(await page.textContent('#case-id')).toBe(caseId);
  });

  it("shows the case's safety recommendations and their state, re-derived in the browser, and a stated state the entries do not give as differing", async () => {
    await search('incident', incidentId);
    const caseId = (await page.textContent('#case-id'))!;
    const investigator = `Bearer ${await investigatorToken()}`;
    const post = async (path: string, authorization: string, body: unknown) => {
      const res = await fetch(`${ledgerUrl}${path}`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as any;
    };
    const recorded = await post(`/cases/${caseId}/recommendations`, investigator, {
      addressee: { party: 'vendor', organisationId: people.vendorSafety.organisationId },
      recommendation: 'Report sensitivity by skin tone and perfusion band in the next clinical evaluation.',
      dueBy: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      arisesFrom: { findingCodes: ['SCOPE.SITE_NOT_APPROVED'], deploymentId: result.deploymentId },
    });
    await post(`/cases/${caseId}/recommendations/${recorded.recommendationId}/responses`, `Bearer ${await tokenFor(people.vendorSafety)}`, {
      response: 'accepted',
      plan: 'CER-2026-07 rev 2 adds a subgroup analysis; due next quarter.',
    });
    // The ledger's own events reach its log through Kafka; the page proves them against a checkpoint covering them.
    const exported = await eventually(
      async () => (await fetch(`${ledgerUrl}/cases/${caseId}/export`, { headers: { authorization: investigator } })).json() as Promise<any>,
      (b) => b?.recommendations?.recommendations?.[0]?.status === 'accepted',
      30000,
      'the accepted recommendation in the export',
    );
    const highest = Math.max(...(exported.entries as Array<{ seq: number }>).map((e) => e.seq));
    await eventually(
      () => getJson('/checkpoints/latest'),
      (r) => r.status === 200 && r.body.treeSize > highest,
      30000,
      `a checkpoint covering entry ${highest}`,
    );

    await search('incident', incidentId);
    expect(await badgeText()).toMatch(/^Verified against checkpoint \d+$/);
    const row = page.locator(`#recommendations tr[data-recommendation-id="${recorded.recommendationId}"]`);
    expect(await row.getAttribute('data-status')).toBe('accepted');
    expect(await row.textContent()).toContain('Report sensitivity by skin tone');
    expect(await row.locator('.response[data-response="accepted"]').textContent()).toContain('CER-2026-07 rev 2');
    expect(await row.textContent()).toContain(`vendor ${people.vendorSafety.organisationId}`);
    expect(await page.textContent('#recommendations-rederived')).toMatch(/^Recommendations re-derived from \d+ proven entries$/);
    expect(await page.getAttribute('#recommendations-rederived', 'data-recommendations')).toBe('1');
    expect(await page.textContent('#status')).toContain('recommendations re-derived.');

    // An operator who states a state the entries do not give (here: completed) is caught by the page.
    await page.route('**/cases/*/export', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as any;
      body.recommendations.recommendations[0].status = 'completed';
      await route.fulfill({ response, json: body });
    });
    try {
      await search('incident', incidentId);
      expect(await badgeText()).toMatch(/^Verified against checkpoint \d+$/);
      expect(await page.getAttribute('#recommendations tr[data-recommendation-id]', 'data-status')).toBe('completed');
      expect(await page.textContent('#recommendations-rederived')).toBe(
        'Recommendations differ from the proven entries at /recommendations/0/status: stated "completed", recomputed "accepted"',
      );
      expect(await page.getAttribute('#recommendations-rederived', 'class')).toContain('unverified');
      expect(await page.textContent('#status')).toContain('recommendations NOT re-derived');
    } finally {
      await page.unroute('**/cases/*/export');
    }
  });

  it("shows the case's legal hold re-derived in the browser from its proven entries, and a stated hold the entries do not give as differing", async () => {
    await search('incident', incidentId);
    const caseId = (await page.textContent('#case-id'))!;
    // No hold yet: the export states none and the entries record none.
    expect(await page.getAttribute('#hold', 'data-hold')).toBe('none');
    expect(await page.textContent('#holds-rederived')).toMatch(/^Legal hold re-derived from \d+ proven entries$/);
    expect(await page.getAttribute('#holds-rederived', 'data-holds')).toBe('0');

    const investigator = `Bearer ${await investigatorToken()}`;
    const placed = await fetch(`${ledgerUrl}/cases/${caseId}/hold`, {
      method: 'POST',
      headers: { authorization: investigator, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'Inquest ref. CO-2026-441' }),
    });
    expect(placed.status).toBe(200);
    // The hold's own event reaches the log through Kafka; the page proves it against a checkpoint covering it.
    const exported = await eventually(
      async () => (await fetch(`${ledgerUrl}/cases/${caseId}/export`, { headers: { authorization: investigator } })).json() as Promise<any>,
      (b) =>
        (b?.entries as Array<{ headers: Record<string, string> }> | undefined)?.some(
          (e) => e.headers['ce_type'] === 'aal.case.hold-placed.v1',
        ) === true,
      30000,
      'the case.hold-placed entry in the export',
    );
    const highest = Math.max(...(exported.entries as Array<{ seq: number }>).map((e) => e.seq));
    await eventually(
      () => getJson('/checkpoints/latest'),
      (r) => r.status === 200 && r.body.treeSize > highest,
      30000,
      `a checkpoint covering entry ${highest}`,
    );

    await search('incident', incidentId);
    expect(await badgeText()).toMatch(/^Verified against checkpoint \d+$/);
    expect(await page.getAttribute('#hold', 'data-hold')).toBe('in-force');
    expect(await page.textContent('#hold')).toContain('Inquest ref. CO-2026-441');
    const row = page.locator('#holds tr[data-hold="in-force"]');
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('Inquest ref. CO-2026-441');
    expect(await row.textContent()).toContain(people.investigator.personId);
    const holdSeq = (exported.entries as Array<{ seq: number; headers: Record<string, string> }>).find(
      (e) => e.headers['ce_type'] === 'aal.case.hold-placed.v1',
    )!.seq;
    expect(await row.locator('a.seq').getAttribute('data-seq')).toBe(String(holdSeq));
    expect(await page.textContent('#holds-rederived')).toMatch(/^Legal hold re-derived from \d+ proven entries$/);
    expect(await page.getAttribute('#holds-rederived', 'data-holds')).toBe('1');
    expect(await page.textContent('#status')).toContain('legal hold re-derived');

    // An operator who states a hold the entries do not give (here: another reason; then none at all) is caught by the page.
    for (const [change, pointer] of [
      [(hold: any) => ({ ...hold, reason: 'Routine review.' }), '/case/hold/reason'],
      [() => undefined, '/case/hold'],
    ] as const) {
      await page.route('**/cases/*/export', async (route) => {
        const response = await route.fetch();
        const body = (await response.json()) as any;
        body.case.hold = change(body.case.hold);
        await route.fulfill({ response, json: body });
      });
      try {
        await search('incident', incidentId);
        expect(await badgeText()).toMatch(/^Verified against checkpoint \d+$/);
        expect(await page.getAttribute('#holds-rederived', 'data-pointer')).toBe(pointer);
        expect(await page.textContent('#holds-rederived')).toMatch(
          new RegExp(`^Legal hold differs from the proven entries at ${pointer}: stated `),
        );
        expect(await page.getAttribute('#holds-rederived', 'class')).toContain('unverified');
        expect(await page.textContent('#status')).toContain('legal hold NOT re-derived');
        // What the entries record is still shown, beside the stated hold.
        expect(await page.locator('#holds tr[data-hold="in-force"]').count()).toBe(1);
      } finally {
        await page.unroute('**/cases/*/export');
      }
    }
  });

  it("shows the demo's issue #14 story: the referred output outside the approved ward, and the busy month's deployment findings", async () => {
    const { findings } = await waitForOversight(ledgerUrl, result, tokenFor);
    await search('incident', incidentId);
    await search('output', result.outputs.overridden);
    expect(await page.textContent('.finding[data-code="SCOPE.SITE_NOT_APPROVED"]')).toContain('ward-7b');

    // The address the demo prints, opened through the incident's case this tab opened.
    const { from, to } = result.month;
    await page.goto(`${ledgerUrl}/investigate#/deployments/${result.deploymentId}?from=${from}&to=${to}&bucket=week`);
    await page.waitForSelector(`#period-from[value="${from}"]`, { timeout: STEP_TIMEOUT_MS });
    await page.waitForSelector('#search:not([disabled])', { timeout: STEP_TIMEOUT_MS });
    await page.waitForSelector('#chart-review-time svg', { timeout: STEP_TIMEOUT_MS });
    const codes = await page.locator('#oversight-findings .finding').evaluateAll((fs) => fs.map((f) => f.getAttribute('data-code')));
    expect(codes).toEqual(findings.map((f) => f.code));
    expect(codes).toEqual(expect.arrayContaining(['OVERSIGHT.REVIEW_BELOW_MINIMUM_SHARE', 'OVERSIGHT.REVIEW_FALLING_AS_VOLUME_RISES']));
    expect(await page.textContent('#oversight-findings')).toContain(findings[0]!.title);
  });

  it('shows a timeline line the ledger altered as differing from the proven entries, naming the line', async () => {
    // An operator who edits what the timeline API answers (here: who acted on the output) is caught by the page.
    let altered: { seq: number; summary: string } | null = null;
    await page.route('**/cases/*/timeline*', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { entries: Array<{ seq: number; type: string; summary: string }> };
      const line = body.entries.find((e) => e.type === 'output.acted-on')!;
      line.summary = `${line.summary} (on the consultant's instruction)`;
      altered = { seq: line.seq, summary: line.summary };
      await route.fulfill({ response, json: body });
    });
    try {
      await search('incident', incidentId);
      expect(altered).not.toBeNull();
      const seq = altered!.seq;
      // The entries themselves are still proven; the statement about them is what differs.
      expect(await badgeText()).toMatch(/^Verified against checkpoint \d+$/);
      const check = await page.textContent('#timeline-rederived');
      expect(check).toMatch(
        new RegExp(`^Timeline differs from the proven entries: line \\d+ \\(entry #${seq}\\) at /\\d+/summary: stated `),
      );
      expect(check).toContain("on the consultant's instruction");
      expect(await page.getAttribute('#timeline-rederived', 'class')).toContain('unverified');
      expect(await page.getAttribute('#timeline-rederived', 'data-seq')).toBe(String(seq));
      expect(await page.locator(`#case-timeline tr.differs[data-seq="${seq}"]`).count()).toBe(1);
      expect(await page.textContent('#status')).toContain('timeline NOT re-derived');
    } finally {
      await page.unroute('**/cases/*/timeline*');
    }
  });
});
