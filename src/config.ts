/**
 * Configuration: the only module that reads `process.env`.
 *
 * Every key is declared once in `configKeys` with its documentation, and the README's configuration table is
 * checked against this list by a test (`config.test.ts`). Invalid configuration stops start-up with a message
 * that names the variable and says what is wrong.
 */
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const positiveInt = z.coerce
  .number({ error: 'must be a whole number' })
  .int('must be a whole number')
  .positive('must be more than 0');

/** Each configuration key: its schema and one line of documentation (shown in the README table). */
export const configKeys = {
  NODE_ENV: {
    schema: z.enum(['development', 'test', 'production']).default('development'),
    doc: '`development`, `test` or `production`. Production refuses demo data and requires real secrets.',
  },
  HOST: { schema: z.string().min(1).default('localhost'), doc: 'Interface to listen on.' },
  PORT: {
    schema: z.coerce
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(0, 'must be from 0 to 65535')
      .max(65535, 'must be from 0 to 65535')
      .default(3000),
    doc: 'Port to listen on.',
  },
  BASE_URL: {
    schema: z.url().optional(),
    doc: 'Public address of the service, used in emails and cookies. Defaults to `http://localhost:PORT`.',
  },
  DATABASE_URL: {
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    doc: 'PostgreSQL connection string. Unset: the embedded PGlite database in `DATA_DIR/pg`.',
  },
  DATA_DIR: {
    schema: z.string().min(1).default('data'),
    doc: 'Folder for the embedded database, the email file outbox and uploads.',
  },
  SECRET_KEY: {
    schema: z.string().min(32, 'must be at least 32 characters').optional(),
    doc: 'Secret for signing cookies and tokens. Required in production; a fixed development key is used otherwise.',
  },
  SESSION_IDLE_MINUTES: {
    schema: positiveInt.default(30),
    doc: 'A session ends after this many minutes without a request.',
  },
  SESSION_ABSOLUTE_HOURS: {
    schema: positiveInt.default(12),
    doc: 'A session ends this many hours after sign-in, whatever happens.',
  },
  COOKIE_SECURE: {
    schema: bool.optional(),
    doc: 'Mark cookies `Secure`. Defaults to true unless `BASE_URL` is plain http on a non-loopback host.',
  },
  TRUST_PROXY: {
    schema: bool.default(false),
    doc: 'Trust `X-Forwarded-*` headers from a load balancer (needed for client addresses behind one).',
  },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    doc: 'Log level for the structured JSON logs.',
  },
  METRICS_TOKEN: {
    schema: z.string().min(16, 'must be at least 16 characters').optional(),
    doc: 'Bearer token for `/metrics`. Required in production; open without it in development.',
  },
  BRAND: {
    schema: z.enum(['govuk', 'generic']).default('govuk'),
    doc: '`govuk` for the GOV.UK header (government operators) or `generic` for a non-government operator.',
  },
  SERVICE_NAME: {
    schema: z.string().min(1).default('Covenant Hub'),
    doc: 'Service name shown in the header.',
  },
  DEMO_DATA: {
    schema: z.enum(['auto', 'off']).default('auto'),
    doc: '`auto` loads demo data into an empty database (never in production); `off` never does.',
  },
  DIRECTORY_SEARCH_INDEX: {
    schema: z.enum(['memory', 'sql']).default('memory'),
    doc: '`memory` answers directory searches from an in-memory index kept in step with the database; `sql` always asks PostgreSQL.',
  },
  RUN_WORKER: {
    schema: bool.default(true),
    doc: 'Run the background job worker in this process. Turn off on extra web processes behind a load balancer.',
  },
  EMAIL_TRANSPORT: {
    schema: z.enum(['file', 'smtp', 'notify']).default('file'),
    doc: '`file` writes `.eml` files to `DATA_DIR/outbox`; `smtp` uses `SMTP_URL`; `notify` uses GOV.UK Notify.',
  },
  EMAIL_FROM: {
    schema: z.string().min(3).default('Covenant Hub <no-reply@covenant-hub.local>'),
    doc: 'Sender address for emails.',
  },
  SMTP_URL: {
    schema: z
      .string()
      .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
      .optional(),
    doc: 'SMTP server for `EMAIL_TRANSPORT=smtp`, e.g. `smtp://user:pass@host:587`.',
  },
  NOTIFY_API_KEY: { schema: z.string().min(10).optional(), doc: 'GOV.UK Notify API key.' },
  NOTIFY_TEMPLATE_ID: {
    schema: z.uuid().optional(),
    doc: 'Notify template with `((subject))` and `((body))` placeholders used for every email.',
  },
  NOTIFY_BASE_URL: {
    schema: z.url().optional(),
    doc: 'Override the Notify API address (for testing against a local mock).',
  },
  OIDC_ISSUER: {
    schema: z.url().optional(),
    doc: 'OpenID Connect issuer (e.g. GOV.UK One Login). Unset: the "sign in with" button is hidden.',
  },
  OIDC_CLIENT_ID: { schema: z.string().min(1).optional(), doc: 'OpenID Connect client id.' },
  OIDC_CLIENT_SECRET: {
    schema: z.string().min(1).optional(),
    doc: 'OpenID Connect client secret (client_secret_basic).',
  },
  OIDC_PRIVATE_KEY: {
    schema: z.string().min(1).optional(),
    doc: 'Private key as a JWK (JSON) for `private_key_jwt` client authentication, as GOV.UK One Login requires.',
  },
  OIDC_SCOPES: { schema: z.string().default('openid email'), doc: 'Scopes requested from the provider.' },
  OIDC_NAME: {
    schema: z.string().min(1).default('GOV.UK One Login'),
    doc: 'Provider name shown on the sign-in button.',
  },
  MALWARE_SCAN_COMMAND: {
    // Without {file} the command runs with no path, so it never sees the upload: a scanner that then exits 0
    // (clamdscan scans its working folder) would clear every file unscanned.
    schema: z
      .string()
      .min(1)
      .refine((v) => v.includes('{file}'), {
        message: 'must contain {file} where the file’s path goes, e.g. "clamdscan --no-summary {file}"',
      })
      .optional(),
    doc: 'Command that scans an uploaded evidence file, with `{file}` for its path (e.g. `clamdscan --no-summary {file}`); exit 0 means clean. Unset: no scanning.',
  },
  RATE_LIMIT_FORMS_PER_MINUTE: {
    schema: positiveInt.default(20),
    doc: 'Per client address: how many form submissions that create something are allowed each minute.',
  },
  RATE_LIMIT_SIGN_IN_PER_15_MINUTES: {
    schema: positiveInt.default(30),
    doc: 'Per client address: sign-in and password-reset attempts allowed in 15 minutes.',
  },
  SCORECARD_MIN_COUNT: {
    schema: positiveInt.default(10),
    doc: 'Scorecards show no rate, and no ranking, based on fewer than this many cases (with the reason stated).',
  },
  ANALYSIS_EMBEDDINGS_DIR: {
    schema: z.string().min(1).optional(),
    doc: 'Folder with an ONNX sentence-embedding model (`model.onnx`, `vocab.txt`) for theme runs and suggested codes. Unset: TF-IDF only. Nothing is downloaded.',
  },
} as const;

type Keys = typeof configKeys;
type Raw = { [K in keyof Keys]: z.infer<Keys[K]['schema']> };

export interface Config extends Omit<Raw, 'BASE_URL' | 'SECRET_KEY' | 'COOKIE_SECURE' | 'DATA_DIR'> {
  BASE_URL: string;
  SECRET_KEY: string;
  COOKIE_SECURE: boolean;
  DATA_DIR: string;
  isProduction: boolean;
  isDevelopment: boolean;
  oidcEnabled: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A key that is fine for development and tests only: production must set its own. */
const DEVELOPMENT_SECRET = 'development-only-secret-key-do-not-use-in-production';

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname.startsWith('127.');
}

/**
 * One key, parsed on its own, for commands that need neither the database nor the web app's secrets
 * (`covenant analyse` reads ANALYSIS_EMBEDDINGS_DIR this way). Throws ConfigError when the value is invalid.
 */
export function readConfigKey<K extends keyof Keys>(
  key: K,
  env: Record<string, string | undefined> = process.env,
): Raw[K] {
  const value = env[key] === '' ? undefined : env[key];
  const parsed = configKeys[key].schema.safeParse(value);
  if (!parsed.success)
    throw new ConfigError(
      `Invalid configuration:\n  ${key}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  return parsed.data as Raw[K];
}

/**
 * Reads and validates configuration. Throws ConfigError with one line per problem, each naming the
 * variable, so start-up stops with a message an operator can act on.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const shape = Object.fromEntries(Object.entries(configKeys).map(([k, v]) => [k, v.schema]));
  const input = Object.fromEntries(
    Object.keys(configKeys).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = z.object(shape).safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const key = String(i.path[0]);
      // Say what was given, unless it is a secret.
      const shown = /SECRET|TOKEN|KEY|PASSWORD/.test(key)
        ? ''
        : ` (got "${String(input[key]).slice(0, 80)}")`;
      return `${key}: ${i.message}${shown}`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const raw = parsed.data as Raw;
  const problems: string[] = [];
  const isProduction = raw.NODE_ENV === 'production';
  if (isProduction && !raw.SECRET_KEY) problems.push('SECRET_KEY: is required in production');
  if (isProduction && !raw.METRICS_TOKEN) problems.push('METRICS_TOKEN: is required in production');
  if (raw.EMAIL_TRANSPORT === 'smtp' && !raw.SMTP_URL)
    problems.push('SMTP_URL: is required when EMAIL_TRANSPORT=smtp');
  if (raw.EMAIL_TRANSPORT === 'notify' && (!raw.NOTIFY_API_KEY || !raw.NOTIFY_TEMPLATE_ID))
    problems.push('NOTIFY_API_KEY: and NOTIFY_TEMPLATE_ID are required when EMAIL_TRANSPORT=notify');
  if (raw.OIDC_ISSUER && !raw.OIDC_CLIENT_ID) problems.push('OIDC_CLIENT_ID: is required with OIDC_ISSUER');
  if (raw.OIDC_ISSUER && !raw.OIDC_CLIENT_SECRET && !raw.OIDC_PRIVATE_KEY)
    problems.push('OIDC_CLIENT_SECRET: or OIDC_PRIVATE_KEY is required with OIDC_ISSUER');
  if (raw.OIDC_PRIVATE_KEY) {
    try {
      JSON.parse(raw.OIDC_PRIVATE_KEY);
    } catch {
      problems.push('OIDC_PRIVATE_KEY: must be a JSON Web Key (JSON)');
    }
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);

  const baseUrl = (raw.BASE_URL ?? `http://localhost:${raw.PORT}`).replace(/\/$/, '');
  const url = new URL(baseUrl);
  return {
    ...raw,
    BASE_URL: baseUrl,
    SECRET_KEY: raw.SECRET_KEY ?? DEVELOPMENT_SECRET,
    COOKIE_SECURE: raw.COOKIE_SECURE ?? (url.protocol === 'https:' || isLoopback(url.hostname)),
    DATA_DIR: path.resolve(raw.DATA_DIR),
    isProduction,
    isDevelopment: raw.NODE_ENV === 'development',
    oidcEnabled: Boolean(raw.OIDC_ISSUER && raw.OIDC_CLIENT_ID),
  };
}
