// Money in the browser, against the Stripe stand-in (`shimmer dev stripe`, a separate process
// the server's real Stripe client talks to, which delivers signed webhooks back): a streamer
// onboards for payouts on the stand-in's pages and sees it ready; a viewer sees why they may not
// pay (unconfirmed email, their own channel, a streamer not set up); a viewer subscribes on the
// hosted checkout and their next chat message carries the subscriber badge, with the "just
// subscribed" line in chat; a donation's line and message appear in the streamer's chat; staff
// (level 5, two-factor) prepare and approve a payday: one transfer per streamer, payables marked
// paid out, and the payout email in the outbox. The money pages pass the contrast audit in both
// themes at 375 and 1280 px. No console errors.
//
// Run: cd tests/browser && node --test payments.test.mjs   (needs target/debug/shimmer and /usr/bin/chromium)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  SHIMMER_BIN,
  startServer,
  launchBrowser,
  collectErrors,
  auditContrast,
  horizontalOverflow,
  freePort,
  logIn,
  uniqueName,
  waitFor,
  listMail,
} from './harness.mjs';

const PASSWORD = 'correct horse battery';
const API_KEY = 'sk_test_browser';
const WEBHOOK_SECRET = 'whsec_browser';

let browser;
let server;
let standin;
let standinUrl;
const contexts = [];

/** Starts `shimmer dev stripe` on a free port; resolves once it listens. */
async function startStandin() {
  const port = await freePort();
  const child = spawn(
    SHIMMER_BIN,
    ['dev', 'stripe', '--bind', `127.0.0.1:${port}`, '--api-key', API_KEY, '--webhook-secret', WEBHOOK_SECRET],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the stand-in did not start: ${output}`)), 10_000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`the stand-in exited (${code}): ${output}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

before(async () => {
  const started = await startStandin();
  standin = started.child;
  standinUrl = started.url;
  [browser, server] = await Promise.all([
    launchBrowser(),
    startServer({
      env: {
        SHIMMER_PAYMENTS__ENABLED: 'true',
        SHIMMER_STRIPE__API_BASE: standinUrl,
        SHIMMER_STRIPE__SECRET_KEY: API_KEY,
        SHIMMER_STRIPE__WEBHOOK_SECRET: WEBHOOK_SECRET,
      },
    }),
  ]);
  const response = await fetch(`${standinUrl}/_standin/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: `${server.baseUrl}/api/webhooks/stripe` }),
  });
  assert.equal(response.status, 204);
});

after(async () => {
  await Promise.all(contexts.map((context) => context.close().catch(() => {})));
  await browser?.close();
  await server?.cleanup();
  if (standin && standin.exitCode === null) {
    const exited = new Promise((resolve) => standin.once('exit', resolve));
    process.kill(standin.pid, 'SIGTERM');
    await exited;
  }
});

async function account(prefix, { level, confirmed = true } = {}) {
  const username = uniqueName(prefix);
  await server.createUser({ username, password: PASSWORD, confirmed });
  if (level) await server.run(['user', 'staff', username, '--level', String(level)]);
  return username;
}

async function person(username) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  context.setDefaultTimeout(8_000);
  const page = await context.newPage();
  // The stand-in's hosted pages are another origin without a favicon; only ours count.
  const errors = collectErrors(page, { ignore: [/favicon/] });
  await logIn(page, server.baseUrl, username, PASSWORD);
  return { page, errors, username };
}

/** Reloads `path` until `text` shows (webhooks arrive a moment after the redirect). */
async function untilShown(page, path, text) {
  await waitFor(
    async () => {
      await page.goto(server.baseUrl + path);
      return (await page.content()).includes(text);
    },
    { timeoutMs: 10_000, intervalMs: 250, describe: () => `${path} never showed ${text}` },
  );
}

async function onboard(streamer) {
  const { page } = streamer;
  await page.goto(`${server.baseUrl}/users/settings/payouts`);
  assert.match(await page.locator('[data-testid="payout-status"]').innerText(), /Not set up/);
  await Promise.all([page.waitForURL(`${standinUrl}/onboarding/**`), page.click('[data-testid="onboard"]')]);
  await Promise.all([
    page.waitForURL(`${server.baseUrl}/users/settings/payouts`),
    page.getByRole('button', { name: 'Finish onboarding' }).click(),
  ]);
  await untilShown(page, '/users/settings/payouts', 'Ready:');
}

async function sendChat(page, text) {
  const input = page.locator('[data-chat-input]');
  await input.waitFor();
  await waitFor(async () => !(await input.isDisabled()), { timeoutMs: 5_000, describe: () => 'chat input stays disabled' });
  await input.fill(text);
  await input.press('Enter');
}

let streamer;
let streamerName;

test('a streamer onboards for payouts and is ready', async () => {
  streamerName = await account('earner');
  streamer = await person(streamerName);
  await onboard(streamer);
  await streamer.page.goto(`${server.baseUrl}/${streamerName}`);
  assert.equal(
    await streamer.page.locator('[data-testid="support-refusal"]').innerText(),
    'This is your own channel.',
  );
  streamer.errors.assertNone('errors while onboarding');
});

test('a viewer sees why they may not pay', async () => {
  const unconfirmed = await person(await account('unconf', { confirmed: false }));
  await unconfirmed.page.goto(`${server.baseUrl}/${streamerName}`);
  assert.match(
    await unconfirmed.page.locator('[data-testid="support-refusal"]').innerText(),
    /Confirm your email address first/,
  );
  // A streamer who has not set up payouts offers nothing to pay.
  const unpaid = await account('unpaid');
  await unconfirmed.page.goto(`${server.baseUrl}/${unpaid}`);
  assert.equal(await unconfirmed.page.locator('[data-testid="support-bar"]').count(), 0);
  // A donation outside the limits is refused by name, and nothing is charged.
  const viewer = await person(await account('picky'));
  await viewer.page.goto(`${server.baseUrl}/${streamerName}`);
  await viewer.page.locator('.donate summary').click();
  await viewer.page.fill('#donation-amount', '1000');
  await viewer.page.click('[data-testid="donate-button"]');
  await viewer.page.getByText('A donation is between $1.00 and $100.00.').waitFor();
  unconfirmed.errors.assertNone('errors on refusals');
});

test('a subscriber badge shows on the next chat message, and donations reach chat', async () => {
  const viewerName = await account('fan');
  const viewer = await person(viewerName);
  await streamer.page.goto(`${server.baseUrl}/${streamerName}`);
  await viewer.page.goto(`${server.baseUrl}/${streamerName}`);
  await Promise.all([
    viewer.page.waitForURL(`${standinUrl}/checkout/**`),
    viewer.page.click('[data-testid="subscribe-button"]'),
  ]);
  assert.match(await viewer.page.locator('#amount').innerText(), /5\.00 USD per month/);
  await Promise.all([
    viewer.page.waitForURL(`${server.baseUrl}/${streamerName}?notice=thanks_subscribed`),
    viewer.page.getByRole('button', { name: 'Pay' }).click(),
  ]);
  await streamer.page.locator('.chat-support-subscribed', { hasText: `${viewerName} just subscribed!` }).waitFor();

  await viewer.page.goto(`${server.baseUrl}/${streamerName}`);
  await viewer.page.locator('[data-testid="subscribed"]').waitFor();
  await sendChat(viewer.page, 'first message as a subscriber');
  const message = streamer.page.locator('[data-chat-log] .chat-message', { hasText: 'first message as a subscriber' });
  await message.locator('.chat-badge-subscriber').waitFor();

  await viewer.page.locator('.donate summary').click();
  await viewer.page.fill('#donation-amount', '7.50');
  await viewer.page.fill('#donation-message', 'for the new microphone');
  await Promise.all([viewer.page.waitForURL(`${standinUrl}/checkout/**`), viewer.page.click('[data-testid="donate-button"]')]);
  await viewer.page.fill('input[name="card"]', '4000 0000 0000 0002');
  await viewer.page.getByRole('button', { name: 'Pay' }).click();
  await viewer.page.getByText('Your card was declined.').waitFor();
  await viewer.page.getByRole('link', { name: 'Try another card' }).click();
  await Promise.all([
    viewer.page.waitForURL(`${server.baseUrl}/${streamerName}?notice=thanks_donated`),
    viewer.page.getByRole('button', { name: 'Pay' }).click(),
  ]);
  const line = streamer.page.locator('.chat-support-donated', { hasText: `${viewerName} just donated $7.50!` });
  await line.waitFor();
  assert.equal(await line.locator('.chat-support-message').innerText(), 'for the new microphone');

  await untilShown(streamer.page, '/users/settings/payouts', '$11.48');
  viewer.errors.assertNone('errors while paying');
  streamer.errors.assertNone('errors on the streamer pages');
});

test('a gift reaches its recipient, and a recipient may opt out', async () => {
  const gifterName = await account('giver');
  const gifter = await person(gifterName);
  const recipientName = await account('lucky');
  const recipient = await person(recipientName);
  await recipient.page.goto(`${server.baseUrl}/${streamerName}`);
  await gifter.page.goto(`${server.baseUrl}/${streamerName}`);
  await gifter.page.getByText('Gift a subscription').click();
  await gifter.page.fill('#gift-recipient', recipientName);
  await Promise.all([gifter.page.waitForURL(`${standinUrl}/checkout/**`), gifter.page.click('[data-testid="gift-button"]')]);
  assert.match(await gifter.page.locator('#item').innerText(), new RegExp(`one month of ${streamerName} for ${recipientName}`));
  await Promise.all([
    gifter.page.waitForURL(`${server.baseUrl}/${streamerName}?notice=thanks_gifted`),
    gifter.page.getByRole('button', { name: 'Pay' }).click(),
  ]);
  await recipient.page
    .locator('.chat-support-gifted', { hasText: `${gifterName} gifted a subscription to ${recipientName}!` })
    .waitFor();
  await sendChat(recipient.page, 'thank you for the gift');
  await recipient.page
    .locator('[data-chat-log] .chat-message', { hasText: 'thank you for the gift' })
    .locator('.chat-badge-subscriber')
    .waitFor();
  await untilShown(recipient.page, '/users/settings/subscriptions', 'Ends at the end of the period');

  // Giving them another month now is refused, and so is a gift to someone who opted out.
  await gifter.page.goto(`${server.baseUrl}/${streamerName}`);
  await gifter.page.getByText('Gift a subscription').click();
  await gifter.page.fill('#gift-recipient', recipientName);
  await gifter.page.click('[data-testid="gift-button"]');
  await gifter.page.getByText(`${recipientName} already subscribes to ${streamerName}.`).waitFor();
  const shyName = await account('shy');
  const shy = await person(shyName);
  await shy.page.goto(`${server.baseUrl}/users/settings/subscriptions`);
  await shy.page.uncheck('[data-testid="accept-gifts"]');
  await Promise.all([shy.page.waitForURL(/notice=gifts_saved/), shy.page.getByRole('button', { name: 'Save' }).click()]);
  await gifter.page.goto(`${server.baseUrl}/${streamerName}`);
  await gifter.page.getByText('Gift a subscription').click();
  await gifter.page.fill('#gift-recipient', shyName);
  await gifter.page.click('[data-testid="gift-button"]');
  await gifter.page.getByText(`${shyName} does not accept gift subscriptions.`).waitFor();
  gifter.errors.assertNone('errors while gifting');
  recipient.errors.assertNone('errors for the recipient');
});

test('staff approve a payday: one transfer per streamer, paid out, emailed', async () => {
  const staff = await person(await account('paymaster', { level: 5 }));
  await staff.page.goto(`${server.baseUrl}/staff/paydays`);
  await Promise.all([
    staff.page.waitForURL(/\/staff\/paydays\/\d+$/),
    staff.page.getByRole('button', { name: 'Prepare a payday now' }).click(),
  ]);
  const row = staff.page.locator(`[data-streamer="${streamerName}"]`);
  assert.match(await row.innerText(), /\$15\.98/);
  await Promise.all([staff.page.waitForURL(/notice=payday_paid/), staff.page.click('[data-testid="approve-payday"]')]);
  assert.match(await row.innerText(), /\tpaid\t/);
  assert.match(await row.innerText(), /tr_standin/);
  const transfers = await (await fetch(`${standinUrl}/_standin/transfers`)).json();
  assert.deepEqual(
    transfers.map((transfer) => transfer.amount),
    [1598],
    'one transfer for the streamer',
  );
  await streamer.page.goto(`${server.baseUrl}/users/settings/payouts`);
  assert.equal(await streamer.page.locator('[data-testid="earnings-paid"]').innerText(), '$15.98');
  assert.equal(await streamer.page.locator('[data-testid="earnings-pending"]').innerText(), '$0.00');
  const mails = await listMail(server.baseUrl);
  assert.ok(
    mails.some((mail) => mail.to.includes(`${streamerName}@`) && mail.subject.includes('payout: $15.98')),
    JSON.stringify(mails.slice(0, 5)),
  );

  // The money pages are readable and fit in both themes at phone and desktop widths.
  const failures = [];
  for (const theme of ['light', 'dark']) {
    for (const who of [staff, streamer]) {
      await who.page.context().addCookies([{ name: 'shimmer_theme', value: theme, domain: server.host, path: '/' }]);
    }
    for (const width of [375, 1280]) {
      const pages = [
        [streamer, '/users/settings/payouts'],
        [streamer, '/users/settings/subscriptions'],
        [staff, '/staff/paydays'],
        [staff, new URL(staff.page.url()).pathname],
      ];
      for (const [who, pagePath] of pages) {
        await who.page.setViewportSize({ width, height: 800 });
        await who.page.goto(server.baseUrl + pagePath);
        const label = `${theme} ${width}px ${pagePath}`;
        const contrast = await auditContrast(who.page);
        failures.push(...contrast.failures.map((failure) => `${label}: ${failure}`));
        const overflow = await horizontalOverflow(who.page);
        if (overflow.overflow > 0) failures.push(`${label}: ${overflow.overflow}px too wide: ${overflow.culprits.join(', ')}`);
      }
    }
  }
  assert.deepEqual(failures, []);
  staff.errors.assertNone('errors on the staff money pages');
});
