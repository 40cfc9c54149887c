/**
 * First step of the pipeline: clean text for modelling, spot answers that say nothing, detect Welsh and
 * mixed-language answers, and cut very long answers down to a size that does not swamp the model.
 * The original text is never changed: quotes shown to analysts always come from what people wrote.
 */

/** Language group of an answer. Welsh and mixed answers are themed as their own group, never mis-themed. */
export type Language = 'en' | 'cy' | 'mixed' | 'other';

/** Default cap on the characters of one answer used for modelling (quotes keep the whole text). */
export const DEFAULT_MAX_MODEL_CHARS = 3000;

/**
 * Unicode-normalises (NFKC folds ligatures and full-width forms), straightens curly quotes, removes control
 * characters and collapses white space, so that copies pasted from Word and from a web form compare equal.
 */
export function normaliseText(text: string): string {
  return (
    text
      .normalize('NFKC')
      .replace(/[\u2018\u2019\u201b\u2032]/g, "'")
      .replace(/[\u201c\u201d\u201f\u2033]/g, '"')
      .replace(/[\u2013\u2014]/g, ' - ')
      // Control characters are exactly what this strips, so the lint rule against them does not apply here.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200d\ufeff]/g, '')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

// Answers that fill the box without saying anything: counted, but kept out of theme discovery.
const PLACEHOLDERS = new Set([
  'n/a',
  'na',
  'n a',
  'none',
  'nothing',
  'nil',
  'no',
  'no comment',
  'no comments',
  'nothing to add',
  'not applicable',
  'not sure',
  "don't know",
  'dont know',
  'dk',
  'tbc',
  'x',
  'dim',
  'dim sylw',
  'dim byd',
  'amherthnasol',
]);

/** True when an answer has no letters or digits, or is a placeholder such as "n/a" or "no comment". */
export function isEmptyAnswer(text: string): boolean {
  const t = normaliseText(text).toLowerCase();
  if (!/[\p{L}\p{N}]/u.test(t)) return true;
  const bare = t.replace(/[^\p{L}\p{N}/' ]/gu, '').trim();
  return PLACEHOLDERS.has(bare);
}

// Welsh words that do not also occur as ordinary English words (so "a", "i", "o", "am", "dim" are left out).
const WELSH_WORDS = new Set(
  (
    'y yr ac mae yn ei eu ein eich gyda wedi ddim nid nad bod oedd roedd rydym rydyn ni chi nhw hyn hynny ' +
    'ond gan fel sy sydd hefyd iawn gyfer ar cael gwneud llywodraeth cyngor cynghorau elusen elusennau ' +
    'gwirfoddolwyr gwirfoddoli cymru cymraeg ymgynghoriad ymgynghori cyllid cyllido dros wrth rhaid mwy ' +
    'llawer gallu angen yng ym yw gennym fod gymuned cymunedau sefydliad sefydliadau amser byr hwyr ' +
    'penderfyniadau penderfyniad gwaith gweithio partneriaeth lleol lleiaf bach bychan oherwydd felly ' +
    'pan efo ydy ydyn dydy dydyn byddai gall gallwn wnaeth arian grantiau adrodd baich ' +
    'trydydd gwrando wrando siarad pobl bobl ddata rhannu'
  ).split(' '),
);

// Frequent English function words; their share tells English from Welsh in mixed answers.
const ENGLISH_WORDS = new Set(
  (
    'the and to of is are was were we our us they their that it its for with not have has had this be been ' +
    'on by at from as but or which would could should will can there very more no about what when all also ' +
    'than them into do does did so if just only you your he she his her my me'
  ).split(' '),
);

/**
 * Detects the language group of an answer from the share of distinctive Welsh and English function words
 * and from Welsh letters (ŵ, ŷ). A word list is enough here: the decision is only "theme with the English
 * model or keep apart", and it must be cheap for 100,000 answers.
 */
export function detectLanguage(text: string): Language {
  const lower = text.toLowerCase();
  const letters = lower.match(/\p{L}/gu);
  if (!letters) return 'en';
  const latin = lower.match(/[a-zà-ÿŵŷ]/g);
  if ((latin?.length ?? 0) < letters.length * 0.5) return 'other';
  const words = lower.match(/[a-zà-ÿŵŷ']+/g) ?? [];
  if (words.length === 0) return 'en';
  let cy = 0;
  let en = 0;
  for (const raw of words) {
    const w = raw.replace(/^'+|'+$/g, '');
    // Welsh elides the article onto words ("gyda'r", "i'r"), so look at the part before an apostrophe too.
    const head = w.split("'")[0] ?? w;
    if (WELSH_WORDS.has(w) || WELSH_WORDS.has(head) || /[ŵŷ]/.test(w)) cy++;
    else if (ENGLISH_WORDS.has(w)) en++;
  }
  const cyShare = cy / words.length;
  const enShare = en / words.length;
  if (cy >= 2 && cyShare >= 0.2 && enShare < 0.08) return 'cy';
  // A place name such as "Llywodraeth Cymru" in an English answer must not make it mixed.
  if (cy >= 4 && cyShare >= 0.2 && enShare >= 0.05) return 'mixed';
  if (cy >= 1 && words.length <= 3 && en === 0 && cyShare >= 0.5) return 'cy';
  return 'en';
}

/**
 * Cuts an answer to at most `maxChars` for modelling, at the last sentence end (or failing that the last
 * space) before the limit, so a 20,000-character essay still counts as one answer among many rather than
 * dominating term counts, tokenisation time and its theme's key phrases.
 */
export function truncateForModelling(text: string, maxChars = DEFAULT_MAX_MODEL_CHARS): string {
  if (text.length <= maxChars) return text;
  const head = text.slice(0, maxChars);
  const sentenceEnd = Math.max(head.lastIndexOf('. '), head.lastIndexOf('! '), head.lastIndexOf('? '));
  if (sentenceEnd >= maxChars * 0.6) return head.slice(0, sentenceEnd + 1);
  const space = head.lastIndexOf(' ');
  return space >= maxChars * 0.6 ? head.slice(0, space) : head;
}
