/**
 * Interface text for the public "Check an agreement for gagging clauses" pages, merged into the English
 * catalogue under `clauses.*` (src/platform/i18n/en.ts). Rule explanations follow domain.md §5 (A1–A3).
 */
export const clausesMessages = {
  nav: { check: 'Check an agreement' },
  check: {
    title: 'Check an agreement for gagging clauses',
    lead: 'Find clauses in a grant agreement or contract that stop an organisation campaigning, giving evidence or speaking to the press. The Civil Society Covenant commits government to respect the right of civil society to campaign and to hold government to account, whatever the funding relationship.',
    notStored:
      'We do not store the text or the file you check. It is read once to show you the results and is then discarded.',
    whatWeLookFor: 'What the check looks for',
    pasteLabel: 'Paste the text of the agreement',
    pasteHint: 'Up to 200,000 characters. You can paste the whole agreement or only some clauses.',
    or: 'or',
    fileLabel: 'Upload the agreement',
    fileHint:
      'A text file (.txt), Word document (.docx) or PDF, smaller than 10 MB. A scanned PDF with no text layer cannot be checked.',
    submit: 'Check the agreement',
    limits:
      'The check is automatic. It can miss a clause, or find one that a lawyer would read differently, so read each result in the context of the whole agreement.',
  },
  results: {
    title: 'Results of the agreement check',
    checked: 'We checked {characters} characters of text ({source}).',
    sourcePasted: 'pasted text',
    sourceFile: '{format} file “{name}”',
    formats: { text: 'text', docx: 'Word', pdf: 'PDF' },
    foundOne: 'We found 1 clause that may conflict with the Covenant.',
    foundMany: 'We found {count} clauses that may conflict with the Covenant.',
    noneTitle: 'No gagging or anti-advocacy clauses found',
    noneText:
      'We did not find any clause that restricts campaigning, lobbying, evidence to government or speaking to the press. The check can miss unusual wording, so read the agreement’s publicity, communications and eligible-expenditure clauses yourself.',
    findingHeading: 'Finding {n}: rule {rule}',
    clause: 'The clause',
    highlightNote: 'The highlighted words are what the check matched.',
    leadIn: 'An item of the list that starts: “{leadIn}:”',
    position: 'Characters {start} to {end} of the text.',
    why: 'Why it conflicts with the Covenant',
    notStored: 'We have not stored the text you checked.',
    checkAnother: 'Check another agreement',
    whatNext: 'What you can do',
    whatNextText:
      'Ask the funder to remove or rewrite the clause before you sign, or report a problem with a public body if it is already in your agreement.',
  },
  rules: {
    A1: {
      name: 'A1: anti-advocacy or anti-lobbying clause',
      text: 'Stops grant money being spent on influencing Parliament, government, political parties, legislation, regulation or the award of contracts and grants, or bars lobbying. This is the February 2016 Cabinet Office clause and its variants, which government abandoned.',
    },
    A2: {
      name: 'A2: restriction on policy input',
      text: 'Stops the organisation responding to consultations, giving evidence, making policy recommendations, campaigning or taking part in public debate, or makes these depend on the funder’s approval. The December 2016 grant standards allow this activity within a grant.',
    },
    A3: {
      name: 'A3: gagging, publicity-approval or reputation clause',
      text: 'Needs the funder’s approval before the organisation speaks to the press or the public, stops it criticising the funder, or protects the funder’s reputation (“adverse publicity”, “standing and reputation”, “disrepute”), as in the DWP contract clauses.',
    },
    notFlagged:
      'Clauses that only require accuracy, protect personal data or commercially confidential information, control use of a logo, or keep party politics out of the funded work are not gagging clauses, and the check does not report them.',
  },
  errors: {
    inputRequired: 'Paste the text of the agreement or choose a file to upload',
    both: 'Paste the text or choose a file, not both',
    textTooLong:
      'The pasted text must be 200,000 characters or fewer. Upload the agreement as a file instead',
    empty: 'The file is empty. Choose a file with the agreement’s text in it',
    tooLarge: 'The file must be smaller than 10 MB',
    textLayerTooLarge: 'The document has more than {max} characters of text. Check it in parts',
    unsupported: 'The file must be a text file (.txt), a Word document (.docx) or a PDF',
    unreadable: 'The file could not be read. {detail}',
    noTextLayer:
      'This PDF has no text layer. It may be a scanned image. Upload the original document or a PDF made from it, or paste the text',
  },
};
