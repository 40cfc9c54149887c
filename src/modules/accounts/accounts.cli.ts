/**
 * Accounts commands for the `covenant` CLI (wired in src/cli.ts):
 *
 *   covenant create-admin --email E --name N [--password-stdin]
 *   covenant users list [--role R] [--json]
 *
 * Non-interactive by design (scripts and containers): `--password-stdin` reads the password from the first
 * line of standard input; without it a strong random password is generated and printed once. Admins are
 * staff, so a TOTP secret is created too and printed for the authenticator app.
 *
 * Exit codes: 0 done; 1 refused (bad email, weak password, address taken); 2 usage error.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Deps } from '../../container.ts';
import { systemActor } from '../../platform/audit/audit.ts';
import { checkNewPassword } from '../../platform/auth/passwords.ts';
import { generateTotpSecret, otpauthUrl } from '../../platform/auth/totp.ts';
import { randomToken } from '../../platform/auth/tokens.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { emailField } from './accounts.schema.ts';
import { roles, type Role } from './accounts.tables.ts';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream;
}

const CREATE_ADMIN_USAGE =
  'Usage: covenant create-admin --email EMAIL --name "FULL NAME" [--password-stdin]\n';
const USERS_USAGE = 'Usage: covenant users list [--role ROLE] [--json]\n';

async function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

function parse(
  argv: string[],
  options: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch {
    return null;
  }
}

/** `covenant create-admin`: a verified service admin in the Covenant team, with a TOTP secret. */
export async function runCreateAdminCommand(argv: string[], io: CliIo, deps: Deps): Promise<number> {
  const args = parse(argv, {
    email: { type: 'string' },
    name: { type: 'string' },
    'password-stdin': { type: 'boolean' },
  });
  const values = args?.values as { email?: string; name?: string; 'password-stdin'?: boolean } | undefined;
  if (!values?.email || !values.name?.trim()) {
    io.stderr.write(CREATE_ADMIN_USAGE);
    return 2;
  }
  const email = emailField.safeParse(values.email);
  if (!email.success) {
    io.stderr.write(`"${values.email}" is not an email address, like name@example.com.\n`);
    return 1;
  }
  if (await deps.accountsRepository.findUserByEmail(email.data)) {
    io.stderr.write(`An account with the email address ${email.data} already exists.\n`);
    return 1;
  }
  const generated = !values['password-stdin'];
  const password = generated ? randomToken(18) : (await firstLine(io.stdin ?? process.stdin)).trimEnd();
  const problem = checkNewPassword(password, email.data);
  if (problem) {
    const t = translator('en');
    io.stderr.write(`The password was refused: ${t(`accounts.errors.password.${problem}`)}.\n`);
    return 1;
  }
  const team =
    (await deps.accountsRepository.findOrganisationsByKind('covenant_team'))[0] ??
    (await deps.accountsRepository.insertOrganisation({
      slug: 'covenant-team',
      name: 'Covenant team',
      kind: 'covenant_team',
    }));
  const totpSecret = generateTotpSecret();
  await deps.accounts.createAccount(systemActor, {
    email: email.data,
    displayName: values.name.trim(),
    password,
    emailVerified: true,
    totpSecret,
    roles: [{ role: 'admin', organisationId: team.id }],
  });
  io.stdout.write(`Created service admin ${email.data} (${values.name.trim()}) in ${team.name}.\n`);
  if (generated) io.stdout.write(`Password (shown once, store it safely): ${password}\n`);
  io.stdout.write(
    `TOTP secret for an authenticator app: ${totpSecret}\n  ${otpauthUrl(totpSecret, email.data, deps.config.SERVICE_NAME)}\n`,
  );
  return 0;
}

/** `covenant users list`: people with their roles, optionally only those holding one role. */
export async function runUsersCommand(argv: string[], io: CliIo, deps: Deps): Promise<number> {
  const args = parse(argv, { role: { type: 'string' }, json: { type: 'boolean' } });
  const role = args?.values.role as string | undefined;
  if (!args || args.positionals[0] !== 'list' || args.positionals.length > 1) {
    io.stderr.write(USERS_USAGE);
    return 2;
  }
  if (role !== undefined && !(roles as readonly string[]).includes(role)) {
    io.stderr.write(`Unknown role "${role}". Roles: ${roles.join(', ')}.\n`);
    return 2;
  }
  const users = await deps.accountsRepository.listUsersWithRole(role as Role | undefined);
  const memberships = await deps.accountsRepository.membershipsOf(users.map((u) => u.id));
  const rows = users.map((u) => ({
    email: u.email,
    name: u.displayName,
    verified: u.emailVerifiedAt !== null,
    twoFactor: u.totpEnabledAt !== null,
    disabled: u.disabledAt !== null,
    roles: memberships
      .filter((m) => m.userId === u.id)
      .map((m) => ({ role: m.role, organisation: m.organisationName })),
  }));
  if (args.values.json) {
    io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  for (const row of rows) {
    const flags = [
      row.verified ? 'verified' : 'unverified',
      row.twoFactor ? '2FA' : '',
      row.disabled ? 'disabled' : '',
    ]
      .filter(Boolean)
      .join(', ');
    const held = row.roles.map((r) => `${r.role} (${r.organisation})`).join('; ') || 'no roles';
    io.stdout.write(`${row.email}\t${row.name}\t${flags}\t${held}\n`);
  }
  io.stdout.write(`${rows.length} ${rows.length === 1 ? 'person' : 'people'}\n`);
  return 0;
}
