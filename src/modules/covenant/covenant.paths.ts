import { definePath } from '../../platform/http/paths.ts';

export const covenantPaths = {
  show: definePath('/covenant'),
  principle: definePath('/covenant/principles/:slug'),
  versions: definePath('/covenant/versions'),
  version: definePath('/covenant/versions/:versionId'),
  compare: definePath('/covenant/versions/compare'),
  subCovenants: definePath('/covenant/sub-covenants'),
  subCovenant: definePath('/covenant/sub-covenants/:slug'),
  signatories: definePath('/covenant/signatories'),
  sign: definePath('/covenant/sign'),
  signSub: definePath('/covenant/sub-covenants/:slug/sign'),

  admin: definePath('/covenant/admin'),
  adminDraft: definePath('/covenant/admin/draft'),
  adminParagraphNew: definePath('/covenant/admin/draft/paragraphs/new'),
  adminParagraph: definePath('/covenant/admin/draft/paragraphs/:key'),
  adminParagraphRemove: definePath('/covenant/admin/draft/paragraphs/:key/remove'),
  adminParagraphMove: definePath('/covenant/admin/draft/paragraphs/:key/move'),
  adminPublish: definePath('/covenant/admin/draft/publish'),
  adminCommitmentNew: definePath('/covenant/admin/commitments/new'),
  adminCommitment: definePath('/covenant/admin/commitments/:id'),
  adminStandardNew: definePath('/covenant/admin/standards/new'),
  adminStandard: definePath('/covenant/admin/standards/:id'),
  adminSubCovenantNew: definePath('/covenant/admin/sub-covenants/new'),
  adminSubCovenant: definePath('/covenant/admin/sub-covenants/:slug'),
  adminSubCommitmentNew: definePath('/covenant/admin/sub-covenants/:slug/commitments/new'),
  adminOfficerNew: definePath('/covenant/admin/sub-covenants/:slug/officers/new'),

  api: {
    principles: definePath('/api/v1/principles'),
    commitments: definePath('/api/v1/commitments'),
    standards: definePath('/api/v1/standards'),
    versions: definePath('/api/v1/versions'),
    version: definePath('/api/v1/versions/:versionId'),
    signatories: definePath('/api/v1/signatories'),
  },
};
