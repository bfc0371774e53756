// Hosting and raids in real Chromium against a real `shimmer serve`. Auto-host: an offline
// channel whose list names a live channel plays it under a banner, and switches to its own
// stream when it goes live. Raids, with two live streams: the streamer
// types `/raid <channel>` in chat; a viewer on the raider's page sees the announcement and is
// taken to the target's page, another chooses to stay; both chats show the raid; the streamer
// stays on their own page. The banner passes the contrast check in both themes. No console
// errors.
//
// Run: cd tests/browser && node --test hosting-raids.test.mjs   (needs target/debug/shimmer)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer,
  startPush,
  launchBrowser,
  collectErrors,
  logIn,
  uniqueName,
  waitFor,
  auditContrast,
} from './harness.mjs';

const PASSWORD = 'correct horse battery';

let browser;
let server;
const pushes = [];
const contexts = [];

before(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
});

after(async () => {
  await Promise.all(contexts.map((context) => context.close().catch(() => {})));
  await Promise.all(pushes.map((push) => push.stop()));
  await browser?.close();
  await server?.cleanup();
});

async function liveStreamer(prefix) {
  const username = uniqueName(prefix);
  await server.createUser({ username, password: PASSWORD });
  pushes.push(await startPush(server, await server.streamKey(username), ['--loop']));
  await waitFor(async () => (await server.run(['channel', 'status', username])).startsWith('live'), {
    timeoutMs: 15_000,
  });
  return username;
}

/** A context on `channel`'s page (signed in as `user` when given), chat connected. */
async function onChannel(channel, { user, theme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: theme });
  contexts.push(context);
  await context.addCookies([{ name: 'shimmer_theme', value: theme, domain: server.host, path: '/' }]);
  const page = await context.newPage();
  const errors = collectErrors(page);
  if (user) await logIn(page, server.baseUrl, user, PASSWORD);
  await page.goto(`${server.baseUrl}/${channel}`);
  await page.waitForSelector('[data-chat][data-chat-state="open"]');
  return { page, errors };
}

test('a raid takes the raider\'s viewers to the target, and a viewer may stay', async () => {
  const [raider, target] = [await liveStreamer('raider'), await liveStreamer('target')];
  const streamer = await onChannel(raider, { user: raider });
  const follower = await onChannel(raider, { theme: 'dark' });
  const stayer = await onChannel(raider);
  const host = await onChannel(target);

  const input = streamer.page.locator('[data-chat-input]');
  await input.fill(`/raid ${target}`);
  await streamer.page.evaluate(() => document.querySelector('[data-chat-form]').requestSubmit());

  // Both viewers see the announcement; one stays, checked for contrast in the dark theme.
  const banner = (page) => page.locator('[data-raid-banner]');
  await banner(follower.page).waitFor({ timeout: 5_000 });
  await banner(stayer.page).waitFor({ timeout: 5_000 });
  assert.match(await banner(follower.page).innerText(), new RegExp(`${raider} is raiding ${target}!`));
  assert.deepEqual((await auditContrast(follower.page)).failures, [], 'the page with the banner meets AA contrast');
  await stayer.page.getByRole('button', { name: 'Stay here' }).click();

  // The follower lands on the target's page within the countdown; the stayer does not move.
  await follower.page.waitForURL(`${server.baseUrl}/${target}`, { timeout: 8_000 });
  await follower.page.waitForFunction(
    () => document.querySelector('.player[data-testid=player]')?.dataset.state === 'playing',
    null,
    { timeout: 15_000 },
  );
  await stayer.page.waitForTimeout(1_000);
  assert.equal(new URL(stayer.page.url()).pathname, `/${raider}`);
  assert.match(await banner(stayer.page).innerText(), /You stayed here/);
  assert.equal(new URL(streamer.page.url()).pathname, `/${raider}`, 'the streamer stays');
  assert.equal(await banner(streamer.page).count(), 0, 'the streamer sees no banner');

  // Both chats announce the raid as system lines.
  const raidLine = (page) => page.locator('[data-chat-log] .chat-system-raid');
  await raidLine(streamer.page).first().waitFor({ timeout: 3_000 });
  assert.match(await raidLine(streamer.page).first().innerText(), new RegExp(`is raiding ${target} with`));
  await raidLine(host.page).first().waitFor({ timeout: 3_000 });
  assert.match(await raidLine(host.page).first().innerText(), new RegExp(`${raider} is raiding with`));

  for (const { errors } of [streamer, follower, stayer, host]) errors.assertNone('no console errors');
});

test('a channel can refuse raids from its chat settings', async () => {
  const owner = uniqueName('quiet');
  await server.createUser({ username: owner, password: PASSWORD });
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await logIn(page, server.baseUrl, owner, PASSWORD);
  await page.goto(`${server.baseUrl}/users/settings/chat`);
  const box = page.getByLabel(/Let other streamers raid this channel/);
  assert.equal(await box.isChecked(), true, 'raids are accepted by default');
  await box.uncheck();
  await page.getByRole('button', { name: 'Save chat settings' }).click();
  await page.goto(`${server.baseUrl}/users/settings/chat`);
  assert.equal(await page.getByLabel(/Let other streamers raid this channel/).isChecked(), false);
});

test('an offline channel plays the live channel it hosts, then its own stream when it goes live', async () => {
  const hosted = await liveStreamer('hosted');
  const owner = uniqueName('host');
  await server.createUser({ username: owner, password: PASSWORD });
  const settings = await browser.newContext();
  contexts.push(settings);
  const ownerPage = await settings.newPage();
  await logIn(ownerPage, server.baseUrl, owner, PASSWORD);
  await ownerPage.goto(`${server.baseUrl}/users/settings/channel`);
  await ownerPage.getByLabel(/^Auto-host/).fill(hosted);
  await ownerPage.getByRole('button', { name: 'Save channel' }).click();
  await ownerPage.waitForURL(/notice=channel_saved/);

  const visitor = await onChannel(owner);
  const state = () => visitor.page.evaluate(() => document.querySelector('.player[data-testid=player]')?.dataset.state);
  assert.match(await visitor.page.locator('[data-testid=host-banner]').innerText(), new RegExp(`is offline and hosting ${hosted}`));
  await waitFor(async () => (await state()) === 'playing', { timeoutMs: 15_000, describe: state });
  assert.equal(await visitor.page.locator('[data-offline-badge]').isVisible(), true, 'the host is still shown offline');
  assert.deepEqual((await auditContrast(visitor.page)).failures, [], 'the hosting page meets AA contrast');

  // The host goes live: the page reloads onto the host's own stream.
  pushes.push(await startPush(server, await server.streamKey(owner), ['--loop']));
  await visitor.page.waitForFunction(
    (name) => document.querySelector('.player[data-testid=player]')?.dataset.channel === name,
    owner,
    { timeout: 20_000 },
  );
  await waitFor(async () => (await state()) === 'playing', { timeoutMs: 15_000, describe: state });
  assert.equal(await visitor.page.locator('[data-testid=host-banner]').count(), 0);
  visitor.errors.assertNone('no console errors');
});
