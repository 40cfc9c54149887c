/**
 * The question engine's own words (labels of fixed scales and its validation messages), spread into the
 * English catalogue as `questionEngine`. Question text itself is written by administrators and stored with
 * the form. Messages follow the GOV.UK error message patterns: say what to do, in plain words.
 */
export const questionEngineMessages = {
  optional: '(optional)',
  or: 'or',
  selectAll: 'Select all that apply.',
  notAnswered: 'Not answered',
  bodyRow: 'Public body {n}',
  bodyLabel: 'Public body',
  bodyNone: 'Choose a public body',
  bodyHint: 'You can rate up to {n} public bodies you have worked with.',
  ratingLabel: 'How well does it work with civil society?',
  agreement: {
    strongly_agree: 'Strongly agree',
    agree: 'Agree',
    neither: 'Neither agree nor disagree',
    disagree: 'Disagree',
    strongly_disagree: 'Strongly disagree',
  },
  rating: {
    '5': 'Very good',
    '4': 'Good',
    '3': 'Neither good nor poor',
    '2': 'Poor',
    '1': 'Very poor',
  },
  types: {
    single_choice: 'Single choice',
    multiple_choice: 'Multiple choice',
    agreement: 'Agreement scale (5 points)',
    free_text: 'Free text',
    body_rating: 'Rating of public bodies',
    number: 'Number',
  },
  operators: {
    equals: 'is',
    not_equals: 'is not',
    any_of: 'is one of',
    includes: 'includes',
    answered: 'is answered',
    not_answered: 'is not answered',
    at_least: 'is at least',
    at_most: 'is at most',
  },
  errors: {
    choiceRequired: 'Select an answer to ‘{question}’',
    agreementRequired: 'Select how much you agree or disagree with ‘{question}’',
    multipleRequired: 'Select at least one answer to ‘{question}’',
    choiceInvalid: 'Select one of the answers shown for ‘{question}’',
    exclusive: 'Select ‘{option}’ on its own, or unselect it to choose other answers',
    textRequired: 'Enter your answer to ‘{question}’',
    textTooLong: 'Your answer to ‘{question}’ must be {max} characters or fewer',
    numberRequired: 'Enter a number for ‘{question}’',
    numberInvalid: 'Enter a number for ‘{question}’, using digits, like 12',
    numberWhole: 'Enter a whole number for ‘{question}’',
    numberTooSmall: 'The number for ‘{question}’ must be {min} or more',
    numberTooLarge: 'The number for ‘{question}’ must be {max} or less',
    bodyRequired: 'Choose public body {n} from the list, or clear its rating',
    bodyUnknown: 'Choose public body {n} from the list',
    bodyRepeated: 'You have already rated {body}: choose a different public body',
    ratingRequired: 'Select how well {body} works with civil society',
    bodyRatingRequired: 'Choose at least one public body and rate it',
  },
  problems: {
    bad_key:
      '‘{key}’ is not a valid identifier: use lower-case letters, numbers and hyphens, starting with a letter',
    duplicate_key: 'The identifier ‘{key}’ is used more than once',
    no_questions: 'Section ‘{key}’ has no questions',
    too_few_options: 'Question ‘{key}’ needs at least 2 answers to choose from',
    duplicate_option: 'Question ‘{key}’ has the answer value ‘{value}’ more than once',
    empty_condition: '‘{key}’ has a show-if rule with no conditions',
    unknown_reference: '‘{key}’ depends on ‘{question}’, which does not exist',
    self_reference: '‘{key}’ depends on its own answer',
    forward_reference:
      '‘{key}’ depends on ‘{question}’, which is not in an earlier section: a question can only depend on answers given on earlier pages',
    cycle: 'The show-if rules go round in a circle: {path}',
    operator_not_allowed:
      '‘{key}’ tests ‘{question}’ with ‘{operator}’, which does not work for that type of question',
    bad_value: '‘{key}’ depends on ‘{question}’ being ‘{value}’, which is not one of its answers',
    never_shown: 'Question ‘{key}’ can never be shown, because its show-if rules can never all be true',
    required_never_shown:
      'Required question ‘{key}’ can never be shown, because its show-if rules can never all be true: change the rules or make it optional',
    bad_number_range: 'Question ‘{key}’ has a lowest allowed number above its highest',
  },
};
