/**
 * Tokenising and lemmatising with wink-nlp's English model, then turning lemmas into features: content-word
 * unigrams and bigrams ("consultation period", "late decision"). Lemmas make "funded", "funding" and "funds"
 * one feature, which matters most when an analyst has coded only thirty answers.
 */
import winkNLP from 'wink-nlp';
import type { ItsFunction } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

export type TokenisedDoc = {
  /** Feature ids (unigrams then bigrams, with repeats: counts are term frequencies). */
  termIds: Int32Array;
  /** wink-nlp's sentiment score for the answer, in [-1, 1]; 0 when sentiment was not requested. */
  sentiment: number;
};

export type TokeniserOptions = {
  /** Add bigrams of neighbouring content words (default true). */
  bigrams?: boolean;
  /** Run wink's negation and sentiment annotators (default true; `code` turns it off for speed). */
  sentiment?: boolean;
};

export type Tokeniser = {
  tokenise(text: string): TokenisedDoc;
  /** Feature strings by id: a lemma, or two lemmas separated by a space. */
  readonly terms: readonly string[];
  /** The most common written form of a feature, for readable theme labels ("funding" rather than "fund"). */
  surfaceOf(termId: number): string;
};

// Words the English stop list keeps but that carry no theme in survey answers about working with government.
const EXTRA_STOP_WORDS = new Set([
  'also',
  'would',
  'could',
  'should',
  'may',
  'might',
  'must',
  'get',
  'go',
  'make',
  'lot',
  'thing',
  'really',
  'quite',
  'etc',
  'eg',
  'ie',
  'yes',
  'one',
  'us',
  'even',
  'still',
  'often',
  'much',
  'many',
]);

const WORD = /^[\p{L}][\p{L}\p{N}'-]*$/u;

/**
 * Creates a tokeniser with its own wink-nlp instance, feature dictionary and cache, so separate runs never
 * share state (no module-level globals) and duplicate texts are lemmatised once.
 */
export function createTokeniser(options: TokeniserOptions = {}): Tokeniser {
  const withBigrams = options.bigrams ?? true;
  const withSentiment = options.sentiment ?? true;
  // Only the annotations we read: pos (needed for lemmas), plus negation and sentiment when asked. Sentence
  // boundaries, named entities and custom entities are skipped, which makes wink about 40% faster.
  const nlp = winkNLP(model, withSentiment ? ['negation', 'sentiment', 'pos'] : ['pos']);
  const its = nlp.its;
  const ids = new Map<string, number>();
  const terms: string[] = [];
  const surfaces = new Map<string, Map<string, number>>();
  const cache = new Map<string, TokenisedDoc>();

  const idOf = (term: string): number => {
    let id = ids.get(term);
    if (id === undefined) {
      id = terms.length;
      ids.set(term, id);
      terms.push(term);
    }
    return id;
  };

  const tokenise = (text: string): TokenisedDoc => {
    const hit = cache.get(text);
    if (hit) return hit;
    // Lower-casing first: wink's lemmatiser leaves capitalised words alone ("Volunteers" stays plural).
    const doc = nlp.readDoc(text.toLowerCase());
    const tokens = doc.tokens();
    // wink-nlp's type declarations give its.lemma a signature that does not match ItsFunction (the runtime
    // is fine), hence the cast.
    const lemmas = tokens.out(its.lemma as unknown as ItsFunction<string>);
    const types = tokens.out(its.type);
    const stops = tokens.out(its.stopWordFlag);
    const normals = tokens.out(its.normal);
    const unigrams: number[] = [];
    const bigrams: number[] = [];
    let previous: string | null = null;
    for (let i = 0; i < lemmas.length; i++) {
      const type = types[i];
      if (type !== 'word') {
        // Punctuation, numbers, URLs and emoji end a phrase: no bigram spans them.
        if (type === 'punctuation' || type === 'symbol') previous = null;
        continue;
      }
      const lemma = (lemmas[i] as string).replace(/^'+|'+$/g, '');
      if (stops[i] || lemma.length < 2 || EXTRA_STOP_WORDS.has(lemma) || !WORD.test(lemma)) continue;
      unigrams.push(idOf(lemma));
      const normal = normals[i] as string;
      let forms = surfaces.get(lemma);
      if (!forms) {
        forms = new Map();
        surfaces.set(lemma, forms);
      }
      forms.set(normal, (forms.get(normal) ?? 0) + 1);
      // Stop words between two content words do not break a phrase: "lack of funding" → "lack funding".
      if (withBigrams && previous !== null && previous !== lemma) bigrams.push(idOf(`${previous} ${lemma}`));
      previous = lemma;
    }
    const termIds = new Int32Array(unigrams.length + bigrams.length);
    termIds.set(unigrams, 0);
    termIds.set(bigrams, unigrams.length);
    const result: TokenisedDoc = { termIds, sentiment: withSentiment ? Number(doc.out(its.sentiment)) : 0 };
    cache.set(text, result);
    return result;
  };

  const surfaceOfLemma = (lemma: string): string => {
    const forms = surfaces.get(lemma);
    if (!forms) return lemma;
    let best = lemma;
    let bestCount = -1;
    for (const [form, count] of forms) {
      // Ties go to the alphabetically first form, so labels never depend on Map insertion order.
      if (count > bestCount || (count === bestCount && form < best)) {
        best = form;
        bestCount = count;
      }
    }
    return best;
  };

  return {
    tokenise,
    terms,
    surfaceOf: (termId: number) =>
      (terms[termId] ?? '')
        .split(' ')
        .map((part) => surfaceOfLemma(part))
        .join(' '),
  };
}
