/**
 * Server-rendered SVG charts for the scorecards (ARCHITECTURE.md: SVG on the server; every chart has a text
 * summary and a data table, which the templates put next to it). Pure string building, no client script.
 *
 * Readable without colour: every bar is labelled with its figure and interval in text, bars are hatched
 * (not told apart by hue), intervals are black whiskers with end caps, the comparison line is dashed and
 * labelled, and a withheld figure is written out ("Not shown: fewer than 10") instead of drawn. Only SVG
 * presentation attributes are used (no inline `style`), which the page's Content Security Policy allows.
 * `role="img"` with a title and a description names the chart for screen readers; the table beside it
 * carries the same figures.
 */
import type { Rate } from './scorecards.rules.ts';

const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const pct = (p: number) => `${Math.round(p * 100)}%`;

export interface RateBar {
  label: string;
  rate: Rate;
}

export interface ChartText {
  /** Unique on the page (used for element ids). */
  id: string;
  title: string;
  /** The one-sentence description read by screen readers (the template shows a fuller summary). */
  description: string;
  /** How a withheld bar reads, e.g. "Not shown: fewer than 10 cases". */
  withheldText: (rate: Extract<Rate, { shown: false }>) => string;
  /** Label of the dashed comparison line, when there is one. */
  referenceLabel?: string;
}

const WIDTH = 680;
const LABEL_WIDTH = 210;
const VALUE_WIDTH = 150;
const ROW = 34;
const TOP = 28;

/** Horizontal bars from 0 to 100% with Wilson-interval whiskers; an optional dashed reference line. */
export function rateChart(text: ChartText, bars: readonly RateBar[], reference?: Rate): string {
  const plotLeft = LABEL_WIDTH;
  const plotWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const x = (p: number) => plotLeft + p * plotWidth;
  const height = TOP + bars.length * ROW + 30;
  const ids = { title: `${text.id}-title`, desc: `${text.id}-desc`, hatch: `${text.id}-hatch` };
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="${ids.title} ${ids.desc}" font-family="Arial, Helvetica, sans-serif" font-size="14">`,
    `<title id="${ids.title}">${escape(text.title)}</title>`,
    `<desc id="${ids.desc}">${escape(text.description)}</desc>`,
    `<defs><pattern id="${ids.hatch}" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#1d70b8"/><line x1="0" y1="0" x2="0" y2="8" stroke="#ffffff" stroke-width="3"/></pattern></defs>`,
  ];
  // Scale: gridlines and labels at 0, 25, 50, 75 and 100%.
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(
      `<line x1="${x(tick)}" y1="${TOP - 6}" x2="${x(tick)}" y2="${TOP + bars.length * ROW}" stroke="#b1b4b6" stroke-width="1"/>`,
      `<text x="${x(tick)}" y="${TOP - 10}" text-anchor="middle" fill="#0b0c0c">${pct(tick)}</text>`,
    );
  }
  bars.forEach((bar, i) => {
    const y = TOP + i * ROW;
    const mid = y + ROW / 2;
    parts.push(
      `<text x="${plotLeft - 8}" y="${mid + 5}" text-anchor="end" fill="#0b0c0c">${escape(bar.label)}</text>`,
    );
    const r = bar.rate;
    if (!r.shown) {
      parts.push(
        `<text x="${plotLeft + 6}" y="${mid + 5}" fill="#0b0c0c" font-style="italic">${escape(text.withheldText(r))}</text>`,
      );
      return;
    }
    const barWidth = Math.max(1, r.estimate * plotWidth);
    parts.push(
      `<rect x="${plotLeft}" y="${y + 7}" width="${barWidth.toFixed(1)}" height="${ROW - 14}" fill="url(#${ids.hatch})" stroke="#0b0c0c" stroke-width="1"/>`,
      // The whisker: a line from the lower to the upper bound, with caps.
      `<line x1="${x(r.lower).toFixed(1)}" y1="${mid}" x2="${x(r.upper).toFixed(1)}" y2="${mid}" stroke="#0b0c0c" stroke-width="2"/>`,
      `<line x1="${x(r.lower).toFixed(1)}" y1="${mid - 8}" x2="${x(r.lower).toFixed(1)}" y2="${mid + 8}" stroke="#0b0c0c" stroke-width="2"/>`,
      `<line x1="${x(r.upper).toFixed(1)}" y1="${mid - 8}" x2="${x(r.upper).toFixed(1)}" y2="${mid + 8}" stroke="#0b0c0c" stroke-width="2"/>`,
      `<text x="${WIDTH - VALUE_WIDTH + 10}" y="${mid + 5}" fill="#0b0c0c">${pct(r.estimate)} (${pct(r.lower)}–${pct(r.upper)})</text>`,
    );
  });
  if (reference?.shown) {
    const rx = x(reference.estimate).toFixed(1);
    const bottom = TOP + bars.length * ROW;
    parts.push(
      `<line x1="${rx}" y1="${TOP - 4}" x2="${rx}" y2="${bottom + 4}" stroke="#0b0c0c" stroke-width="2" stroke-dasharray="6 4"/>`,
      `<text x="${rx}" y="${bottom + 20}" text-anchor="middle" fill="#0b0c0c">${escape(text.referenceLabel ?? '')} ${pct(reference.estimate)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

export interface CountBar {
  label: string;
  value: number;
}

/** Horizontal bars of whole counts (volume of cases by year), each labelled with its number. */
export function countChart(text: Omit<ChartText, 'withheldText'>, bars: readonly CountBar[]): string {
  const plotLeft = LABEL_WIDTH;
  const plotWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = TOP + bars.length * ROW + 10;
  const ids = { title: `${text.id}-title`, desc: `${text.id}-desc`, hatch: `${text.id}-hatch` };
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="${ids.title} ${ids.desc}" font-family="Arial, Helvetica, sans-serif" font-size="14">`,
    `<title id="${ids.title}">${escape(text.title)}</title>`,
    `<desc id="${ids.desc}">${escape(text.description)}</desc>`,
    `<defs><pattern id="${ids.hatch}" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><rect width="8" height="8" fill="#505a5f"/><line x1="0" y1="0" x2="0" y2="8" stroke="#ffffff" stroke-width="2"/></pattern></defs>`,
    `<line x1="${plotLeft}" y1="${TOP - 6}" x2="${plotLeft}" y2="${TOP + bars.length * ROW}" stroke="#0b0c0c" stroke-width="1"/>`,
  ];
  bars.forEach((bar, i) => {
    const y = TOP + i * ROW;
    const mid = y + ROW / 2;
    const width = (bar.value / max) * plotWidth;
    parts.push(
      `<text x="${plotLeft - 8}" y="${mid + 5}" text-anchor="end" fill="#0b0c0c">${escape(bar.label)}</text>`,
      bar.value > 0
        ? `<rect x="${plotLeft}" y="${y + 7}" width="${Math.max(1, width).toFixed(1)}" height="${ROW - 14}" fill="url(#${ids.hatch})" stroke="#0b0c0c" stroke-width="1"/>`
        : '',
      `<text x="${(plotLeft + width + 8).toFixed(1)}" y="${mid + 5}" fill="#0b0c0c">${bar.value.toLocaleString('en-GB')}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
