/**
 * Page objects for the journeys the browser tests take. They find fields by their form names and press the
 * form's own submit button, as a person would, and use the typed paths the app itself uses.
 */
import type { Page } from 'playwright-core';
import { accountPaths } from '../../../src/modules/accounts/accounts.paths.ts';
import { totpCode, TOTP_STEP_SECONDS } from '../../../src/platform/auth/totp.ts';

export interface SignInDetails {
  email: string;
  password: string;
  /** Base32 TOTP secret, for accounts that need a second factor. */
  totpSecret?: string | null;
}

/** Fills the named fields of the form that holds the first of them, then presses its submit button. */
export async function submitForm(page: Page, fields: Record<string, string>): Promise<void> {
  const names = Object.keys(fields);
  const form = names.length
    ? page.locator('main form', { has: page.locator(`[name="${names[0]}"]`) })
    : page.locator('main form').first();
  for (const [name, value] of Object.entries(fields)) await form.locator(`[name="${name}"]`).fill(value);
  // click() waits for the navigation the submit starts; then wait for the new page to load.
  await form.locator('button[type="submit"], button:not([type])').first().click();
  await page.waitForLoadState('load');
}

/** Checks the radio (or checkbox) named `name` with `value`, as a person clicking its label would. */
export async function choose(page: Page, name: string, value: string): Promise<void> {
  await page.locator(`main input[name="${name}"][value="${value}"]`).check();
}

/** Presses the "Continue" button of a question page. */
export async function continueOn(page: Page): Promise<void> {
  await page.locator('main').getByRole('button', { name: 'Continue', exact: true }).click();
  await page.waitForLoadState('load');
}

/**
 * Signs in through the pages, answering the second-factor page with a code from the account's TOTP secret.
 * A code is accepted once, so when the current step's code was used already (the same account signed in
 * moments ago) the next step's code, which the server's drift window accepts, is tried.
 */
export async function signIn(page: Page, baseUrl: string, account: SignInDetails): Promise<void> {
  await page.goto(baseUrl + accountPaths.signIn());
  await submitForm(page, { email: account.email, password: account.password });
  for (const offsetSteps of [0, 1]) {
    if (new URL(page.url()).pathname !== accountPaths.secondFactor()) break;
    if (!account.totpSecret)
      throw new Error(`${account.email} was asked for a second factor but has no secret`);
    const at = new Date(Date.now() + offsetSteps * TOTP_STEP_SECONDS * 1000);
    await submitForm(page, { code: totpCode(account.totpSecret, at) });
  }
  const path = new URL(page.url()).pathname;
  if (path === accountPaths.signIn() || path === accountPaths.secondFactor())
    throw new Error(`Sign-in as ${account.email} did not complete: still on ${page.url()}`);
}

export async function signOut(page: Page): Promise<void> {
  const button = page.locator(`form[action="${accountPaths.signOut()}"] button`);
  await button.click();
  await page.waitForLoadState('load');
}
