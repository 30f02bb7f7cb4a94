import type { Page } from 'playwright-core';
import { shows } from './web-client';

/**
 * What people do in the web client before the part a browser suite is about, by clicking and
 * typing as they would: a mediator signs up and creates a session, invites from the console, an
 * invitee accepts with a new account, the mediator admits from the lobby.
 */

/** Signs a new mediator up and creates a session with these parties; the page ends on the session, still a draft. */
export async function signUpAndCreateSession(
  page: Page,
  appUrl: string,
  p: { name: string; email: string; password: string; title: string; parties: string[]; coolingOffMinutes: number },
): Promise<string> {
  await page.goto(appUrl);
  await page.getByRole('button', { name: 'No account yet? Create one' }).click();
  await page.getByLabel('Your name').fill(p.name);
  await page.getByLabel('E-mail').fill(p.email);
  await page.getByLabel('Password').fill(p.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByLabel('Title').fill(p.title);
  await page.getByLabel('Parties (one per line)').fill(p.parties.join('\n'));
  await page.getByLabel(/Cooling-off/).fill(String(p.coolingOffMinutes));
  await page.getByRole('button', { name: 'Create session' }).click();
  await shows(page.getByRole('heading', { name: p.title }));
  return page.url();
}

/** Invitations made by inviteFromConsole without a name, numbered per page (the console requires a name). */
const unnamed = new WeakMap<Page, number>();

/**
 * Makes an invitation link from the mediator's console and returns it on `appUrl` (the link's host
 * is PUBLIC_URL; the path is what the client routes). The console requires the person's name: `name`
 * when given, else "Invitee N" (N counting this page's invitations made so).
 */
export async function inviteFromConsole(
  mediator: Page,
  appUrl: string,
  p: { name?: string; role: string; party?: string; head?: boolean },
): Promise<string> {
  const n = (unnamed.get(mediator) ?? 0) + (p.name ? 0 : 1);
  unnamed.set(mediator, n);
  await mediator.getByLabel('Name of the person').fill(p.name ?? `Invitee ${n}`);
  await mediator.getByLabel('Role', { exact: true }).selectOption({ label: p.role });
  if (p.party) await mediator.getByLabel('Delegation', { exact: true }).selectOption({ label: p.party });
  if (p.party) await mediator.getByRole('checkbox', { name: 'Head of delegation' }).setChecked(p.head ?? false);
  const before = await mediator.getByTestId('invitation-link').count();
  await mediator.getByRole('button', { name: 'Create invitation link' }).click();
  await mediator.getByTestId('invitation-link').nth(before).waitFor();
  // Newest first.
  const url = new URL(await mediator.getByTestId('invitation-link').first().inputValue());
  return `${appUrl}${url.pathname}`;
}

/** Opens an invitation and accepts it with a new account (`expect` checks what the page says it is for). */
export async function acceptWithNewAccount(
  page: Page,
  link: string,
  p: { name: string; email: string; password: string; expect: string[]; timeoutMs?: number },
): Promise<void> {
  await page.goto(link);
  for (const fact of p.expect) await shows(page.locator('dl.facts'), fact, p.timeoutMs);
  await page.getByLabel('Your name').fill(p.name);
  await page.getByLabel('E-mail').fill(p.email);
  await page.getByLabel('Password').fill(p.password);
  await page.getByRole('button', { name: 'Accept the invitation' }).click();
}

/** The mediator admits someone waiting in the lobby to a room. */
export async function admitFromLobby(mediator: Page, name: string, room: string): Promise<void> {
  await mediator.getByLabel(`Room for ${name}`).selectOption({ label: room });
  await mediator.getByRole('button', { name: `Admit — ${name}` }).click();
}
