/** Types shared by the analysis core's steps. */

/** One free-text answer: a survey response, a consultation comment or a case description. */
export type Answer = {
  /** The caller's identifier, unique within a run; echoed back in every result. */
  id: string;
  text: string;
};

/** An answer an analyst has coded with one or more codes from the codebook. */
export type CodedAnswer = {
  id: string;
  labels: string[];
};
