import { OVERSIGHT_FINDINGS } from '@aal/accountability';
import type { CloudEvent, DeploymentScope } from '@aal/contracts';
import { actors, eventually, makeEvent, tokenFor } from '@aal/testing';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { deploymentChain, weekOfOutputs } from '../oversight/testing/oversight-scenario';
import { TestLedger } from '../testing/test-ledger';
import { localTime, utcTitle } from './assets/browser/view-words';

/**
 * The deployment page of the investigator view (issue #14) in Debian's Chromium: four ISO weeks of
 * a deployment go into the ledger through its intake (Kafka), an investigator opens one output,
 * follows its deployment link, and reads the findings, the charts' figures and the scope from the
 * page itself (data tables, SVG titles, text), not from the API. Writes the screenshots the docs
 * show (docs/images/deployment-oversight.png and deployment-oversight-print.png).
 */
const CHROMIUM = '/usr/bin/chromium';
const STEP_TIMEOUT_MS = 30_000;
const TIME_ZONE = 'Europe/Berlin';
const IMAGES = join(__dirname, '..', '..', '..', '..', 'docs', 'images');
const investigator = { organisationId: 'st-swithins', personId: 'psn_sw_invest0001', role: 'investigator' };
const admin = { organisationId: 'st-swithins', personId: 'psn_empadmin0001', role: 'employer-admin' };

/** Per week: outputs, nurses, review seconds (every output the same), overridden (the first k), and outputs on ward 9C. */
const WEEKS = [
  { n: 30, nurses: 5, seconds: 90, overridden: 0, ward9c: 0 },
  { n: 40, nurses: 5, seconds: 80, overridden: 4, ward9c: 0 },
  { n: 50, nurses: 5, seconds: 50, overridden: 10, ward9c: 0 },
  { n: 60, nurses: 5, seconds: 40, overridden: 15, ward9c: 6 },
];

/**
 * The week's outputs with its first `overridden` actions overridden and its last `ward9c` outputs on
 * ward 9C in the respiratory service (both outside the request); the others in Acute medicine.
 */
function week(ids: ReturnType<typeof deploymentChain>['ids'], w: number) {
  const spec = WEEKS[w]!;
  const { outputIds, events } = weekOfOutputs(ids, w, spec.n, spec.nurses, spec.seconds);
  const onWard9c = new Set(outputIds.slice(spec.n - spec.ward9c));
  const overridden = new Set(outputIds.slice(0, spec.overridden));
  const changed = events.map((e) => {
    const data = e.data as { outputId: string };
    if (e.type.startsWith('aal.output.generated.'))
      return {
        ...e,
        data: onWard9c.has(data.outputId) ? { ...data, site: 'ward-9c', service: 'Respiratory' } : { ...data, service: 'Acute medicine' },
      };
    if (e.type === 'aal.output.acted-on.v1' && overridden.has(data.outputId))
      return { ...e, data: { ...data, action: 'overridden', rationale: 'Clinical picture does not fit the score.' } };
    return e;
  });
  return { outputIds, events: changed as CloudEvent<unknown>[] };
}

describe('investigator deployment page (Chromium)', () => {
  let ledger: TestLedger;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let caseId: string;
  let linkedHash: string;
  const chain = deploymentChain('advisory');
  const weeks = WEEKS.map((_, w) => week(chain.ids, w));
  const events = [...chain.events, ...weeks.flatMap((w) => w.events)];
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];

  const tableOf = (chart: string) =>
    page
      .locator(`table.chart-data[data-chart="${chart}"] tbody tr`)
      .evaluateAll((rows) =>
        rows.map((r) => Array.from(r.children as ArrayLike<{ textContent: string | null }>, (c) => (c.textContent ?? '').trim())),
      );
  const titlesOf = (chart: string) =>
    page.locator(`#chart-${chart} svg title`).evaluateAll((ts) => ts.map((t) => (t.textContent ?? '').trim()));

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is missing at ${CHROMIUM}: this browser test needs Debian's chromium package. Install it with \`apt-get update && apt-get install -y chromium\` (as root; .ci/run does this).`,
      );
    }
    ledger = await TestLedger.start('deployment-page');
    await ledger.publish(events);
    await eventually(
      () =>
        ledger.call('GET', `/deployments/${chain.ids.deploymentId}/oversight?from=2026-10-05&to=2026-11-01`, { caller: admin as never }),
      (r) => r.status === 200 && r.body.knownAt.seq >= events.length - 1,
      60000,
      'the four weeks projected',
    );
    await ledger.checkpoint((size) => size >= events.length, 'a checkpoint of the four weeks');

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout: STEP_TIMEOUT_MS,
      args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
    });
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: TIME_ZONE, locale: 'en-GB' });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    expect((await page.goto(`${ledger.baseUrl}/investigate`))?.status()).toBe(200);
    await page.fill('#token', await tokenFor(investigator));
    await page.click('#token-form button[type="submit"]');
    await page.waitForSelector(`#token-state:has-text("${investigator.personId}")`);

    // An output of the last week, then its deployment link.
    await page.selectOption('#kind', 'output');
    await page.fill('#query', weeks[3]!.outputIds[0]!);
    await page.click('#search');
    await page.waitForSelector('#search:not([disabled])');
    caseId = (await page.textContent('#case-id'))!;
    expect(caseId).toBeTruthy();
    const link = await page.getAttribute('#deployment-link', 'href');
    // The link asks for the weeks up to the output's day.
    expect(link).toBe(`#/deployments/${chain.ids.deploymentId}?case=${caseId}&to=2026-10-26`);
    await page.click('#deployment-link');
    await page.waitForSelector('#chart-review-time svg');
    await page.waitForSelector('#search:not([disabled])');
    linkedHash = new URL(page.url()).hash;
    // The four weeks of the scenario, through the page's own period form.
    await page.fill('#period-from', '2026-10-05');
    await page.fill('#period-to', '2026-11-01');
    await page.click('#period-form button[type="submit"]');
    await page.waitForSelector('#period-from[value="2026-10-05"]');
    await page.waitForSelector('#search:not([disabled])');
  });

  afterAll(async () => {
    await browser?.close();
    await ledger?.stop();
  });

  it('is reached from the output by its deployment link, at an address naming the deployment and the case', async () => {
    expect(await page.textContent('#deployment-id')).toBe(chain.ids.deploymentId);
    expect(await page.textContent('#case-id')).toBe(caseId);
    expect(linkedHash).toBe(`#/deployments/${chain.ids.deploymentId}?case=${caseId}&to=2026-10-26`);
    expect(new URL(page.url()).hash).toBe(
      `#/deployments/${chain.ids.deploymentId}?case=${caseId}&from=2026-10-05&to=2026-11-01&bucket=week`,
    );
  });

  it('shows the findings first, in the words of their definitions, each with its evidence one click away', async () => {
    const headings = await page.locator('#result > h2').allTextContents();
    expect(headings[1]).toBe('Findings');
    expect(headings.indexOf('Findings')).toBeLessThan(headings.indexOf('Time to check'));
    const codes = await page.locator('#oversight-findings .finding').evaluateAll((fs) => fs.map((f) => f.getAttribute('data-code')));
    expect(codes).toEqual([
      'OVERSIGHT.REVIEW_BELOW_MINIMUM_SHARE',
      'OVERSIGHT.REVIEW_BELOW_MINIMUM_SHARE',
      'OVERSIGHT.REVIEW_FALLING_AS_VOLUME_RISES',
    ]);
    const trend = page.locator('#oversight-findings .finding').nth(2);
    expect(await trend.locator('h3').textContent()).toBe(OVERSIGHT_FINDINGS['OVERSIGHT.REVIEW_FALLING_AS_VOLUME_RISES'].title);
    expect(await trend.locator('.statement').textContent()).toBe(
      'From 2026-10-05 to 2026-11-01 (4 buckets), the median review time went from 90 s to 40 s while outputs acted on per active professional went from 6 to 12.',
    );
    // The definition's text, its thresholds given their default values.
    const meaning = OVERSIGHT_FINDINGS['OVERSIGHT.REVIEW_FALLING_AS_VOLUME_RISES'].description
      .replace('`trendWindow`', '4')
      .replace('`minimumActions`', '20')
      .replace('`trendReviewFall`', '20 %')
      .replace('`trendVolumeRise`', '20 %');
    expect(await trend.locator('.meaning').textContent()).toBe(`What this finding means: ${meaning}`);
    expect(await trend.locator('.evidence-query').isVisible()).toBe(false);

    const below = page.locator('#oversight-findings .finding').first();
    await below.locator('summary').click();
    expect(await below.locator('.evidence-query').isVisible()).toBe(true);
    expect(await below.locator('summary').textContent()).toBe('Evidence: Mon 19 Oct 2026 to Sun 25 Oct 2026');
    const figures = await below.locator('dl.figures').textContent();
    expect(figures).toContain('share reviewed for less than the minimum100 %');
    expect(figures).toContain('minimum review time (s)60');
    expect(figures).toContain('actions50');
    expect(await below.locator('.evidence-query').textContent()).toMatch(
      new RegExp(
        `^/cases/${caseId}/deployments/${chain.ids.deploymentId}/oversight\\?from=2026-10-19&to=2026-10-25&bucket=week&knownAt=\\d+$`,
      ),
    );
    await below.locator('button.rerun-query').click();
    await below.locator('.rerun[data-same]').waitFor();
    expect(await below.locator('.rerun').getAttribute('data-same')).toBe('true');
    expect(await below.locator('table.buckets tbody tr td:first-child').allTextContents()).toEqual(['Mon 19 Oct 2026 to Sun 25 Oct 2026']);
    await below.locator('button.list-entries').click();
    await below.locator('dl.entries-list').waitFor();
    expect(await below.locator('dl.entries-list dt').allTextContents()).toEqual([
      'outputs (50)',
      'actions (50)',
      'incidents (0)',
      'policies (1)',
      'training (1)',
    ]);
    const proof = await below.locator('dl.entries-list a.seq').first().getAttribute('href');
    expect(proof).toMatch(/^\/entries\/\d+\/inclusion-proof\?treeSize=\d+$/);
    expect(await below.locator('.evidence-details > p a.seq').count()).toBe(1);
  });

  it('draws review time against the minimum, outputs per professional and the shares, with the figures readable from the page', async () => {
    const periods = [
      'Mon 5 Oct 2026 to Sun 11 Oct 2026',
      'Mon 12 Oct 2026 to Sun 18 Oct 2026',
      'Mon 19 Oct 2026 to Sun 25 Oct 2026',
      'Mon 26 Oct 2026 to Sun 1 Nov 2026',
    ];
    expect(await tableOf('review-time')).toEqual(
      WEEKS.map((w, i) => [periods[i], String(w.seconds), String(w.seconds), '60', String(w.n)]),
    );
    expect(await tableOf('volume')).toEqual(WEEKS.map((w, i) => [periods[i], String(w.n / w.nurses), String(w.nurses), String(w.n)]));
    expect(await tableOf('shares')).toEqual(
      WEEKS.map((w, i) => [periods[i], String(100 - (w.overridden / w.n) * 100), String((w.overridden / w.n) * 100), String(w.n)]),
    );
    // The marks carry the same figures: one titled dot or bar per week and series, the minimum as a rule per week.
    const review = await titlesOf('review-time');
    expect(review.filter((t) => t.includes('median'))).toEqual(WEEKS.map((w, i) => `${periods[i]}: median ${w.seconds} s`));
    expect(review.filter((t) => t.includes('policy minimum'))).toEqual(periods.map((p) => `${p}: policy minimum 60 s`));
    expect(review.filter((t) => t.includes('90th'))).toHaveLength(4);
    // The dots are joined: one line per series.
    expect(await page.locator('#chart-review-time svg g[aria-label="line"][aria-description="median"] path').count()).toBe(1);
    expect(await page.locator('#chart-shares svg g[aria-label="line"][aria-description="overridden"] path').count()).toBe(1);
    expect(await titlesOf('volume')).toEqual(
      WEEKS.map((w, i) => `${periods[i]}: ${w.n / w.nurses} outputs per active professional (5 active)`),
    );
    expect((await titlesOf('shares')).filter((t) => t.endsWith('overridden'))).toEqual([
      `${periods[0]}: 0 % overridden`,
      `${periods[1]}: 10 % overridden`,
      `${periods[2]}: 20 % overridden`,
      `${periods[3]}: 25 % overridden`,
    ]);
    for (const chart of ['review-time', 'volume', 'shares']) {
      expect(await page.locator(`#chart-${chart} figcaption`).textContent()).toBeTruthy();
      expect(await page.getAttribute(`#chart-${chart} svg`, 'aria-describedby')).toBe(`caption-${chart}`);
    }
    // Visually hidden on screen, there for a screen reader (and shown in print).
    expect(await page.locator('#chart-volume .chart-data-box').boundingBox()).toMatchObject({ width: 1, height: 1 });
  });

  it('sets the scope as approved beside where the tool was used, marking the ward and the service the approved scope does not name', async () => {
    // The factory's approval is deployment.approved v2: its machine-readable scope is what was requested, adults, advisory use.
    // The page reads it from the case's scope route, as of the end of the period.
    expect(await page.getAttribute('#approved-scope', 'data-source')).toBe('approval');
    expect(await page.getAttribute('.scope-when time', 'datetime')).toBe('2026-11-01T23:59:59.999Z');
    expect(await page.textContent('#approved-scope')).toContain('sitesward-7a, ward-7bservicesAcute medicinerolesstaff-nurse');
    expect(await page.locator('#requested-setting').count()).toBe(0);
    expect(await page.locator('#approval-terms ul.conditions li').allTextContents()).toEqual(['Two-week shadow period']);
    expect(await page.textContent('#approval-terms')).toContain('psn_cso000000001');
    const sites = await page
      .locator('#used-sites li')
      .evaluateAll((ls) =>
        ls.map((l) => ({ name: l.getAttribute('data-name'), outside: l.classList.contains('outside'), text: l.textContent })),
      );
    expect(sites).toEqual([
      { name: 'ward-7a', outside: false, text: 'ward-7a \u2014 174 outputs, 174 actions' },
      { name: 'ward-9c', outside: true, text: 'ward-9c \u2014 6 outputs, 6 actions not in the approved scope' },
    ]);
    const services = await page
      .locator('#used-services li')
      .evaluateAll((ls) =>
        ls.map((l) => ({ name: l.getAttribute('data-name'), outside: l.classList.contains('outside'), text: l.textContent })),
      );
    expect(services).toEqual([
      { name: 'Acute medicine', outside: false, text: 'Acute medicine \u2014 174 outputs, 174 actions' },
      { name: 'Respiratory', outside: true, text: 'Respiratory \u2014 6 outputs, 6 actions not in the approved scope' },
    ]);
    expect(await page.locator('#service-not-stated').count()).toBe(0);
    expect(await page.locator('#used-roles li').allTextContents()).toEqual(['staff-nurse \u2014 180 actions by 5 professionals']);
    expect(await page.locator('#scope-changes').count()).toBe(0);
  });

  it('writes dates in the reader’s local time, the UTC value on hover', async () => {
    const approved = page.locator('#approval-terms time');
    const iso = (await approved.getAttribute('datetime'))!;
    expect(await approved.textContent()).toBe(localTime(iso, TIME_ZONE));
    expect(await approved.textContent()).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} 2026, \d{2}:\d{2}$/);
    expect(await approved.getAttribute('title')).toBe(`${utcTitle(iso)} (UTC)`);
    // Berlin is ahead of UTC: the local hour is not the UTC one.
    expect((await approved.textContent())!.slice(-5)).not.toBe(new Date(iso).toISOString().slice(11, 16));
    expect(await page.locator('.clocks time').count()).toBeGreaterThanOrEqual(1);
  });

  it('saves the screenshots the docs show, on screen and in print, with nothing refused by the page policy', async () => {
    mkdirSync(IMAGES, { recursive: true });
    await page
      .locator('#oversight-findings details')
      .first()
      .evaluate((d) => {
        (d as unknown as { open: boolean }).open = true;
      });
    await page.screenshot({ path: join(IMAGES, 'deployment-oversight.png'), fullPage: true });
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 794, height: 1123 });
    // In print the data tables are shown and each chart fits the A4 text width.
    expect(await page.locator('table.chart-data[data-chart="volume"]').isVisible()).toBe(true);
    expect((await page.locator('#chart-volume .chart-data-box').boundingBox())!.height).toBeGreaterThan(50);
    const chart = await page.locator('#chart-review-time svg').boundingBox();
    expect(chart!.width).toBeLessThanOrEqual(794);
    await page.screenshot({ path: join(IMAGES, 'deployment-oversight-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('opens by its address alone, through the case this tab opened', async () => {
    await page.goto(`${ledger.baseUrl}/investigate#/deployments/${chain.ids.deploymentId}?from=2026-10-19&to=2026-11-01`);
    await page.waitForSelector('#period-from[value="2026-10-19"]');
    await page.waitForSelector('#search:not([disabled])');
    expect(await page.textContent('#case-id')).toBe(caseId);
    expect((await tableOf('volume')).map((r) => r[1])).toEqual(['10', '12']);
    expect(pageErrors).toEqual([]);
  });

  it('sends the token only to an oversight route of this ledger when re-running a finding', async () => {
    await page.route(/\/cases\/[^/]+\/deployments\/[^/]+\/oversight\?/, async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { findings: Array<{ evidence: { query: string } }> };
      body.findings[0]!.evidence.query = 'https://elsewhere.example/steal?token=yes';
      await route.fulfill({ response, json: body });
    });
    try {
      await page.goto(`${ledger.baseUrl}/investigate#/deployments/${chain.ids.deploymentId}?case=${caseId}&from=2026-10-12&to=2026-11-01`);
      await page.waitForSelector('#period-from[value="2026-10-12"]');
      const first = page.locator('#oversight-findings .finding').first();
      await first.locator('summary').click();
      const asked: string[] = [];
      page.on('request', (r) => asked.push(r.url()));
      await first.locator('button.rerun-query').click();
      await first.locator('.rerun-out .mark').waitFor();
      expect(await first.locator('.rerun-out').textContent()).toBe(
        'Re-running the query: the ledger gave no oversight route (https://elsewhere.example/steal?token=yes)',
      );
      expect(asked.filter((u) => !u.startsWith(ledger.baseUrl))).toEqual([]);
    } finally {
      await page.unroute(/\/cases\/[^/]+\/deployments\/[^/]+\/oversight\?/);
    }
  });

  it('shows a scope change in force at the end of the period, back-dated, marking use outside it', async () => {
    // The clinical safety officer narrows the scope to ward 7A now, back-dated into the last week.
    const narrowed: DeploymentScope = {
      sites: ['ward-7a'],
      services: ['Acute medicine'],
      roles: ['staff-nurse'],
      population: { ageBands: ['18-39', '40-64', '65-79', '80-plus'], excludedContraindicationCodes: ['snomed:77386006'] },
      uses: ['advisory'],
    };
    const change = makeEvent('deployment.scope-changed', {
      deploymentId: chain.ids.deploymentId,
      employerId: 'st-swithins',
      scope: narrowed,
      reviewDate: '2027-04-01',
      reason: 'Ward 7A only until the first review.',
      effectiveAt: '2026-10-28T00:00:00.000Z',
      actor: actors.safetyOfficer,
    });
    await ledger.publish([change]);
    await eventually(
      () => ledger.call('GET', `/deployments/${chain.ids.deploymentId}/scope`, { caller: admin as never }),
      (r) => r.status === 200 && r.body.scopeChanges.length === 1,
      60000,
      'the scope change known',
    );
    await page.goto(`${ledger.baseUrl}/investigate#/deployments/${chain.ids.deploymentId}?case=${caseId}&from=2026-10-26&to=2026-11-01`);
    await page.waitForSelector('#period-from[value="2026-10-26"]');
    await page.waitForSelector('#search:not([disabled])');
    expect(await page.getAttribute('#approved-scope', 'data-source')).toBe('scope-change');
    expect(await page.locator('#approved-scope dt').allTextContents()).toEqual([
      'sites',
      'services',
      'roles',
      'age bands',
      'excluded contraindications (codes)',
      'uses',
    ]);
    expect(await page.locator('#approved-scope dd').allTextContents()).toEqual([
      'ward-7a',
      'Acute medicine',
      'staff-nurse',
      '18-39, 40-64, 65-79, 80-plus',
      'snomed:77386006',
      'advisory',
    ]);
    expect(await page.textContent('.scope-source')).toContain('Ward 7A only until the first review.');
    expect(await page.locator('.scope-source .mark').allTextContents()).toEqual(['back-dated']);
    expect(await page.locator('#scope-changes li').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-in-effect')))).toEqual(['true']);
    expect(await page.textContent('#approval-terms')).toContain('2027-04-01');
    expect(await page.locator('#requested-setting').count()).toBe(0);
    expect(await page.locator('#used-sites li.outside').allTextContents()).toEqual([
      'ward-9c \u2014 6 outputs, 6 actions not in the approved scope',
    ]);
    expect(await page.locator('#used-services li.outside').allTextContents()).toEqual([
      'Respiratory \u2014 6 outputs, 6 actions not in the approved scope',
    ]);
  });

  it("shows the employer's own staff, outside any case, the scope as approved beside where the tool was used", async () => {
    await page.fill('#token', await tokenFor(admin));
    await page.click('#token-form button[type="submit"]');
    await page.waitForSelector(`#token-state:has-text("${admin.personId}")`);
    const asked: string[] = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname));
    await page.goto(`${ledger.baseUrl}/investigate#/deployments/${chain.ids.deploymentId}?from=2026-10-05&to=2026-11-01&bucket=week`);
    await page.waitForSelector('#period-from[value="2026-10-05"]');
    await page.waitForSelector('#search:not([disabled])');
    expect(await page.locator('#case-id').count()).toBe(0);
    expect(asked).toContain(`/deployments/${chain.ids.deploymentId}/scope`);
    expect(asked.filter((p) => p.startsWith('/cases/'))).toEqual([]);
    expect(await page.getAttribute('#approved-scope', 'data-source')).toBe('scope-change');
    expect(await page.locator('#approved-scope dd').first().textContent()).toBe('ward-7a');
    expect(await page.locator('#used-sites li').evaluateAll((ls) => ls.map((l) => [l.getAttribute('data-name'), l.className]))).toEqual([
      ['ward-7a', ''],
      ['ward-9c', 'outside'],
    ]);
    expect(await page.locator('#used-services li').evaluateAll((ls) => ls.map((l) => [l.getAttribute('data-name'), l.className]))).toEqual([
      ['Acute medicine', ''],
      ['Respiratory', 'outside'],
    ]);
    expect(await page.locator('.scope-later').count()).toBe(0);
    // A period that ended before the approval was made: the approval as it stands since, said to be later.
    await page.goto(`${ledger.baseUrl}/investigate#/deployments/${chain.ids.deploymentId}?from=2026-09-07&to=2026-09-20&bucket=week`);
    await page.waitForSelector('#period-from[value="2026-09-07"]');
    await page.waitForSelector('#search:not([disabled])');
    expect(await page.textContent('.scope-later')).toBe(
      'No approval had been made by the end of this period: this is the approval as it stands since, and the period\u2019s outputs preceded it.',
    );
    expect(await page.getAttribute('#approved-scope', 'data-source')).toBe('scope-change');
    expect(pageErrors).toEqual([]);
  });
});
