/** Small presenters for consultation pages: date-input parts. */

/**
 * The day, month and year a GOV.UK date input shows for `name`: what was typed (`<name>-day` …) when the
 * form came back with errors, else the stored ISO date split up.
 */
export function toIsoParts(
  values: Record<string, unknown>,
  name: string,
): { day: string; month: string; year: string } {
  const typed = ['day', 'month', 'year'].map((part) => values[`${name}-${part}`]);
  if (typed.some((v) => v !== undefined)) {
    const [day, month, year] = typed.map((v) => String(v ?? ''));
    return { day: day!, month: month!, year: year! };
  }
  const iso = typeof values[name] === 'string' ? (values[name] as string) : '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m
    ? { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1]! }
    : { day: '', month: '', year: '' };
}
