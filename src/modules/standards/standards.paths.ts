import { definePath } from '../../platform/http/paths.ts';

/** URLs of standards monitoring: the body's records (staff), the public findings, the API. */
export const standardsPaths = {
  /** The bodies whose records the signed-in person keeps. */
  records: definePath('/standards/records'),
  bodyRecords: definePath('/standards/records/:slug'),
  addConsultation: definePath('/standards/records/:slug/consultations/new'),
  editConsultation: definePath('/standards/records/:slug/consultations/:consultationId'),
  addAgreement: definePath('/standards/records/:slug/funding/new'),
  editAgreement: definePath('/standards/records/:slug/funding/:agreementId'),
  addChange: definePath('/standards/records/:slug/funding/:agreementId/changes/new'),
  editChange: definePath('/standards/records/:slug/funding/:agreementId/changes/:changeId'),
  importFile: definePath('/standards/records/:slug/import'),
  /** Agreement reviews (A1–A3): the text, the checker's suggestions to decide on, and a stored review. */
  addReview: definePath('/standards/records/:slug/reviews/new'),
  confirmReview: definePath('/standards/records/:slug/reviews/confirm'),
  review: definePath('/standards/records/:slug/reviews/:reviewId'),
  importConfirm: definePath('/standards/records/:slug/import/confirm'),
  /** Public: findings across bodies (filter by standard and body), as a page and a CSV, and one body's. */
  findings: definePath('/standards/findings'),
  findingsCsv: definePath('/standards/findings.csv'),
  bodyFindings: definePath('/standards/findings/:slug'),
  api: {
    findings: definePath('/api/v1/standards/findings'),
    bodyFindings: definePath('/api/v1/bodies/:slug/findings'),
  },
};
