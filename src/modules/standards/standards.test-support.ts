/** Steps shared by the standards route and role tests (not a test file itself). */
import { csrfTokenIn, type Agent } from '../../../test/helpers/agent.ts';
import { standardsPaths as p } from './standards.paths.ts';

/** Posts a file as a browser would: multipart/form-data with the import page's CSRF token. */
export async function uploadFile(
  agent: Agent,
  slug: string,
  kind: string,
  filename: string,
  content: string,
) {
  const page = await agent.get(p.importFile({ slug }));
  const token = csrfTokenIn(page.body);
  const boundary = '----standards-test-boundary';
  const payload = [
    `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n${kind}\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\n${content}\r\n`,
    `--${boundary}--\r\n`,
  ].join('');
  const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return agent.app.inject({
    method: 'POST',
    url: p.importFile({ slug }),
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'text/html' },
    payload,
  });
}
