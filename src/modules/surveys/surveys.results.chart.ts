/**
 * Server-rendered SVG bar charts of shares with their 95% intervals (issue 6, item 3). Readable without
 * colour: every bar carries its figure as text, the interval is a whisker with end caps, last year's figure
 * is a hollow diamond explained in a legend, and withheld figures say so in words. Each chart is an image
 * with a title; the page gives the same figures as a text summary and a data table (the chart adds nothing
 * the table lacks). No client script; no external library (a chart is about 30 elements).
 */

export interface ChartBar {
  label: string;
  /** 0–1, or null when withheld. */
  percent: number | null;
  lower: number | null;
  upper: number | null;
  /** Last year's share, when there is one to compare. */
  previous?: number | null;
}

export interface ChartOptions {
  title: string;
  /** Words for a withheld figure. */
  withheldText: string;
  /** Legend text for the diamond (e.g. "2025"), when any bar has a previous figure. */
  previousLabel?: string | null;
  /** Legend text for the whisker. */
  intervalLabel: string;
}

const escapeXml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const WIDTH = 640;
const LABEL_WIDTH = 220;
const PLOT_WIDTH = 330;
const ROW = 34;
const TOP = 10;

/** Wraps a label into lines of about `max` characters (SVG text does not wrap). */
function wrap(text: string, max = 30): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && (line + ' ' + word).length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.slice(0, 2).map((l, i, all) => (i === 1 && all.length < lines.length ? `${l}…` : l));
}

/** The chart as an SVG string (labels escaped), for `| safe` in a template. */
export function barChartSvg(bars: ChartBar[], options: ChartOptions): string {
  const hasPrevious = bars.some((b) => b.previous !== undefined && b.previous !== null);
  const legendHeight = 30;
  const height = TOP + bars.length * ROW + 24 + legendHeight;
  const x = (p: number) => LABEL_WIDTH + p * PLOT_WIDTH;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(options.title)}" focusable="false">`,
    `<title>${escapeXml(options.title)}</title>`,
  );
  // Axis: 0%, 25%, 50%, 75%, 100% with faint grid lines.
  const axisY = TOP + bars.length * ROW;
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(
      `<line x1="${x(tick)}" y1="${TOP}" x2="${x(tick)}" y2="${axisY}" class="app-chart__grid"/>`,
      `<text x="${x(tick)}" y="${axisY + 16}" class="app-chart__tick" text-anchor="middle">${tick * 100}%</text>`,
    );
  }
  bars.forEach((bar, i) => {
    const y = TOP + i * ROW;
    const lines = wrap(bar.label);
    lines.forEach((line, j) =>
      parts.push(
        `<text x="${LABEL_WIDTH - 8}" y="${y + ROW / 2 + 4 + (j - (lines.length - 1) / 2) * 13}" class="app-chart__label" text-anchor="end">${escapeXml(line)}</text>`,
      ),
    );
    if (bar.percent === null) {
      parts.push(
        `<text x="${x(0) + 6}" y="${y + ROW / 2 + 4}" class="app-chart__value app-chart__value--withheld">${escapeXml(options.withheldText)}</text>`,
      );
      return;
    }
    const barTop = y + 7;
    const barHeight = ROW - 14;
    parts.push(
      `<rect x="${x(0)}" y="${barTop}" width="${Math.max(1, bar.percent * PLOT_WIDTH).toFixed(1)}" height="${barHeight}" class="app-chart__bar"/>`,
    );
    if (bar.lower !== null && bar.upper !== null) {
      const mid = y + ROW / 2;
      parts.push(
        `<line x1="${x(bar.lower).toFixed(1)}" y1="${mid}" x2="${x(bar.upper).toFixed(1)}" y2="${mid}" class="app-chart__whisker"/>`,
        `<line x1="${x(bar.lower).toFixed(1)}" y1="${mid - 6}" x2="${x(bar.lower).toFixed(1)}" y2="${mid + 6}" class="app-chart__whisker"/>`,
        `<line x1="${x(bar.upper).toFixed(1)}" y1="${mid - 6}" x2="${x(bar.upper).toFixed(1)}" y2="${mid + 6}" class="app-chart__whisker"/>`,
      );
    }
    if (bar.previous !== undefined && bar.previous !== null) {
      const px = x(bar.previous);
      const py = y + ROW / 2;
      parts.push(
        `<path d="M ${px.toFixed(1)} ${py - 7} L ${(px + 7).toFixed(1)} ${py} L ${px.toFixed(1)} ${py + 7} L ${(px - 7).toFixed(1)} ${py} Z" class="app-chart__previous"/>`,
      );
    }
    const value = `${Math.round(bar.percent * 100)}%`;
    parts.push(
      `<text x="${x(1) + 10}" y="${y + ROW / 2 + 5}" class="app-chart__value">${escapeXml(value)}</text>`,
    );
  });
  // Legend: the whisker, and the diamond when there is a previous year.
  const ly = axisY + 38;
  parts.push(
    `<line x1="${LABEL_WIDTH}" y1="${ly - 4}" x2="${LABEL_WIDTH + 24}" y2="${ly - 4}" class="app-chart__whisker"/>`,
    `<line x1="${LABEL_WIDTH}" y1="${ly - 10}" x2="${LABEL_WIDTH}" y2="${ly + 2}" class="app-chart__whisker"/>`,
    `<line x1="${LABEL_WIDTH + 24}" y1="${ly - 10}" x2="${LABEL_WIDTH + 24}" y2="${ly + 2}" class="app-chart__whisker"/>`,
    `<text x="${LABEL_WIDTH + 32}" y="${ly}" class="app-chart__legend">${escapeXml(options.intervalLabel)}</text>`,
  );
  if (hasPrevious && options.previousLabel) {
    const dx = LABEL_WIDTH + 200;
    parts.push(
      `<path d="M ${dx} ${ly - 11} L ${dx + 7} ${ly - 4} L ${dx} ${ly + 3} L ${dx - 7} ${ly - 4} Z" class="app-chart__previous"/>`,
      `<text x="${dx + 12}" y="${ly}" class="app-chart__legend">${escapeXml(options.previousLabel)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}
