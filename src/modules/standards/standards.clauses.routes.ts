/**
 * The public "Check an agreement for gagging clauses" pages (issue 5, item 2). No sign-in: anyone can paste
 * text or upload a TXT, DOCX or PDF agreement and see each clause that conflicts with the Covenant (A1–A3),
 * with the matched words highlighted. The text is never stored or logged: it is checked during the request
 * and the results page is the only place it appears (sent with `Cache-Control: no-store`).
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../container.ts';
import { govukError, parseForm, type GovukErrors } from '../../platform/views/form-errors.ts';
import { MAX_AGREEMENT_BYTES } from './clauses/extract.ts';
import { clausesPaths as cp } from './standards.clauses.paths.ts';
import { CheckAgreementForm, MAX_PASTED_CHARACTERS } from './standards.clauses.schema.ts';
import { checkAgreement, type UploadedAgreement } from './standards.clauses.service.ts';

const V = 'modules/standards/views/clauses/';
const RULES = ['A1', 'A2', 'A3'] as const;

function renderForm(
  reply: FastifyReply,
  data: { errors?: GovukErrors; values?: { text?: string } } = {},
  status = 200,
) {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .view(`${V}check.njk`, { cp, rules: RULES, maxPasted: MAX_PASTED_CHARACTERS, ...data });
}

/** The uploaded file, if one was chosen (a browser sends an empty part with no name when none was). */
function uploadedFile(body: Record<string, unknown>): UploadedAgreement | undefined {
  const file = body.file as UploadedAgreement | undefined;
  if (typeof file !== 'object' || file === null || !('data' in file)) return undefined;
  return file.fileName === '' && file.data.length === 0 ? undefined : file;
}

export function registerClausesRoutes(app: FastifyInstance, deps: Deps) {
  const formLimit = { rateLimit: { max: deps.config.RATE_LIMIT_FORMS_PER_MINUTE, timeWindow: '1 minute' } };

  app.get(cp.check.pattern, async (_request, reply) => renderForm(reply));

  // The form is multipart (text and file in one form), parsed only in this scope. A pasted text may be up to
  // 4 bytes a character in UTF-8; a longer field is cut off by busboy and then fails the length check.
  void app.register(async (scope) => {
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      throwFileSizeLimit: false,
      limits: {
        fileSize: MAX_AGREEMENT_BYTES,
        files: 1,
        fields: 5,
        parts: 8,
        fieldSize: 4 * MAX_PASTED_CHARACTERS + 8,
      },
      async onFile(part) {
        const data = await part.toBuffer().catch(() => Buffer.alloc(0));
        const file: UploadedAgreement = { fileName: part.filename, data, truncated: part.file.truncated };
        (part as unknown as { value: UploadedAgreement }).value = file;
      },
    });
    scope.post(cp.check.pattern, { config: formLimit }, async (request: FastifyRequest, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const raw = { text: typeof body.text === 'string' ? body.text.replace(/\r\n/g, '\n') : '' };
      const form = parseForm(CheckAgreementForm, raw, request.t);
      if (!form.success) return renderForm(reply, { errors: form.errors }, 422);
      const outcome = await checkAgreement({ text: form.data.text, file: uploadedFile(body) });
      if ('error' in outcome) {
        const { field, key, params } = outcome.error;
        return renderForm(reply, { errors: govukError(field, request.t(key, params)), values: raw }, 422);
      }
      return reply
        .header('cache-control', 'no-store')
        .view(`${V}results.njk`, { cp, rules: RULES, result: outcome.result });
    });
  });
}
