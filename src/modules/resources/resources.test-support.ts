/** Steps shared by the library's route and role tests (not a test file itself). */
import { csrfTokenIn, type Agent } from '../../../test/helpers/agent.ts';
import { resourcePaths as p } from './resources.paths.ts';

/** Posts a file as a browser would: multipart/form-data with the attachments page's CSRF token. */
export async function uploadAttachment(
  agent: Agent,
  slug: string,
  file: { name: string; data: Buffer } | null,
  token?: string,
) {
  const csrf = token ?? csrfTokenIn((await agent.get(p.attachments({ slug }))).body);
  const boundary = '----resources-test-boundary';
  const parts: Buffer[] = [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file?.name ?? ''}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    file?.data ?? Buffer.alloc(0),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ];
  const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return agent.app.inject({
    method: 'POST',
    url: p.attachments({ slug }),
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'text/html' },
    payload: Buffer.concat(parts),
  });
}

/** A complete, valid resource form (override any field). */
export function resourceForm(ownerId: string, overrides: Record<string, string | string[]> = {}) {
  return {
    title: 'Running a fair consultation',
    kind: 'guidance',
    summary: 'How to plan a consultation that small organisations can answer.',
    body: '## Plan early\n\nTell people a consultation is coming.\n\n- Give 12 weeks\n- Say why if shorter',
    audience: 'public_body',
    principles: ['partnership-and-collaboration'],
    commitments: ['PC-G1'],
    nations: ['wales'],
    ownerId,
    reviewIntervalMonths: '12',
    status: 'draft',
    ...overrides,
  };
}

/** A minimal PDF: enough for the content check (it starts "%PDF-"). */
export const tinyPdf = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);
