/**
 * The deployment page's oversight charts (issue #14): review time against the policy minimum,
 * outputs per active professional, and the shares accepted unchanged and overridden, per bucket of
 * GET /deployments/{id}/oversight. Each chart is defined once here: its caption and legend in
 * words, the columns of the data table the page prints beside it, and its Observable Plot marks
 * (SVG, each mark titled with its figure so the numbers can be read from the page). Bundled by
 * scripts/bundle-web.js into /investigate/view.js (the global `AalView`): no CDN, no eval.
 */
import * as Plot from '@observablehq/plot';
import { fieldWords, utcDayText } from './view-words';

/** A bucket as the oversight answer serves it (the fields the charts read). */
export interface ChartBucket {
  readonly start: string;
  readonly end: string;
  readonly actions: number;
  readonly activeProfessionals: number;
  readonly outputsPerProfessional: number | null;
  readonly reviewSeconds: { readonly p50: number | null; readonly p90: number | null };
  readonly minimumReviewSeconds: number | null;
  readonly shareAcceptedUnchanged: number | null;
  readonly shareOverridden: number | null;
}

/** One bucket's row: its period in words and the figures the charts plot (shares in per cent). */
export interface ChartRow {
  readonly start: string;
  readonly end: string;
  readonly period: string;
  readonly actions: number;
  readonly activeProfessionals: number;
  readonly outputsPerProfessional: number | null;
  readonly p50: number | null;
  readonly p90: number | null;
  readonly minimum: number | null;
  readonly acceptedPercent: number | null;
  readonly overriddenPercent: number | null;
}

const percent = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 10);

/** The period of a bucket in words: "Mon 5 Oct 2026" for a day, "Mon 5 Oct 2026 to Sun 11 Oct 2026" for longer. */
export function periodText(start: string, end: string): string {
  const last = new Date(Date.parse(end) - 86_400_000).toISOString();
  const first = utcDayText(start);
  const final = utcDayText(last);
  return first === final ? first : `${first} to ${final}`;
}

export function chartRows(buckets: readonly ChartBucket[]): ChartRow[] {
  return buckets.map((b) => ({
    start: b.start,
    end: b.end,
    period: periodText(b.start, b.end),
    actions: b.actions,
    activeProfessionals: b.activeProfessionals,
    outputsPerProfessional: b.outputsPerProfessional,
    p50: b.reviewSeconds.p50,
    p90: b.reviewSeconds.p90,
    minimum: b.minimumReviewSeconds,
    acceptedPercent: percent(b.shareAcceptedUnchanged),
    overriddenPercent: percent(b.shareOverridden),
  }));
}

/** A column of a chart's data table: the row's figure under a header in words. */
export interface ChartColumn {
  readonly key: keyof ChartRow;
  readonly header: string;
}

export interface ChartDefinition {
  readonly id: 'review-time' | 'volume' | 'shares';
  readonly title: string;
  /** What the chart shows, its legend in words included (the page's figcaption). */
  readonly caption: string;
  readonly columns: readonly ChartColumn[];
}

const PERIOD: ChartColumn = { key: 'period', header: 'period (UTC days)' };

export const OVERSIGHT_CHARTS: readonly ChartDefinition[] = [
  {
    id: 'review-time',
    title: 'Review time against the policy minimum',
    caption:
      'Recorded review time per period, in seconds. Solid line and filled dots: the median (p50); dashed line and open dots: the 90th percentile (p90); red horizontal bars: the minimum review time of the usage policy in force. Dots below the red bar are periods in which half (or a tenth) of the reviews were shorter than the policy asks.',
    columns: [
      PERIOD,
      { key: 'p50', header: fieldWords('reviewSecondsP50') },
      { key: 'p90', header: fieldWords('reviewSecondsP90') },
      { key: 'minimum', header: fieldWords('minimumReviewSeconds') },
      { key: 'actions', header: 'reviews recorded' },
    ],
  },
  {
    id: 'volume',
    title: 'Outputs per active professional',
    caption:
      'Outputs acted on per active professional in each period (bars), with the number of professionals who acted on an output written in the table. Rising bars with falling review times are the pattern that leaves no time to check.',
    columns: [
      PERIOD,
      { key: 'outputsPerProfessional', header: fieldWords('outputsPerProfessional') },
      { key: 'activeProfessionals', header: fieldWords('activeProfessionals') },
      { key: 'actions', header: 'outputs acted on' },
    ],
  },
  {
    id: 'shares',
    title: 'Accepted unchanged and overridden, over time',
    caption:
      'Share of the recorded actions in each period, in per cent. Solid line and filled dots: accepted unchanged; dashed line and open squares: overridden.',
    columns: [
      PERIOD,
      { key: 'acceptedPercent', header: `${fieldWords('shareAcceptedUnchanged')} (%)` },
      { key: 'overriddenPercent', header: `${fieldWords('shareOverridden')} (%)` },
      { key: 'actions', header: 'actions recorded' },
    ],
  },
];

/** Dark enough to print in grey scale; the minimum in red, as the caption says. */
const INK = '#1d232b';
const MINIMUM = '#b3261e';
const BARS = '#5b7db1';

const mid = (r: ChartRow) => new Date((Date.parse(r.start) + Date.parse(r.end)) / 2);
const startOf = (r: ChartRow) => new Date(r.start);
const endOf = (r: ChartRow) => new Date(r.end);
const has = (key: keyof ChartRow) => (r: ChartRow) => r[key] !== null;

/** The node Plot returns, as far as this module touches it. */
interface PlotNode {
  querySelectorAll(selector: string): ArrayLike<{ remove(): void }>;
  setAttribute(name: string, value: string): void;
}

/**
 * The chart `id` of `rows` as an SVG element, `width` pixels wide (it scales down to fit). Plot's
 * own <style> element is removed: the page's Content-Security-Policy admits only its one
 * stylesheet, which carries the same rules (display, max-width, white-space).
 */
export function renderChart(id: ChartDefinition['id'], rows: readonly ChartRow[], width = 680): unknown {
  const definition = OVERSIGHT_CHARTS.find((c) => c.id === id);
  if (!definition) throw new Error(`no oversight chart "${id}"`);
  const x = { type: 'utc' as const, label: null, domain: rows.length ? [startOf(rows[0]!), endOf(rows[rows.length - 1]!)] : undefined };
  const common = { width, height: 240, marginLeft: 56, marginRight: 16, style: { background: 'white', color: INK }, x };
  let marks: Plot.Markish[];
  let y: Plot.ScaleOptions;
  switch (id) {
    case 'review-time':
      y = { label: 'seconds', grid: true, zero: true };
      marks = [
        Plot.ruleY(rows.filter(has('minimum')), {
          x1: startOf,
          x2: endOf,
          y: 'minimum',
          stroke: MINIMUM,
          strokeWidth: 3,
          title: (r: ChartRow) => `${r.period}: policy minimum ${r.minimum} s`,
          ariaDescription: 'policy minimum',
        }),
        Plot.lineY(rows, { x: mid, y: 'p90', stroke: INK, strokeDasharray: '6,4', ariaDescription: '90th percentile' }),
        Plot.dot(rows.filter(has('p90')), {
          x: mid,
          y: 'p90',
          stroke: INK,
          fill: 'white',
          r: 4,
          title: (r: ChartRow) => `${r.period}: 90th percentile ${r.p90} s`,
          ariaDescription: '90th percentile',
        }),
        Plot.lineY(rows, { x: mid, y: 'p50', stroke: INK, strokeWidth: 2, ariaDescription: 'median' }),
        Plot.dot(rows.filter(has('p50')), {
          x: mid,
          y: 'p50',
          fill: INK,
          r: 4,
          title: (r: ChartRow) => `${r.period}: median ${r.p50} s`,
          ariaDescription: 'median',
        }),
      ];
      break;
    case 'volume':
      y = { label: 'outputs per professional', grid: true, zero: true };
      marks = [
        Plot.rectY(rows.filter(has('outputsPerProfessional')), {
          x1: startOf,
          x2: endOf,
          y: 'outputsPerProfessional',
          inset: 3,
          fill: BARS,
          title: (r: ChartRow) =>
            `${r.period}: ${r.outputsPerProfessional} outputs per active professional (${r.activeProfessionals} active)`,
          ariaDescription: 'outputs per active professional',
        }),
        Plot.ruleY([0], { stroke: INK }),
      ];
      break;
    case 'shares':
      y = { label: '% of actions', grid: true, domain: [0, 100] };
      marks = [
        Plot.lineY(rows, { x: mid, y: 'acceptedPercent', stroke: INK, strokeWidth: 2, ariaDescription: 'accepted unchanged' }),
        Plot.dot(rows.filter(has('acceptedPercent')), {
          x: mid,
          y: 'acceptedPercent',
          fill: INK,
          r: 4,
          title: (r: ChartRow) => `${r.period}: ${r.acceptedPercent} % accepted unchanged`,
          ariaDescription: 'accepted unchanged',
        }),
        Plot.lineY(rows, { x: mid, y: 'overriddenPercent', stroke: INK, strokeDasharray: '6,4', ariaDescription: 'overridden' }),
        Plot.dot(rows.filter(has('overriddenPercent')), {
          x: mid,
          y: 'overriddenPercent',
          symbol: 'square',
          stroke: INK,
          fill: 'white',
          r: 4,
          title: (r: ChartRow) => `${r.period}: ${r.overriddenPercent} % overridden`,
          ariaDescription: 'overridden',
        }),
      ];
      break;
  }
  const node = Plot.plot({ ...common, y, marks, ariaLabel: definition.title }) as unknown as PlotNode;
  for (const style of Array.from(node.querySelectorAll('style'))) style.remove();
  node.setAttribute('role', 'img');
  return node;
}
