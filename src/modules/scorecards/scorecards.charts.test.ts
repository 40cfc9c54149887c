/** The SVG charts: labelled, escaped, readable without colour, no inline styles (the CSP forbids them). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countChart, rateChart } from './scorecards.charts.ts';
import { rateOf } from './scorecards.rules.ts';

const text = {
  id: 'c1',
  title: 'Answered on time <by year>',
  description: 'Rates & intervals',
  withheldText: (r: { n: number; minCount: number }) => `Not shown: ${r.n} of fewer than ${r.minCount}`,
  referenceLabel: 'All',
};

test('bars carry their figure and interval in text, withheld bars say why, the reference line is labelled', () => {
  const svg = rateChart(
    text,
    [
      { label: '2025 & before', rate: rateOf(81, 263) },
      { label: '2026', rate: rateOf(3, 7) },
    ],
    rateOf(50, 100),
  );
  assert.match(svg, /^<svg [^>]*role="img" aria-labelledby="c1-title c1-desc"/);
  assert.match(svg, /<title id="c1-title">Answered on time &lt;by year&gt;<\/title>/);
  assert.match(svg, /<desc id="c1-desc">Rates &amp; intervals<\/desc>/);
  assert.ok(svg.includes('>2025 &amp; before<'));
  // 81/263 = 31% with Wilson interval 26%–37%, written out.
  assert.ok(svg.includes('31% (26%–37%)'));
  assert.ok(svg.includes('Not shown: 7 of fewer than 10'));
  assert.ok(svg.includes('stroke-dasharray'), 'the reference line is dashed, not coloured');
  assert.ok(svg.includes('>All 50%<'));
  assert.ok(svg.includes('<pattern'), 'bars are hatched');
  assert.equal(/\sstyle=/.test(svg), false);
  // One bar, three whisker lines (the span and two caps).
  assert.equal((svg.match(/<rect x="210"/g) ?? []).length, 1);
});

test('count charts label every bar with its number', () => {
  const svg = countChart({ id: 'v', title: 'Cases', description: 'Cases by year' }, [
    { label: '2025', value: 1200 },
    { label: '2026', value: 0 },
  ]);
  assert.ok(svg.includes('>1,200<'));
  assert.ok(svg.includes('>0<'));
  assert.equal(/\sstyle=/.test(svg), false);
});
