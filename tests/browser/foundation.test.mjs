// Foundation browser tests: accounts, email confirmation, stream keys, restart persistence,
// bad input, themes, WCAG AA contrast, phone-width layout and console cleanliness.
//
// Run: cd tests/browser && npm ci && npm test   (needs target/debug/shimmer and /usr/bin/chromium)
// Set SHIMMER_SCREENSHOTS=/tmp/some-dir to also save screenshots of every page/theme/width.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  startServer,
  launchBrowser,
  collectErrors,
  auditContrast,
  horizontalOverflow,
  logIn,
} from './harness.mjs';

const PASSWORD = 'correct horse battery';
const SCREENSHOTS = process.env.SHIMMER_SCREENSHOTS;
const KEY_FORMAT = /^\d+-[A-Za-z0-9_-]{64}$/;

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Start a server for one test and make sure it is stopped (by PID) and removed afterwards. */
async function serverFor(t, options) {
  const server = await startServer(options);
  t.after(async () => {
    if (t.passed === false) t.diagnostic(`server log:\n${server.log()}`);
    await server.cleanup();
  });
  return server;
}

/**
 * Assets that are planned but not written yet (the WebRTC player): ignored only while the
 * server under test really answers 404 for them, so the check tightens by itself once they exist.
 */
async function missingPlannedAssets(t, baseUrl) {
  const missing = [];
  for (const asset of ['/static/js/player.js', '/static/css/player.css']) {
    const response = await fetch(baseUrl + asset);
    if (response.status === 404) missing.push(baseUrl + asset);
  }
  if (missing.length) t.diagnostic(`ignoring 404s for not-yet-written assets: ${missing.join(', ')}`);
  return missing;
}

async function submit(page, selector) {
  const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  return response;
}

async function register(page, baseUrl, { username, email, password = PASSWORD }) {
  await page.goto(`${baseUrl}/users/register`);
  await page.fill('#username', username);
  await page.fill('#email', email);
  await page.fill('#password', password);
  return submit(page, 'form[action="/users/register"] button[type="submit"]');
}

/** Open the confirmation link from the dev mailbox in the browser and press the button. */
async function confirmThroughMailbox(page, baseUrl, email) {
  await page.goto(`${baseUrl}/dev/mailbox`);
  const item = page.locator('.mail-list li', { has: page.locator('.mail-to', { hasText: `to ${email}` }) }).first();
  assert.equal(await item.count(), 1, `the mailbox names the recipient ${email}`);
  await Promise.all([page.waitForNavigation(), item.locator('a').first().click()]);
  const link = page.locator('.mail-body a[href*="/users/confirm/"]');
  await assert.doesNotReject(link.waitFor({ timeout: 2_000 }), 'the mail has a confirmation link');
  const href = await link.getAttribute('href');
  await Promise.all([page.waitForNavigation(), link.click()]);
  assert.equal(page.url(), new URL(href, baseUrl).href);
  assert.equal(await page.getByRole('button', { name: 'Confirm my email' }).count(), 1);
  const response = await submit(page, 'form[action^="/users/confirm/"] button[type="submit"]');
  return { href: new URL(href, baseUrl).href, response };
}

test('sign up, confirm, log in, show/copy/rotate the stream key, log out', async (t) => {
  const server = await serverFor(t);
  const { baseUrl } = server;
  const context = await browser.newContext();
  t.after(() => context.close());
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  const errors = collectErrors(context);
  const page = await context.newPage();

  const response = await register(page, baseUrl, { username: 'Alice', email: 'alice@example.test' });
  assert.ok(response.status() < 400, `registration answered ${response.status()}`);
  await assert.doesNotReject(page.getByText(/You are signed in/).first().waitFor({ timeout: 2_000 }));
  await assert.doesNotReject(page.getByTestId('logout').waitFor({ timeout: 2_000 }), 'signing up signs in');

  // The harness's mailbox reader sees the same link the browser is about to click.
  const mail = await server.mailLinks('alice@example.test', { subject: /confirm/i });
  const { href, response: confirmed } = await confirmThroughMailbox(page, baseUrl, 'alice@example.test');
  assert.ok(mail.links.includes(href), `mailbox helper found ${mail.links}, page had ${href}`);
  assert.ok(confirmed.status() < 400, `confirmation answered ${confirmed.status()}`);
  assert.match(await page.locator('main').innerText(), /confirmed/i);

  // Log out, then in again by username (another case than the one registered), with "remember me".
  await submit(page, '[data-testid="logout"]');
  await logIn(page, baseUrl, 'alice', PASSWORD, { remember: true });
  await assert.doesNotReject(page.getByTestId('logout').waitFor({ timeout: 2_000 }), 'logged in');
  const cookies = await context.cookies(baseUrl);
  const session = cookies.find((cookie) => cookie.httpOnly && cookie.expires > Date.now() / 1000);
  assert.ok(session, `a persistent HttpOnly session cookie: ${JSON.stringify(cookies)}`);
  assert.equal(session.sameSite, 'Lax');

  // Show the key.
  await page.goto(`${baseUrl}/users/settings/stream`);
  // The test command names the FTL port (not the default 8084 this server does not use) and
  // loops the clip, so the test stream lasts as long as one wants to look at it.
  const hint = await page.getByTestId('push-hint').locator('code').first().innerText();
  assert.match(hint, new RegExp(`^shimmer push --server \\S+:${server.ftlPort} --key YOUR_KEY .* --loop$`), hint);
  const key = page.getByTestId('stream-key');
  const toggle = page.locator('[data-toggle-key="stream-key"]');
  assert.equal(await key.getAttribute('type'), 'password');
  await toggle.click();
  assert.equal(await key.getAttribute('type'), 'text');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  assert.equal(await toggle.innerText(), 'Hide');
  const shown = await key.inputValue();
  assert.equal(shown, await server.streamKey('alice'));
  assert.match(shown, KEY_FORMAT);
  await toggle.click();
  assert.equal(await key.getAttribute('type'), 'password');

  // Copy it with the Clipboard API.
  await page.locator('[data-copy="stream-key"]').click();
  await assert.doesNotReject(
    page.locator('[data-copy-status="stream-key"]', { hasText: /copied/i }).waitFor({ timeout: 2_000 }),
  );
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), shown);

  // Rotate it.
  await submit(page, '[data-testid="rotate-key"]');
  const rotated = await page.getByTestId('stream-key').inputValue();
  assert.notEqual(rotated, shown);
  assert.match(rotated, KEY_FORMAT);
  assert.equal(rotated.split('-')[0], shown.split('-')[0], 'the channel id part stays');
  assert.equal(rotated, await server.streamKey('alice'));

  // Log out: the settings now send us to the log-in page.
  await submit(page, '[data-testid="logout"]');
  assert.equal(await page.getByTestId('logout').count(), 0);
  await page.goto(`${baseUrl}/users/settings/stream`);
  assert.equal(new URL(page.url()).pathname, '/users/login');
  assert.equal(await page.getByTestId('stream-key').count(), 0);

  errors.assertNone('console or network errors during the journey');
});

test('copying the key works without the Clipboard API', async (t) => {
  const server = await serverFor(t);
  const { baseUrl } = server;
  await server.createUser({ username: 'dora', email: 'dora@example.test', password: PASSWORD });
  const key = await server.streamKey('dora');

  const context = await browser.newContext();
  t.after(() => context.close());
  await context.addInitScript(() => {
    delete Navigator.prototype.clipboard;
    delete navigator.clipboard;
  });
  const errors = collectErrors(context);
  const page = await context.newPage();
  await logIn(page, baseUrl, 'dora@example.test', PASSWORD);
  await page.goto(`${baseUrl}/users/settings/stream`);
  assert.equal(await page.evaluate(() => 'clipboard' in navigator), false, 'no Clipboard API');

  await page.locator('[data-copy="stream-key"]').click();
  const status = page.locator('[data-copy-status="stream-key"]');
  await assert.doesNotReject(status.filter({ hasText: /\S/ }).waitFor({ timeout: 2_000 }));
  const text = await status.innerText();
  const selection = await page.evaluate(() => {
    const input = document.getElementById('stream-key');
    return input.value.slice(input.selectionStart, input.selectionEnd);
  });
  assert.ok(
    /copied/i.test(text) || (selection === key && /copy/i.test(text)),
    `status "${text}", selected "${selection}"`,
  );

  // When the fallback says it copied, the clipboard really holds the key: read it from a second
  // context that has the Clipboard API (headless Chromium shares one clipboard per browser).
  t.diagnostic(`fallback copy status: "${text}"`);
  if (/copied/i.test(text)) {
    const reader = await browser.newContext();
    t.after(() => reader.close());
    await reader.grantPermissions(['clipboard-read'], { origin: baseUrl });
    const readerPage = await reader.newPage();
    await readerPage.goto(`${baseUrl}/healthz`);
    assert.equal(await readerPage.evaluate(() => navigator.clipboard.readText()), key);
  }
  errors.assertNone('console or network errors with the copy fallback');
});

test('a restart on the same data keeps the account, its session and its key', async (t) => {
  const first = await startServer();
  let second;
  t.after(async () => {
    if (t.passed === false) t.diagnostic(`logs:\n${first.log()}\n---\n${second?.log() ?? ''}`);
    await second?.stop();
    await first.cleanup();
  });
  const { baseUrl } = first;
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();

  await register(page, baseUrl, { username: 'erin', email: 'Erin@Example.test' });
  await confirmThroughMailbox(page, baseUrl, 'Erin@Example.test');
  await submit(page, '[data-testid="logout"]');
  await logIn(page, baseUrl, 'erin', PASSWORD, { remember: true });
  await page.goto(`${baseUrl}/users/settings/stream`);
  const key = await page.getByTestId('stream-key').inputValue();

  await first.stop();
  assert.equal(first.exited().code, 0, 'a graceful stop on SIGTERM');
  second = await startServer({ dataDir: first.dataDir, port: first.port });
  assert.equal(second.baseUrl, baseUrl);

  // The DB-backed session survives the restart.
  await page.goto(`${baseUrl}/users/settings/stream`);
  assert.equal(new URL(page.url()).pathname, '/users/settings/stream');
  assert.equal(await page.getByTestId('stream-key').inputValue(), key);

  // And the account still logs in, here by email in another case.
  await submit(page, '[data-testid="logout"]');
  await logIn(page, baseUrl, 'erin@example.TEST', PASSWORD);
  await assert.doesNotReject(page.getByTestId('logout').waitFor({ timeout: 2_000 }));
  await page.goto(`${baseUrl}/users/settings/stream`);
  assert.equal(await page.getByTestId('stream-key').inputValue(), key);
  await page.goto(`${baseUrl}/users/settings/security`);
  assert.match(await page.locator('main').innerText(), /\(confirmed\)/);
});

test('bad input gets clear messages and keeps what was typed', async (t) => {
  const server = await serverFor(t);
  const { baseUrl } = server;
  await server.createUser({ username: 'Carol', email: 'carol@example.test', password: PASSWORD });
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();

  await t.test('invalid username', async () => {
    for (const username of ['ab', 'bad..name', '_lead', 'spaces here', 'settings', 'admin', 'Admin']) {
      const response = await register(page, baseUrl, { username, email: 'new@example.test' });
      assert.ok(response.status() >= 400 && response.status() < 500, `${username}: ${response.status()}`);
      const message = page.locator('#username ~ #username-error');
      assert.equal(await message.count(), 1, `${username}: an error right after the username field`);
      assert.ok((await message.innerText()).trim().length > 5);
      assert.equal(await page.locator('#email').inputValue(), 'new@example.test', 'email kept');
      assert.equal(await page.locator('#username').inputValue(), username, 'username kept');
      assert.equal(await page.locator('#password').inputValue(), '', 'password not echoed');
    }
    // A reserved name is refused with names one may take instead.
    await register(page, baseUrl, { username: 'admin', email: 'new@example.test' });
    assert.match(await page.locator('#username-error').innerText(), /reserved.*Pick a name of your own, for example admin_live or theadmin/s);
    assert.equal(await page.getByTestId('logout').count(), 0, 'no account was made');
  });

  await t.test('duplicate username and email in another case', async () => {
    let response = await register(page, baseUrl, { username: 'cAROL', email: 'other@example.test' });
    assert.equal(response.status() >= 400 && response.status() < 500, true);
    assert.match(await page.locator('#username-error').innerText(), /already taken/i);
    assert.equal(await page.locator('#email').inputValue(), 'other@example.test');

    response = await register(page, baseUrl, { username: 'carol2', email: 'CAROL@example.TEST' });
    assert.equal(response.status() >= 400 && response.status() < 500, true);
    const text = await page.locator('main').innerText();
    assert.match(text, /already exists/i);
    assert.equal(await page.locator('#username').inputValue(), 'carol2');
  });

  await t.test('wrong password', async () => {
    await page.goto(`${baseUrl}/users/login`);
    await page.fill('#login', 'carol');
    await page.fill('#password', 'not the password');
    const response = await submit(page, 'form[action="/users/login"] button[type="submit"]');
    assert.ok(response.status() >= 400 && response.status() < 500, `status ${response.status()}`);
    const alert = page.getByRole('alert');
    assert.match(await alert.first().innerText(), /incorrect username, email or password/i);
    assert.equal(await page.locator('#login').inputValue(), 'carol');
    assert.equal(await page.getByTestId('logout').count(), 0);
  });

  await t.test('reused confirmation link', async () => {
    await register(page, baseUrl, { username: 'frank', email: 'frank@example.test' });
    const { href } = await confirmThroughMailbox(page, baseUrl, 'frank@example.test');
    await page.goto(href);
    const button = page.locator('form[action^="/users/confirm/"] button[type="submit"]');
    let response = null;
    if (await button.count()) response = await submit(page, 'form[action^="/users/confirm/"] button[type="submit"]');
    assert.match(await page.locator('main').innerText(), /already been used or has expired/i);
    if (response) assert.ok(response.status() >= 400 && response.status() < 500, `status ${response.status()}`);
  });
});

// ---------------------------------------------------------------------------------------------
// Themes, contrast, layout and console cleanliness

const WIDTHS = [375, 1280];
const THEMES = ['light', 'dark'];

/** The pages to audit, as [name, path or action], for a visitor and for a logged-in user. */
function pages(username, ownUsername) {
  const anon = [
    ['home', '/'],
    ['register', '/users/register'],
    [
      'register-errors',
      async (page, baseUrl) => {
        await register(page, baseUrl, { username: 'x', email: 'nope', password: 'short' });
      },
    ],
    ['login', '/users/login'],
    [
      'login-error',
      async (page, baseUrl) => {
        await page.goto(`${baseUrl}/users/login`);
        await page.fill('#login', 'nobody');
        await page.fill('#password', 'wrong password');
        await submit(page, 'form[action="/users/login"] button[type="submit"]');
      },
    ],
    ['reset-password', '/users/reset-password'],
    ['channel', `/${username}`],
    ['not-found', '/no/such/page'],
  ];
  const user = [
    ['settings-profile', '/users/settings/profile'],
    ['settings-channel', '/users/settings/channel'],
    ['settings-stream', '/users/settings/stream'],
    ['settings-security', '/users/settings/security'],
    ['channel-owner', `/${ownUsername}`],
    ['home-user', '/'],
  ];
  return { anon, user };
}

async function visit(page, baseUrl, target) {
  if (typeof target === 'function') await target(page, baseUrl);
  else await page.goto(baseUrl + target);
}

test('every page is readable (WCAG AA) in both themes, fits a phone, and logs no errors', async (t) => {
  const server = await serverFor(t);
  const { baseUrl } = server;
  // One confirmed streamer with a channel on the home page, one unconfirmed (its settings show
  // the "confirm your email" warnings, so those colours are checked too).
  await server.createUser({ username: 'grace', email: 'grace@example.test', password: PASSWORD });
  await server.createUser({ username: 'heidi', email: 'heidi@example.test', password: PASSWORD, confirmed: false });
  const ignore = await missingPlannedAssets(t, baseUrl);
  const host = new URL(baseUrl).hostname;
  if (SCREENSHOTS) await mkdir(SCREENSHOTS, { recursive: true });

  // Log in once and reuse the session in every context (log-in attempts are rate-limited).
  const loginContext = await browser.newContext();
  const loginPage = await loginContext.newPage();
  await logIn(loginPage, baseUrl, 'heidi', PASSWORD);
  const userState = await loginContext.storageState();
  await loginContext.close();

  const { anon, user } = pages('grace', 'heidi');
  const failures = [];
  for (const theme of THEMES) {
    for (const width of WIDTHS) {
      for (const [who, list, state] of [['visitor', anon], ['user', user, userState]]) {
        // The system colour scheme matches the theme, so pages that fall back to "Auto" (see the
        // error-page test below) are still audited in the intended colours.
        const context = await browser.newContext({
          viewport: { width, height: 800 },
          colorScheme: theme,
          storageState: state,
        });
        await context.addCookies([{ name: 'shimmer_theme', value: theme, domain: host, path: '/' }]);
        const errors = collectErrors(context, { ignore });
        const page = await context.newPage();
        for (const [name, target] of list) {
          const label = `${name} (${who}, ${theme}, ${width}px)`;
          await visit(page, baseUrl, target);
          if (who === 'user' && new URL(page.url()).pathname === '/users/login') {
            failures.push(`${label}: sent to the log-in page`);
          }
          const applied = await page.evaluate(() => document.documentElement.dataset.theme);
          if (applied !== theme && !name.startsWith('not-found')) failures.push(`${label}: data-theme is ${applied}`);
          const contrast = await auditContrast(page);
          if (contrast.checked < 3) failures.push(`${label}: only ${contrast.checked} text elements found`);
          for (const failure of contrast.failures) failures.push(`${label}: contrast ${failure}`);
          for (const warning of contrast.warnings) t.diagnostic(`${label}: ${warning}`);
          if (width < 400) {
            const { overflow, culprits } = await horizontalOverflow(page);
            if (overflow > 0) failures.push(`${label}: ${overflow}px horizontal overflow (${culprits.join(', ')})`);
          }
          for (const error of errors.errors) failures.push(`${label}: ${error}`);
          errors.clear();
          if (SCREENSHOTS) {
            await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${theme}-${width}.png`), fullPage: true });
          }
        }
        await context.close();
      }
    }
  }
  assert.deepEqual(failures, []);
});

test('"Auto" follows the system colour scheme and stays readable', async (t) => {
  const server = await serverFor(t);
  const { baseUrl } = server;
  await server.createUser({ username: 'ivan', email: 'ivan@example.test', password: PASSWORD });
  const ignore = await missingPlannedAssets(t, baseUrl);
  const failures = [];
  for (const colorScheme of ['light', 'dark']) {
    const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 800 } });
    const errors = collectErrors(context, { ignore });
    const page = await context.newPage();
    for (const target of ['/', '/users/login', '/ivan', '/missing-page']) {
      await page.goto(baseUrl + target);
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const dark = background === 'rgb(18, 17, 24)';
      if (dark !== (colorScheme === 'dark')) failures.push(`${target} (${colorScheme}): background ${background}`);
      for (const failure of (await auditContrast(page)).failures) failures.push(`${target} (auto, ${colorScheme}): ${failure}`);
    }
    for (const error of errors.errors) failures.push(error);
    await context.close();
  }
  assert.deepEqual(failures, []);
});

test('the theme buttons switch the theme and a visitor keeps it across reloads', async (t) => {
  const server = await serverFor(t);
  const { baseUrl } = server;
  const context = await browser.newContext({ colorScheme: 'light' });
  t.after(() => context.close());
  const errors = collectErrors(context);
  const page = await context.newPage();
  const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  await page.goto(`${baseUrl}/users/login`);
  const lightBackground = await background();
  await submit(page, '.theme-switch button[value="dark"]');
  assert.equal(new URL(page.url()).pathname, '/users/login', 'back on the same page');
  assert.equal(await theme(), 'dark');
  assert.notEqual(await background(), lightBackground);
  assert.equal(await page.locator('.theme-switch button[value="dark"]').getAttribute('aria-pressed'), 'true');

  await page.reload();
  assert.equal(await theme(), 'dark', 'kept across a reload');
  await page.goto(`${baseUrl}/users/register`);
  assert.equal(await theme(), 'dark', 'kept on other pages');
  const cookie = (await context.cookies(baseUrl)).find((c) => c.name === 'shimmer_theme');
  assert.equal(cookie?.value, 'dark');
  assert.ok(cookie.expires > Date.now() / 1000 + 86_400, 'a lasting cookie, not a session one');

  await submit(page, '.theme-switch button[value="light"]');
  await page.reload();
  assert.equal(await theme(), 'light');
  assert.equal(await background(), lightBackground);
  errors.assertNone();
});

test('a theme chosen on one device reaches the same account\'s other signed-in sessions', async (t) => {
  const server = await serverFor(t);
  const { baseUrl } = server;
  await server.createUser({ username: 'tamsin', password: PASSWORD });
  const laptop = await browser.newContext({ colorScheme: 'light' });
  const phone = await browser.newContext({ colorScheme: 'light' });
  t.after(() => Promise.all([laptop.close(), phone.close()]));
  const [onLaptop, onPhone] = [await laptop.newPage(), await phone.newPage()];
  await logIn(onLaptop, baseUrl, 'tamsin', PASSWORD);
  await logIn(onPhone, baseUrl, 'tamsin', PASSWORD);
  const theme = (page) => page.evaluate(() => document.documentElement.dataset.theme);
  await onPhone.goto(`${baseUrl}/`);
  assert.equal(await theme(onPhone), 'system');

  await onLaptop.goto(`${baseUrl}/`);
  await submit(onLaptop, '.theme-switch button[value="dark"]');
  assert.equal(await theme(onLaptop), 'dark');
  // The phone, signed in before, follows on its next page, and keeps it in its own cookie.
  await onPhone.reload();
  assert.equal(await theme(onPhone), 'dark', 'the saved theme wins over the old cookie');
  const cookie = (await phone.cookies(baseUrl)).find((c) => c.name === 'shimmer_theme');
  assert.equal(cookie?.value, 'dark');
  // A visitor's theme is their own.
  const visitor = await browser.newPage();
  t.after(() => visitor.close());
  await visitor.goto(`${baseUrl}/`);
  assert.equal(await theme(visitor), 'system');
});

test(
  'error pages honour the chosen theme',
  async (t) => {
    const server = await serverFor(t);
    const context = await browser.newContext({ colorScheme: 'light' });
    t.after(() => context.close());
    const host = new URL(server.baseUrl).hostname;
    await context.addCookies([{ name: 'shimmer_theme', value: 'dark', domain: host, path: '/' }]);
    const page = await context.newPage();
    const response = await page.goto(`${server.baseUrl}/no/such/page`);
    assert.equal(response.status(), 404);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    // A missing page is not an error of the reader's: its message reads in the body colour.
    const colours = await page.evaluate(() => ({
      message: getComputedStyle(document.querySelector('[data-status]')).color,
      body: getComputedStyle(document.body).color,
    }));
    assert.equal(colours.message, colours.body, 'the 404 message is not in error red');
  },
);
