// The channel page people come back to, in real Chromium against a live stream: about panels
// the streamer writes in Settings (checked, ordered, rendered safely, nobody else's to change);
// theatre mode, picture-in-picture, keyboard shortcuts and their help; the phone layout with the
// player held at the top; the chatter card a name opens (public facts for everyone, standing,
// history and one-click actions for moderators, limited per reader); the dashboard chart's time
// and value labels; the chat mounting after the player's first frame; and the page's weight and
// first paint budget.
//
// Run: cd tests/browser && node --test channel-page.test.mjs   (needs target/debug/shimmer)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  auditContrast,
  collectErrors,
  horizontalOverflow,
  launchBrowser,
  logIn,
  startPush,
  startServer,
  testMedia,
  uniqueName,
  waitFor,
} from './harness.mjs';

const PASSWORD = 'correct horse battery';

let browser;
let server;
let push;
let streamer;
let channelId;
const contexts = [];

async function account(prefix) {
  const username = uniqueName(prefix);
  const id = Number(await server.createUser({ username, password: PASSWORD }));
  return { username, id };
}

/** A browser context for `user` (signed out when null) on `pagePath`. */
async function visit(user, pagePath, { width = 1280, height = 800, theme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme: theme });
  contexts.push(context);
  context.setDefaultTimeout(5_000);
  await context.addCookies([{ name: 'shimmer_theme', value: theme, domain: server.host, path: '/' }]);
  const page = await context.newPage();
  const errors = collectErrors(page);
  if (user) await logIn(page, server.baseUrl, user.username, PASSWORD);
  if (pagePath) await page.goto(server.baseUrl + pagePath);
  return { context, page, errors };
}

async function playing(page) {
  await page.waitForFunction(() => window.__shimmerPlayer?.state === 'playing', null, { timeout: 10_000 });
}

async function say(page, text) {
  const input = page.locator('[data-chat-input]');
  await input.fill(text);
  await input.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-chat-input]').value === '');
}

function messageRow(page, text) {
  return page.locator('[data-chat-log] .chat-message').filter({ has: page.locator('.chat-body', { hasText: text }) });
}

/** The card API as the page's own session sees it. */
function card(page, username) {
  return page.evaluate(async ([id, name]) => {
    const response = await fetch(`/api/channels/${id}/chatters/${name}`);
    return { status: response.status, body: await response.json() };
  }, [channelId, username]);
}

before(async () => {
  const [, started, launched] = await Promise.all([testMedia(), startServer(), launchBrowser()]);
  server = started;
  browser = launched;
  streamer = await account('streamer');
  const key = await server.streamKey(streamer.username);
  push = await startPush(server, key, ['--loop']);
  const probe = await visit(null, `/${streamer.username}`);
  channelId = Number(await probe.page.locator('article.channel').getAttribute('data-channel-id'));
  await playing(probe.page);
  await probe.context.close();
});

after(async () => {
  await Promise.all(contexts.map((context) => context.close().catch(() => {})));
  await push?.stop();
  await browser?.close();
  await server?.cleanup();
});

test('about panels: the streamer writes them, everyone reads them safely, nobody else changes them', async () => {
  const s = await visit(streamer, '/users/settings/panels');
  const nav = s.page.getByRole('navigation', { name: 'Settings' });
  assert.equal(await nav.getByRole('group', { name: 'Channel' }).locator('[aria-current="page"]').innerText(), 'About panels');
  const save = () => Promise.all([s.page.waitForNavigation(), s.page.getByRole('button', { name: 'Save panels' }).click()]);

  // A text without a title, then a title and a text over their limits, are refused by name,
  // and what was typed stays.
  await s.page.fill('#body_0', 'Mondays and Thursdays');
  const [noTitle] = await save();
  assert.equal(noTitle.status(), 422);
  assert.equal(await s.page.locator('#title_0-error').innerText(), 'Give panel 1 a title, such as Schedule or Rules.');
  assert.equal(await s.page.inputValue('#body_0'), 'Mondays and Thursdays');
  await s.page.evaluate(() => document.querySelectorAll('[maxlength]').forEach((field) => field.removeAttribute('maxlength')));
  await s.page.fill('#title_0', 'S'.repeat(61));
  await s.page.fill('#body_0', 'x'.repeat(2001));
  const [tooLong] = await save();
  assert.equal(tooLong.status(), 422);
  assert.equal(await s.page.locator('#title_0-error').innerText(), "Panel 1's title is 61 characters long; it can be at most 60.");
  assert.equal(await s.page.locator('#body_0-error').innerText(), "Panel 1's text is 2001 characters long; it can be at most 2000.");
  assert.equal(await s.page.locator('#title_0').getAttribute('aria-invalid'), 'true');

  // Markdown with HTML typed into it, a good link and a script link.
  await s.page.fill('#title_0', 'Schedule');
  await s.page.fill('#body_0', '**Mondays** 18:00 UTC\n\n<script>window.__owned = 1</script> <img src=x onerror="window.__owned = 2">\n\n[my site](https://example.com) [bad](javascript:window.__owned=3)');
  await save();
  assert.match(await s.page.locator('.notice').innerText(), /about panels are saved/);
  // A second panel asks for the first place.
  await s.page.fill('#title_1', 'Rules');
  await s.page.fill('#body_1', '1. Be kind\n2. No spoilers');
  await s.page.fill('#position_1', '1');
  await save();
  assert.deepEqual(await s.page.locator('[data-testid="panel-slot"] legend').allInnerTexts(), ['Panel 1', 'Panel 2', 'New panel']);
  assert.equal(await s.page.inputValue('#title_0'), 'Rules');
  s.errors.assertNone('no errors in settings');

  // A visitor sees both, in order, with the HTML shown as text and only the web link a link.
  const v = await visit(null, `/${streamer.username}`);
  const panels = v.page.getByTestId('about-panel');
  assert.deepEqual(await panels.locator('h2').allInnerTexts(), ['Rules', 'Schedule']);
  const schedule = panels.nth(1);
  assert.match(await schedule.innerText(), /<script>window.__owned = 1<\/script>/);
  assert.equal(await schedule.locator('strong').innerText(), 'Mondays');
  assert.equal(await schedule.locator('script, img, [onerror]').count(), 0);
  assert.equal(await schedule.locator('a[href]').count(), 1);
  assert.equal(await schedule.locator('a[href]').getAttribute('href'), 'https://example.com');
  assert.equal(await schedule.locator('a[href]').getAttribute('rel'), 'nofollow ugc noopener');
  assert.equal(await panels.nth(0).locator('ol li').count(), 2);
  assert.equal(await v.page.evaluate(() => window.__owned), undefined);
  v.errors.assertNone('no errors for the visitor');

  // Signed out, a form sent anyway changes nothing; another account's form changes only its own
  // channel (the page edits the signed-in account's channel and no other).
  const csrf = await v.page.locator('input[name="_csrf"]').first().inputValue().catch(() => '');
  const anonymous = await v.page.request.post(`${server.baseUrl}/users/settings/panels`, {
    form: { _csrf: csrf, title_0: 'Hacked', body_0: 'by a visitor' },
    maxRedirects: 0,
  });
  assert.ok([302, 303, 401, 403].includes(anonymous.status()), `signed out: ${anonymous.status()}`);
  const other = await account('other');
  const o = await visit(other, '/users/settings/panels');
  await o.page.fill('#title_0', 'Mine');
  await o.page.fill('#body_0', 'My own panel');
  await Promise.all([o.page.waitForNavigation(), o.page.getByRole('button', { name: 'Save panels' }).click()]);
  await v.page.reload();
  assert.deepEqual(await v.page.getByTestId('about-panel').locator('h2').allInnerTexts(), ['Rules', 'Schedule']);
  await o.page.goto(`${server.baseUrl}/${other.username}`);
  assert.deepEqual(await o.page.getByTestId('about-panel').locator('h2').allInnerTexts(), ['Mine']);

  // Removing one keeps the other.
  await s.page.check('input[name="remove_0"]');
  await save();
  await v.page.reload();
  assert.deepEqual(await v.page.getByTestId('about-panel').locator('h2').allInnerTexts(), ['Schedule']);
});

test('theatre mode, picture-in-picture, keyboard shortcuts and their help', async () => {
  const viewer = await account('watcher');
  const w = await visit(viewer, `/${streamer.username}`);
  const { page } = w;
  await playing(page);
  const layout = page.locator('.channel-layout');
  const video = () => page.evaluate(() => ({ paused: window.__shimmerPlayer.video.paused, muted: window.__shimmerPlayer.video.muted }));
  // A key pressed with nothing focused (a focused button takes space for itself).
  const key = async (name) => {
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press(name);
  };

  // Picture-in-picture: a button exactly where the browser offers it.
  const offered = await page.evaluate(() => document.pictureInPictureEnabled === true);
  assert.equal(await page.getByTestId('player-pip').count(), offered ? 1 : 0);
  if (offered) {
    await page.getByTestId('player-pip').click();
    await page.waitForFunction(() => document.pictureInPictureElement === window.__shimmerPlayer.video);
    assert.equal(await page.getByTestId('player-pip').getAttribute('aria-pressed'), 'true');
    await page.getByTestId('player-pip').click();
    await page.waitForFunction(() => document.pictureInPictureElement === null);
  }

  // t: theatre mode widens the player, and is remembered.
  const before = (await page.locator('.player').boundingBox()).width;
  await key('t');
  assert.equal(await layout.getAttribute('data-theatre'), 'on');
  assert.equal(await page.getByTestId('player-theatre').getAttribute('aria-pressed'), 'true');
  const wide = (await page.locator('.player').boundingBox()).width;
  assert.ok(wide > before + 20, `theatre is wider: ${before} → ${wide}`);
  const chat = await page.locator('.channel-chat').boundingBox();
  assert.ok(chat.x >= (await page.locator('.player').boundingBox()).x + wide - 1, 'chat beside the player');
  await page.reload();
  await playing(page);
  assert.equal(await layout.getAttribute('data-theatre'), 'on', 'remembered after a reload');
  await page.getByTestId('player-theatre').click();
  assert.equal(await layout.getAttribute('data-theatre'), 'off');

  // space pauses and plays, m mutes, f goes full screen and back.
  await key(' ');
  assert.equal((await video()).paused, true);
  // The status follows the video's `pause` event, which comes a task after the pause.
  await page.waitForFunction(() => document.querySelector('.player-status').innerText === 'Paused');
  await key(' ');
  await page.waitForFunction(() => !window.__shimmerPlayer.video.paused);
  const muted = (await video()).muted;
  await key('m');
  assert.equal((await video()).muted, !muted);
  await key('f');
  await page.waitForFunction(() => document.fullscreenElement?.classList.contains('player'));
  await key('f');
  await page.waitForFunction(() => document.fullscreenElement === null);

  // Typing in the chat never triggers them.
  const input = page.locator('[data-chat-input]');
  await input.click();
  await input.pressSequentially('tmf ?');
  assert.equal(await input.inputValue(), 'tmf ?');
  assert.equal(await layout.getAttribute('data-theatre'), 'off');
  assert.equal((await video()).paused, false);
  assert.equal((await video()).muted, !muted);
  assert.equal(await page.getByTestId('shortcuts-help').count(), 0);
  await input.fill('');

  // ? opens the list, Esc closes it; the link beside Pop out chat opens it too.
  await key('?');
  const help = page.getByTestId('shortcuts-help');
  await help.waitFor();
  assert.equal(await help.getByRole('heading').innerText(), 'Keyboard shortcuts');
  assert.deepEqual(await help.locator('kbd').allInnerTexts(), ['Space', 'M', 'F', 'T', '?', 'Esc']);
  assert.deepEqual((await auditContrast(page)).failures, [], 'the help reads well');
  await page.keyboard.press('t');
  assert.equal(await layout.getAttribute('data-theatre'), 'off', 'no shortcut behind the open help');
  await page.keyboard.press('Escape');
  assert.equal(await help.isVisible(), false);
  await page.getByTestId('shortcuts-button').click();
  assert.equal(await help.isVisible(), true);
  await help.getByRole('button', { name: 'Close' }).click();
  assert.equal(await help.isVisible(), false);
  w.errors.assertNone('no errors while watching');
});

test('on a phone the player stays at the top and the chat fills the screen below it', async () => {
  for (const theme of ['light', 'dark']) {
    const p = await visit(null, `/${streamer.username}`, { width: 375, height: 740, theme });
    const { page } = p;
    await playing(page);
    await page.evaluate(() => window.scrollTo(0, document.querySelector('.player').getBoundingClientRect().top + window.scrollY));
    const player = await page.locator('.player').boundingBox();
    const chat = await page.locator('.channel-chat .chat').boundingBox();
    assert.ok(Math.abs(player.y) < 1 && player.width >= 374, `player at the top, full width: ${JSON.stringify(player)}`);
    assert.ok(chat.y >= player.y + player.height - 1, 'chat below the player');
    assert.ok(chat.y + chat.height <= 740 + 1 && chat.y + chat.height >= 740 - 40, `chat fills the rest: ${JSON.stringify(chat)}`);
    assert.ok(await page.locator('.channel-title').evaluate((title) => title.getBoundingClientRect().top) > chat.y + chat.height - 1, 'the title comes after the chat');
    // Scrolling on to the title and panels keeps the player in view.
    await page.evaluate(() => window.scrollBy(0, 400));
    assert.ok(Math.abs((await page.locator('.player').boundingBox()).y) < 1, 'the player stays at the top');
    assert.equal(await page.getByTestId('player-theatre').isVisible(), false, 'no theatre mode on a phone');
    assert.equal((await horizontalOverflow(page)).overflow, 0);
    assert.deepEqual((await auditContrast(page)).failures, [], `phone ${theme}`);
    p.errors.assertNone('no errors on a phone');
  }
});

test('a chatter card: public facts for everyone, standing, history and one-click actions for moderators', async () => {
  const moderator = await account('mod');
  const target = await account('chatter');
  const viewer = await account('reader');
  // The streamer names a moderator who may time out, ban and unban.
  const s = await visit(streamer, '/users/settings/moderators');
  await s.page.fill('#mod-username', moderator.username);
  for (const permission of ['short_timeout', 'long_timeout', 'ban', 'unban', 'delete']) {
    await s.page.setChecked(`.moderator-form input[name="${permission}"]`, true);
  }
  await Promise.all([s.page.waitForNavigation(), s.page.click('form[action="/users/settings/moderators"] button[type="submit"]')]);

  const t = await visit(target, `/${streamer.username}`);
  await Promise.all([t.page.waitForResponse((r) => r.url().endsWith('/follow')), t.page.getByTestId('follow-button').click()]);
  await t.page.waitForSelector('[data-chat][data-chat-state="open"]');
  await say(t.page, 'hello from the chatter');

  // A viewer's card: avatar slot, account age, follow date and no moderation part.
  const v = await visit(viewer, `/${streamer.username}`);
  await messageRow(v.page, 'hello from the chatter').locator('button.chat-name').click();
  const viewerCard = v.page.locator('[data-chat-menu][role="dialog"]');
  await viewerCard.locator('[data-card-follow]').waitFor();
  assert.match(await viewerCard.locator('[data-card-created]').innerText(), /^Account made .+ \(today\)$/);
  assert.match(await viewerCard.locator('[data-card-follow]').innerText(), /^Following since .+ \(today\)$/);
  assert.equal(await viewerCard.locator('.chat-card-profile').getAttribute('href'), `/${target.username}/profile`);
  assert.equal(await viewerCard.locator('[data-card-standing], [data-card-history]').count(), 0);
  assert.equal(await viewerCard.locator('.chat-menu-action').count(), 0);
  await v.page.keyboard.press('Escape');
  assert.equal(await v.page.locator('[data-chat-menu]').count(), 0, 'Esc closes the card');
  const asViewer = await card(v.page, target.username);
  assert.equal(asViewer.status, 200);
  assert.equal(asViewer.body.moderation, null, 'a viewer never sees the history');
  assert.equal(typeof asViewer.body.followed_at, 'number');

  // Signed out: the public fields.
  const anonymous = await visit(null, `/${streamer.username}`);
  const asVisitor = await card(anonymous.page, target.username);
  assert.equal(asVisitor.status, 200);
  assert.equal(asVisitor.body.moderation, null);
  assert.equal(asVisitor.body.username, target.username);
  const streamerCard = await card(anonymous.page, streamer.username);
  assert.deepEqual(streamerCard.body.badges, ['streamer']);
  assert.equal((await card(anonymous.page, 'nobody-by-this-name')).status, 404);

  // The moderator's card: a clean standing, no history yet, and Ban in one click.
  const m = await visit(moderator, `/${streamer.username}`);
  await m.page.waitForSelector('[data-chat][data-chat-state="open"]');
  await messageRow(m.page, 'hello from the chatter').locator('button.chat-name').click();
  const modCard = m.page.locator('[data-chat-menu]');
  await modCard.locator('[data-card-standing]').waitFor();
  assert.equal(await modCard.getAttribute('aria-label'), `Moderate ${target.username}`);
  assert.equal(await modCard.locator('[data-card-standing]').innerText(), 'Not banned or timed out here');
  assert.equal(await modCard.locator('.chat-card-history-title').innerText(), 'No moderation history here');
  assert.deepEqual(await modCard.locator('.chat-menu-action').allInnerTexts(), ['Time out 5 min', 'Time out 15 min', 'Ban', 'Delete this message']);
  assert.deepEqual((await auditContrast(m.page)).failures, [], 'the card reads well');
  await modCard.getByRole('button', { name: 'Ban' }).click();
  await m.page.locator('[data-chat-notice]', { hasText: `${target.username} was banned` }).waitFor();
  let asModerator = await card(m.page, target.username);
  assert.equal(asModerator.body.moderation.banned, true);
  assert.deepEqual(asModerator.body.moderation.history.map((step) => [step.action, step.moderator]), [['ban', moderator.username]]);

  // Unbanned (the chat's own command), the chatter speaks again; the card now shows the
  // history, and a timeout in one click shows as the standing.
  await say(m.page, `/unban ${target.username}`);
  await t.page.reload();
  await t.page.waitForSelector('[data-chat][data-chat-state="open"]');
  await say(t.page, 'back again');
  await messageRow(m.page, 'back again').locator('button.chat-name').click();
  await modCard.locator('[data-card-history]').waitFor();
  assert.deepEqual(await modCard.locator('[data-card-history] li').evaluateAll((items) => items.map((item) => item.textContent.split(',')[0])), [
    `Unbanned by ${moderator.username}`,
    `Banned by ${moderator.username}`,
  ]);
  await modCard.getByRole('button', { name: 'Time out 5 min' }).click();
  await m.page.locator('[data-chat-notice]', { hasText: `${target.username} was timed out for 5 minutes` }).waitFor();
  asModerator = await card(m.page, target.username);
  assert.ok(asModerator.body.moderation.timed_out_until > Date.now() + 4 * 60_000);
  assert.equal(asModerator.body.moderation.history[0].action, 'short_timeout');
  // The streamer sees the same; the viewer still sees none of it.
  assert.equal((await card(s.page, target.username)).body.moderation.history.length, 3);
  assert.equal((await card(v.page, target.username)).body.moderation, null);

  // Many cards at once are refused for a while, with a Retry-After.
  const statuses = await anonymous.page.evaluate(async ([id, name]) => {
    const answers = [];
    for (let i = 0; i < 40; i += 1) {
      const response = await fetch(`/api/channels/${id}/chatters/${name}`);
      answers.push([response.status, response.headers.get('retry-after')]);
    }
    return answers;
  }, [channelId, target.username]);
  const refused = statuses.filter(([status]) => status === 429);
  assert.ok(statuses.slice(0, 20).every(([status]) => status === 200), `a burst is fine: ${JSON.stringify(statuses)}`);
  assert.ok(refused.length > 0, `then some are refused: ${JSON.stringify(statuses)}`);
  assert.ok(refused.every(([, retry]) => Number(retry) >= 1));
  for (const person of [v, m, t]) person.errors.assertNone('no errors around the card');
});

test('the dashboard chart labels its time and value axes', async () => {
  // A stream's per-minute samples are taken once a minute; an earlier stream of two hours,
  // from 18:07 UTC yesterday, is written straight into the database.
  const day = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000;
  const start = day + 18 * 3_600_000 + 7 * 60_000;
  const rows = [];
  for (let minute = 0; minute <= 115; minute += 1) {
    rows.push(`((SELECT max(id) FROM streams WHERE channel_id = ${channelId} AND title = 'An evening of tests'), ${start + minute * 60_000}, ${minute % 40}, ${2_000_000 + minute * 10_000})`);
  }
  const { stdout } = await promisify(execFile)('sqlite3', [
    path.join(server.dataDir, 'shimmer.db'),
    '.timeout 5000',
    `INSERT INTO streams (channel_id, title, started_at, ended_at, end_reason) VALUES (${channelId}, 'An evening of tests', ${start}, ${start + 115 * 60_000}, 'ended');`,
    `INSERT INTO stream_minutes (stream_id, minute_at, viewers, bitrate) VALUES ${rows.join(', ')};`,
    `SELECT max(id) FROM streams WHERE channel_id = ${channelId} AND title = 'An evening of tests';`,
  ]);
  const streamId = Number(stdout.trim());
  for (const theme of ['light', 'dark']) {
    const s = await visit(streamer, `/users/settings/dashboard?stream=${streamId}`, { theme });
    const chart = s.page.getByTestId('viewer-chart');
    await chart.waitFor();
    assert.deepEqual(await chart.getByTestId('chart-time-tick').allTextContents(), ['18:30', '19:00', '19:30', '20:00']);
    assert.deepEqual(await chart.getByTestId('chart-viewer-tick').allTextContents(), ['10', '20', '29', '39']);
    assert.deepEqual(await chart.getByTestId('chart-bitrate-tick').allTextContents(), ['788k', '1575k', '2363k', '3150k']);
    assert.match(await chart.textContent(), /Time \(UTC\)/);
    // Marks sit in time order along the axis.
    const xs = await chart.getByTestId('chart-time-tick').evaluateAll((ticks) => ticks.map((tick) => Number(tick.getAttribute('x'))));
    assert.ok(xs.every((x, i) => i === 0 || x > xs[i - 1]), `${xs}`);
    assert.deepEqual((await auditContrast(s.page)).failures, [], `dashboard ${theme}`);
    s.errors.assertNone('no errors on the dashboard');
  }
});

/** Runs in the page first: page times of its first peer connection, chat socket and frame. */
function watchStartOrder() {
  window.__startOrder = { pc: null, socket: null, socketUrl: null, frame: null };
  const NativePeer = window.RTCPeerConnection;
  window.RTCPeerConnection = function (...args) {
    window.__startOrder.pc ??= performance.now();
    return new NativePeer(...args);
  };
  window.RTCPeerConnection.prototype = NativePeer.prototype;
  const NativeSocket = window.WebSocket;
  window.WebSocket = function (...args) {
    if (window.__startOrder.socket === null) {
      window.__startOrder.socket = performance.now();
      window.__startOrder.socketUrl = String(args[0]);
    }
    return new NativeSocket(...args);
  };
  window.WebSocket.prototype = NativeSocket.prototype;
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  document.addEventListener('loadeddata', () => {
    window.__startOrder.frame ??= performance.now();
  }, true);
}

test("the chat mounts after the player's first frame, and at once when the player cannot play", async () => {
  // Live: the chat's socket opens only once the first frame is decoded (or when the player has
  // been at it for the 1 s the page waits at most), so it never competes with the player's start.
  const live = await visit(null, null);
  await live.context.addInitScript(watchStartOrder);
  await live.page.goto(`${server.baseUrl}/${streamer.username}`);
  await live.page.waitForFunction(() => window.__startOrder.socket !== null && window.__startOrder.frame !== null, null, { timeout: 10_000 });
  const order = await live.page.evaluate(() => window.__startOrder);
  assert.match(order.socketUrl, /chat/);
  assert.ok(
    order.socket >= order.frame || order.socket - order.pc >= 900,
    `the chat opened its socket ${Math.round(order.frame - order.socket)} ms before the first frame`,
  );
  await playing(live.page);
  await live.context.close();

  // A player that cannot start lets the chat mount at once, not after the wait.
  const failing = await visit(null, null);
  await failing.context.addInitScript(watchStartOrder);
  await failing.context.route('**/api/whep/**', (route) => route.abort());
  await failing.page.goto(`${server.baseUrl}/${streamer.username}`);
  await failing.page.waitForFunction(() => window.__startOrder.socket !== null, null, { timeout: 5_000 });
  const refused = await failing.page.evaluate(() => window.__startOrder);
  assert.equal(refused.frame, null);
  assert.ok(refused.socket - refused.pc < 900, `the chat waited ${Math.round(refused.socket - refused.pc)} ms for a player that had failed`);
  await failing.page.locator('[data-chat-log]').waitFor();
  await failing.context.close();
});

test('a live channel page stays within its weight and first-paint budget', async (t) => {
  // The earlier tests' pages (each playing the stream) are closed, so they do not share the
  // machine with the pages measured; the first load warms the server.
  await Promise.all(contexts.splice(0).map((context) => context.close().catch(() => {})));
  const warm = await visit(null, `/${streamer.username}`);
  await warm.context.close();
  const loads = [];
  for (let run = 0; run < 3; run += 1) {
    const { context, page, errors } = await visit(null);
    await page.goto(`${server.baseUrl}/${streamer.username}`, { waitUntil: 'load' });
    await playing(page);
    loads.push(await page.evaluate(() => {
      const resources = performance.getEntriesByType('resource').filter((entry) => /\.(js|css)(\?|$)/.test(new URL(entry.name).pathname));
      const paint = performance.getEntriesByType('paint').find((entry) => entry.name === 'first-contentful-paint');
      return {
        files: resources.map((entry) => [new URL(entry.name).pathname, entry.decodedBodySize]),
        decoded: resources.reduce((sum, entry) => sum + entry.decodedBodySize, 0),
        transferred: resources.reduce((sum, entry) => sum + entry.transferSize, 0),
        firstContentfulPaint: paint?.startTime ?? null,
      };
    }));
    errors.assertNone('no errors');
    await context.close();
  }
  const [figures] = loads;
  const paints = loads.map((load) => load.firstContentfulPaint);
  const median = [...paints].sort((a, b) => a - b)[1];
  t.diagnostic(`channel page: ${figures.files.length} JS and CSS files, ${figures.decoded} bytes decoded, ${figures.transferred} transferred; first contentful paint ${paints.map((p) => p?.toFixed(0)).join(', ')} ms (median ${median?.toFixed(0)})`);
  assert.ok(figures.files.some(([name]) => name.endsWith('/chat.js')), 'the chat is counted');
  assert.ok(figures.decoded < 150 * 1024, `JS and CSS ${figures.decoded} bytes: ${JSON.stringify(figures.files)}`);
  // Scripts and styles go out gzipped (~30 % of their size, plus headers).
  assert.ok(figures.transferred < 60 * 1024, `JS and CSS transferred ${figures.transferred} bytes`);
  assert.ok(paints.every((paint) => paint !== null), 'every load painted');
  assert.ok(median < 500, `first contentful paint ${paints} ms`);
});
