// Staff tools in the browser: a manager (staff level 4, two-factor sign-in) finds an account,
// bans it from its staff page with a reason, and the ban reaches everyone at once: the banned
// account's open chat page loses its socket and says why, its messages disappear from another
// viewer's chat, and /staff/audit lists every step. A member (level 2) sees the page without the
// controls, and an edit sent anyway is refused with the reason. The staff pages are readable
// (contrast) and fit (no sideways scrolling) in both themes at 375 and 1280 px. No console errors.
//
// Run: cd tests/browser && node --test staff.test.mjs   (needs target/debug/shimmer and /usr/bin/chromium)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer,
  launchBrowser,
  collectErrors,
  auditContrast,
  horizontalOverflow,
  logIn,
  uniqueName,
} from './harness.mjs';

const PASSWORD = 'correct horse battery';

let browser;
let server;
const contexts = [];

before(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
});

after(async () => {
  await Promise.all(contexts.map((context) => context.close().catch(() => {})));
  await browser?.close();
  await server?.cleanup();
});

/** A fresh confirmed account; staff at `level` when given (set with `shimmer user staff`). */
async function account(prefix, level) {
  const username = uniqueName(prefix);
  await server.createUser({ username, password: PASSWORD });
  if (level) {
    const said = await server.run(['user', 'staff', username, '--level', String(level)]);
    assert.match(said, /-> \d \(/);
  }
  return username;
}

/** A signed-in browser context for `username` (staff enrol two-factor sign-in on the way). */
async function person(username) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  context.setDefaultTimeout(5_000);
  const page = await context.newPage();
  const errors = collectErrors(page);
  await logIn(page, server.baseUrl, username, PASSWORD);
  return { page, errors, username };
}

/** The texts of the messages in a page's chat log. */
function bodies(page) {
  return page.$$eval('[data-chat-log] .chat-message .chat-body', (nodes) => nodes.map((n) => n.textContent));
}

async function say(page, text) {
  const input = page.locator('[data-chat-input]');
  await input.fill(text);
  await input.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-chat-input]').value === '', null, { timeout: 3_000 });
}

test('a manager bans an account: its chat closes, its messages vanish for others, the audit log shows each step', async () => {
  const host = await account('host');
  const breaker = await account('breaker');
  const viewer = await account('viewer');
  const manager = await account('manager', 4);

  const banned = await person(breaker);
  await banned.page.goto(`${server.baseUrl}/${host}`);
  await banned.page.waitForSelector('[data-chat][data-chat-state="open"]');
  const other = await person(viewer);
  await other.page.goto(`${server.baseUrl}/${host}`);
  await other.page.waitForSelector('[data-chat][data-chat-state="open"]');
  await say(banned.page, 'cheap followers at my site');
  await say(other.page, 'hello everyone');
  await other.page.waitForFunction(
    () => document.querySelectorAll('[data-chat-log] .chat-message').length === 2,
    null,
    { timeout: 3_000 },
  );

  // The manager finds the account and bans it from its page.
  const staff = await person(manager);
  await staff.page.goto(`${server.baseUrl}/staff`);
  await staff.page.fill('#q', breaker);
  await Promise.all([staff.page.waitForNavigation(), staff.page.click('form[action="/staff"] button')]);
  await Promise.all([staff.page.waitForNavigation(), staff.page.click(`[data-testid="staff-matches"] a[href="/staff/users/${breaker}"]`)]);
  await staff.page.locator('[data-testid="account-messages"]', { hasText: 'cheap followers at my site' }).waitFor();
  await staff.page.fill('#reason', 'Spam links in chat');
  await Promise.all([staff.page.waitForNavigation(), staff.page.click('[data-testid="ban"]')]);
  assert.match(await staff.page.locator('.notice[role="status"]').innerText(), /recorded in the audit log/);
  assert.match(await staff.page.locator('[data-testid="ban-state"]').innerText(), /Spam links in chat/);

  // The banned account's chat closes and stays closed; the other viewer no longer sees its line.
  await banned.page.waitForSelector('[data-chat][data-chat-state="banned"]', { timeout: 5_000 });
  assert.match(await banned.page.locator('[data-chat]').innerText(), /banned from the platform/);
  assert.equal(await banned.page.locator('[data-chat-input]').isDisabled(), true);
  await other.page.waitForFunction(
    () => ![...document.querySelectorAll('[data-chat-log] .chat-body')].some((n) => n.textContent === 'cheap followers at my site'),
    null,
    { timeout: 3_000 },
  );
  assert.deepEqual(await bodies(other.page), ['hello everyone']);
  assert.equal(await other.page.getAttribute('[data-chat]', 'data-chat-state'), 'open');
  // A while later the banned page has not reconnected.
  await banned.page.waitForTimeout(1_500);
  assert.equal(await banned.page.getAttribute('[data-chat]', 'data-chat-state'), 'banned');

  // Reloading shows the account signed out.
  await banned.page.reload();
  assert.equal(await banned.page.locator('[data-testid="logout"]').count(), 0);

  // The audit log lists the steps, newest first, and searches by account.
  await staff.page.goto(`${server.baseUrl}/staff/audit?target=${breaker}`);
  const actions = await staff.page.$$eval('[data-testid="audit-entry"]', (rows) => rows.map((row) => row.dataset.action));
  assert.deepEqual(actions, [
    'view_account',
    'ban_close_chat',
    'ban_hide_messages',
    'ban_revoke_tokens',
    'ban_end_sessions',
    'ban',
    'view_account',
  ]);
  assert.match(await staff.page.locator('[data-testid="audit-log"]').innerText(), /Spam links in chat/);
  assert.match(await staff.page.locator('[data-action="ban"]').innerText(), new RegExp(manager));

  for (const someone of [banned, other, staff]) someone.errors.assertNone(`errors on ${someone.username}'s page`);
});

test('a member sees an account without controls and an edit sent anyway is refused with the reason', async () => {
  const member = await account('member', 2);
  const manager = await account('boss', 4);
  const them = await person(member);
  await them.page.goto(`${server.baseUrl}/staff/users/${manager}`);
  assert.equal(await them.page.locator('[data-testid="ban"]').count(), 0);
  assert.equal(await them.page.locator(`form[action="/staff/users/${manager}/email"]`).count(), 0);
  assert.match(await them.page.locator('[data-testid="staff-account"]').innerText(), /may look but not act/);

  // A hand-made form, sent as the browser would: refused by the domain, with the reason.
  const [response] = await Promise.all([
    them.page.waitForNavigation(),
    them.page.evaluate((path) => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = path;
      const token = document.querySelector('input[name="_csrf"]').cloneNode();
      const email = Object.assign(document.createElement('input'), { name: 'email', value: 'mine@example.test' });
      form.append(token, email);
      document.body.append(form);
      form.submit();
    }, `/staff/users/${manager}/email`),
  ]);
  assert.equal(response.status(), 403);
  assert.match(await them.page.locator('main').innerText(), /member.*may not edit accounts/s);
  them.errors.assertNone('errors on the member\'s page');
});

test('the staff pages are readable and fit in both themes at 375 and 1280 px', async () => {
  const target = await account('looked');
  const admin = await account('admin', 5);
  const them = await person(admin);
  const failures = [];
  for (const theme of ['light', 'dark']) {
    await them.page.context().addCookies([{ name: 'shimmer_theme', value: theme, domain: server.host, path: '/' }]);
    for (const width of [375, 1280]) {
      await them.page.setViewportSize({ width, height: 800 });
      const pages = [`/staff?q=${target}`, `/staff/users/${target}`, '/staff/audit', `/staff/users/${admin}`];
      for (const pagePath of pages) {
        await them.page.goto(server.baseUrl + pagePath);
        const label = `${theme} ${width}px ${pagePath}`;
        assert.equal(new URL(them.page.url()).pathname, pagePath.split('?')[0], `${label}: signed in as staff`);
        assert.equal(await them.page.evaluate(() => document.documentElement.dataset.theme), theme);
        const contrast = await auditContrast(them.page);
        failures.push(...contrast.failures.map((failure) => `${label}: ${failure}`));
        assert.ok(contrast.checked > 20, `${label}: ${contrast.checked} elements checked`);
        const overflow = await horizontalOverflow(them.page);
        if (overflow.overflow > 0) failures.push(`${label}: ${overflow.overflow}px too wide: ${overflow.culprits.join(', ')}`);
      }
    }
  }
  them.errors.assertNone('errors on the staff pages');
  assert.deepEqual(failures, []);
});
