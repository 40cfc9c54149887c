/**
 * Email transports: file (default: `.eml` files an operator or a test can read), SMTP and GOV.UK Notify.
 * Each throws on failure; the outbox worker turns failures into retries.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Config } from '../../config.ts';

export interface OutgoingEmail {
  id: string;
  to: string;
  subject: string;
  text: string;
}

export interface EmailTransport {
  readonly name: string;
  send(email: OutgoingEmail): Promise<void>;
}

/** RFC 2047 encoding for a header that may hold non-ASCII text (Welsh has ŵ and ŷ). */
function encodeHeader(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value).toString('base64')}?=`;
}

export function renderEml(email: OutgoingEmail, from: string, date: Date): string {
  return [
    `From: ${from}`,
    `To: ${email.to}`,
    `Subject: ${encodeHeader(email.subject)}`,
    `Date: ${date.toUTCString()}`,
    `Message-ID: <${email.id}@covenant-hub>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    email.text.replace(/\r?\n/g, '\r\n'),
    '',
  ].join('\r\n');
}

export function createFileTransport(dir: string, from: string): EmailTransport {
  return {
    name: 'file',
    async send(email) {
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${email.id}.eml`);
      // Write then rename, so a reader never sees half a message.
      const temp = path.join(dir, `.${randomUUID()}.tmp`);
      await writeFile(temp, renderEml(email, from, new Date()));
      await rename(temp, file);
    },
  };
}

export function createSmtpTransport(url: string, from: string): EmailTransport {
  const transporter = nodemailer.createTransport(url);
  return {
    name: 'smtp',
    async send(email) {
      await transporter.sendMail({
        from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        messageId: `<${email.id}@covenant-hub>`,
      });
    },
  };
}

export async function createNotifyTransport(
  apiKey: string,
  templateId: string,
  baseUrl?: string,
): Promise<EmailTransport> {
  // notifications-node-client is CommonJS without types.
  const { NotifyClient } = (await import('notifications-node-client')) as unknown as {
    NotifyClient: new (...args: string[]) => {
      sendEmail(
        template: string,
        to: string,
        options: { personalisation: Record<string, string>; reference: string },
      ): Promise<unknown>;
    };
  };
  const client = baseUrl ? new NotifyClient(baseUrl, apiKey) : new NotifyClient(apiKey);
  return {
    name: 'notify',
    async send(email) {
      await client.sendEmail(templateId, email.to, {
        personalisation: { subject: email.subject, body: email.text },
        reference: email.id,
      });
    },
  };
}

export async function createTransport(config: Config): Promise<EmailTransport> {
  switch (config.EMAIL_TRANSPORT) {
    case 'smtp':
      return createSmtpTransport(config.SMTP_URL!, config.EMAIL_FROM);
    case 'notify':
      return createNotifyTransport(
        config.NOTIFY_API_KEY!,
        config.NOTIFY_TEMPLATE_ID!,
        config.NOTIFY_BASE_URL,
      );
    default:
      return createFileTransport(path.join(config.DATA_DIR, 'outbox'), config.EMAIL_FROM);
  }
}
