// Chat browser tests: real `shimmer serve`, real Chromium contexts for each person (streamer,
// viewer, moderator, target, visitor), talking through the chat WebSocket.
//
// Covers: delivery both ways (timed), history on join, visitors read without an input,
// moderation from the chat (timeout by a moderator with timeout-only permissions, ban by the
// streamer), unban from the moderation page, deleting one message, the moderation log, the
// account-age and verified-email rules, XSS in messages, links only for http(s), the pop-out
// and its transparent variant, contrast and 375 px layout in both themes, reconnecting after a
// server restart, and a chat that fails to load leaving the player alone. No console errors.
//
// Run: cd tests/browser && npm test   (needs target/debug/shimmer and /usr/bin/chromium)
// Set SHIMMER_SCREENSHOTS=/tmp/some-dir to also save screenshots of the chat at 375/1280 px.

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
  uniqueName,
} from './harness.mjs';

const PASSWORD = 'correct horse battery';
const SCREENSHOTS = process.env.SHIMMER_SCREENSHOTS;
/** Delivery budget for one message between two browsers on one node (the goal is 100 ms). */
const DELIVERY_BUDGET_MS = 1_000;

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

/** A fresh account on the shared server. */
async function account(prefix, options = {}) {
  const username = uniqueName(prefix);
  const id = Number(await server.createUser({ username, password: PASSWORD, ...options }));
  return { username, id };
}

/**
 * A browser context for one person (logged in unless `user` is null) with the chat of `channel`
 * open and connected. Console errors, uncaught exceptions and failed requests are collected and
 * checked by `assertClean`.
 */
async function openChat(channel, user, { path: pagePath, theme, viewport, waitOpen = true } = {}) {
  const context = await browser.newContext({
    viewport: viewport ?? { width: 1280, height: 800 },
    colorScheme: theme ?? 'light',
  });
  contexts.push(context);
  context.setDefaultTimeout(5_000);
  if (theme) {
    await context.addCookies([{ name: 'shimmer_theme', value: theme, domain: server.host, path: '/' }]);
  }
  const page = await context.newPage();
  const errors = collectErrors(page);
  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  if (user) await logIn(page, server.baseUrl, user.username, PASSWORD);
  await page.goto(server.baseUrl + (pagePath ?? `/${channel.username}`));
  if (waitOpen) await page.waitForSelector('[data-chat][data-chat-state="open"]', { timeout: 5_000 });
  return { context, page, errors, dialogs, user };
}

/**
 * Takes the place of the server's chat socket on `page`: call before the page loads; `opened`
 * resolves when the page connects, and `push(frame)` sends it a frame.
 */
async function scriptedChatSocket(page) {
  let socket;
  let connect;
  const connected = new Promise((resolve) => { connect = resolve; });
  await page.routeWebSocket(/\/chat\/\d+\/socket$/, (ws) => {
    socket = ws;
    connect();
  });
  return {
    opened: () => connected,
    push: (frame) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
  };
}

function assertClean(...people) {
  for (const person of people) person.errors.assertNone(`errors on ${person.user?.username ?? 'visitor'}'s page`);
  for (const person of people) assert.deepEqual(person.dialogs, [], 'no dialog opened');
}

/** The texts of the messages in a page's chat log, in order. */
function bodies(page) {
  return page.$$eval('[data-chat-log] .chat-message .chat-body', (nodes) => nodes.map((n) => n.textContent));
}

/** Waits (up to 3 s) until the page's chat log shows exactly these message bodies, then asserts it. */
async function expectBodies(page, expected, message) {
  await page
    .waitForFunction(
      (wanted) =>
        JSON.stringify(
          [...document.querySelectorAll('[data-chat-log] .chat-message .chat-body')].map((n) => n.textContent),
        ) === wanted,
      JSON.stringify(expected),
      { timeout: 3_000 },
    )
    .catch(() => {});
  assert.deepEqual(await bodies(page), expected, message);
}

/** Waits until a message with exactly this body is (or is no longer) in the page's chat log. */
async function waitForMessage(page, text, { present = true, timeout = 3_000 } = {}) {
  await page.waitForFunction(
    ([wanted, shouldBe]) =>
      [...document.querySelectorAll('[data-chat-log] .chat-message .chat-body')].some(
        (node) => node.textContent === wanted,
      ) === shouldBe,
    [text, present],
    { timeout },
  );
}

function messageRow(page, text) {
  return page.locator('[data-chat-log] .chat-message').filter({
    has: page.locator('.chat-body', { hasText: text }),
  });
}

/** Types a message and sends it with Enter; resolves once the server answered (input cleared or refusal). */
async function say(page, text) {
  const input = page.locator('[data-chat-input]');
  await input.fill(text);
  await input.press('Enter');
  await page.waitForFunction(
    () => {
      const input = document.querySelector('[data-chat-input]');
      const refusal = document.querySelector('[data-chat-refusal]');
      return input.value === '' || (refusal && !refusal.hidden);
    },
    null,
    { timeout: 3_000 },
  );
}

/** Sends from `sender` and measures until `receiver` shows the message (both clocks are this machine's). */
async function timedDelivery(sender, receiver, text) {
  await receiver.page.evaluate((wanted) => {
    window.__chatSeen = new Promise((resolve) => {
      const log = document.querySelector('[data-chat-log]');
      const check = () => {
        const found = [...log.querySelectorAll('.chat-body')].some((node) => node.textContent === wanted);
        if (found) {
          observer.disconnect();
          resolve(Date.now());
        }
      };
      const observer = new MutationObserver(check);
      observer.observe(log, { childList: true, subtree: true });
    });
  }, text);
  const sentAt = await sender.page.evaluate((value) => {
    const input = document.querySelector('[data-chat-input]');
    input.value = value;
    const at = Date.now();
    document.querySelector('[data-chat-form]').requestSubmit();
    return at;
  }, text);
  const seenAt = await receiver.page.evaluate(
    () => Promise.race([window.__chatSeen, new Promise((resolve) => setTimeout(() => resolve(null), 5_000))]),
  );
  assert.ok(seenAt !== null, `"${text}" reached ${receiver.user?.username ?? 'the visitor'}`);
  return seenAt - sentAt;
}

async function submitAndWait(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

async function chatSettings(page, { minAge = 0, verifiedEmail = false, links = true, blockLinks = false } = {}) {
  await page.goto(`${server.baseUrl}/users/settings/chat`);
  await page.fill('#min_account_age_hours', String(minAge));
  await page.fill('#slow_mode_seconds', '0');
  await page.setChecked('input[name="require_verified_email"]', verifiedEmail);
  await page.setChecked('input[name="links_clickable"]', links);
  await page.setChecked('input[name="block_links"]', blockLinks);
  await submitAndWait(page, 'form[action="/users/settings/chat"] button[type="submit"]');
  assert.match(await page.locator('.notice').innerText(), /chat settings are saved/i);
}

// ---------------------------------------------------------------------------------------------

test('streamer and viewer chat both ways within a second; history on join; visitors read only', async (t) => {
  const streamer = await account('streamer');
  const viewer = await account('viewer');
  const s = await openChat(streamer, streamer);
  const v = await openChat(streamer, viewer);

  const toViewer = await timedDelivery(s, v, 'hello from the streamer');
  const toStreamer = await timedDelivery(v, s, 'hi back from a viewer');
  const again = await timedDelivery(s, v, 'second round');
  for (const [label, ms] of [['streamer→viewer', toViewer], ['viewer→streamer', toStreamer], ['again', again]]) {
    assert.ok(ms >= 0 && ms < DELIVERY_BUDGET_MS, `${label} delivery took ${ms} ms`);
  }
  t.diagnostic(`delivery: streamer→viewer ${toViewer} ms, viewer→streamer ${toStreamer} ms, again ${again} ms`);
  await waitForMessage(s.page, 'second round');
  const chatSoFar = ['hello from the streamer', 'hi back from a viewer', 'second round'];
  await expectBodies(s.page, chatSoFar);
  await expectBodies(v.page, chatSoFar, 'both see the same chat, once each');
  // Accepted messages leave the input empty.
  assert.equal(await s.page.inputValue('[data-chat-input]'), '');

  // Badges: the streamer's messages carry the streamer badge, the viewer's none.
  const streamerRow = messageRow(v.page, 'hello from the streamer');
  assert.equal(await streamerRow.locator('.chat-badge-streamer').innerText(), 'STREAMER');
  assert.equal(await streamerRow.locator('.chat-name').innerText(), streamer.username);
  assert.equal(await messageRow(v.page, 'hi back from a viewer').locator('.chat-badge').count(), 0);
  // A viewer has no moderation controls: no delete buttons, and a name's menu offers only a
  // report to the staff team.
  assert.equal(await v.page.locator('[data-chat-log] .chat-delete').count(), 0);
  await streamerRow.locator('button.chat-name').click();
  assert.equal(await v.page.locator('[data-chat-menu] .chat-menu-action').count(), 0);
  assert.equal(await v.page.locator('[data-chat-menu] .chat-menu-report').count(), 1);
  await v.page.locator('[data-chat-menu] .chat-menu-close').click();
  // The streamer may act on the viewer but not on themselves.
  assert.equal(await messageRow(s.page, 'hi back from a viewer').locator('button.chat-name').count(), 1);
  assert.equal(await messageRow(s.page, 'hello from the streamer').locator('button.chat-name').count(), 0);

  // A visitor who arrives later gets the history, sees new messages, and has no input.
  const visitor = await openChat(streamer, null);
  await expectBodies(visitor.page, chatSoFar);
  assert.equal(await visitor.page.locator('[data-chat-input]').count(), 0);
  assert.match(await visitor.page.locator('.chat-login').innerText(), /Log in.*to chat/);
  const toVisitor = await timedDelivery(v, visitor, 'visitors can read this');
  assert.ok(toVisitor < DELIVERY_BUDGET_MS, `viewer→visitor delivery took ${toVisitor} ms`);

  // Timestamps follow the viewer's toggle and are remembered across a reload.
  const time = v.page.locator('.chat-message .chat-time').first();
  assert.equal(await time.isVisible(), false, 'timestamps start hidden');
  await v.page.click('[data-chat-timestamps]');
  assert.equal(await time.isVisible(), true);
  assert.match(await time.innerText(), /\d{1,2}:\d{2}/);
  await v.page.reload();
  await v.page.waitForSelector('[data-chat][data-chat-state="open"]');
  assert.equal(await v.page.getAttribute('[data-chat-timestamps]', 'aria-pressed'), 'true');
  assert.equal(await v.page.locator('.chat-message .chat-time').first().isVisible(), true);
  await v.page.click('[data-chat-timestamps]');
  assert.equal(await v.page.locator('.chat-message .chat-time').first().isVisible(), false);

  // The input follows the server's limit.
  assert.equal(await v.page.getAttribute('[data-chat-input]', 'maxlength'), '500');
  assertClean(s, v, visitor);
});

test('a timeout-only moderator times a user out from the chat; unban from the moderation page', async () => {
  const streamer = await account('streamer');
  const moderator = await account('mod');
  const target = await account('target');
  const s = await openChat(streamer, streamer);

  // The streamer adds the moderator with timeout permissions only.
  await s.page.goto(`${server.baseUrl}/users/settings/moderators`);
  await s.page.fill('#mod-username', moderator.username);
  await s.page.setChecked('.moderator-form input[name="short_timeout"]', true);
  await s.page.setChecked('.moderator-form input[name="long_timeout"]', true);
  await s.page.setChecked('.moderator-form input[name="ban"]', false);
  await s.page.setChecked('.moderator-form input[name="unban"]', false);
  await s.page.setChecked('.moderator-form input[name="delete"]', false);
  await submitAndWait(s.page, 'form[action="/users/settings/moderators"] button[type="submit"]');
  assert.equal(await s.page.locator(`[data-moderator="${moderator.username}"]`).count(), 1);
  await s.page.goto(`${server.baseUrl}/${streamer.username}`);
  await s.page.waitForSelector('[data-chat][data-chat-state="open"]');

  const m = await openChat(streamer, moderator);
  const t = await openChat(streamer, target);
  await say(t.page, 'first message from the target');
  await say(s.page, 'the streamer says hi');
  await say(t.page, 'second message from the target');
  await say(m.page, 'the moderator is here');
  for (const person of [s, m, t]) await waitForMessage(person.page, 'the moderator is here');

  // The moderator's own message carries the moderator badge.
  assert.equal(await messageRow(s.page, 'the moderator is here').locator('.chat-badge-moderator').count(), 1);
  // No delete controls for a moderator without the delete permission.
  assert.equal(await m.page.locator('[data-chat-delete]').count(), 0);

  // Clicking the name opens a menu with exactly the allowed actions.
  await messageRow(m.page, 'first message from the target').locator('button.chat-name').click();
  const menu = m.page.locator('[data-chat-menu]');
  await menu.waitFor();
  assert.equal(await menu.getAttribute('aria-label'), `Moderate ${target.username}`);
  assert.deepEqual(await menu.locator('.chat-menu-action').allInnerTexts(), ['Time out 5 min', 'Time out 15 min']);
  await menu.getByRole('button', { name: 'Time out 5 min' }).click();

  // The target's messages vanish for everyone; the others' stay.
  const remaining = ['the streamer says hi', 'the moderator is here'];
  for (const person of [s, m, t]) {
    await waitForMessage(person.page, 'second message from the target', { present: false });
    await expectBodies(person.page, remaining, `${person.user.username} sees only the others' messages`);
  }
  // The target is told for how long, and until when.
  const notice = t.page.locator('[data-chat-notice]');
  await assert.doesNotReject(notice.filter({ hasText: 'You were timed out for 5 minutes' }).waitFor({ timeout: 3_000 }));
  assert.match(await notice.innerText(), /until \d{1,2}:\d{2}/);
  // The moderator gets a confirmation.
  await assert.doesNotReject(
    m.page.locator('[data-chat-notice]', { hasText: `${target.username} was timed out for 5 minutes` }).waitFor({ timeout: 3_000 }),
  );

  // The target cannot type: the input is closed, saying why and until when.
  assert.equal(await t.page.locator('[data-chat-input]').isDisabled(), true);
  assert.match(
    await t.page.locator('[data-chat-gate]').innerText(),
    /timed out in this chat for 5 minutes \(until \d{1,2}:\d{2}/,
  );
  // Reopening the chat keeps it closed.
  await t.page.reload();
  await t.page.waitForSelector('[data-chat][data-chat-state="open"]');
  assert.equal(await t.page.locator('[data-chat-input]').isDisabled(), true);
  assert.match(await t.page.locator('[data-chat-gate]').innerText(), /timed out in this chat for \d+ minutes? more/);

  // The streamer unbans from the moderation page: the ban list shows the target.
  const modPage = await s.context.newPage();
  const modErrors = collectErrors(modPage);
  await modPage.goto(`${server.baseUrl}/${streamer.username}/moderation`);
  const banned = modPage.locator(`[data-banned="${target.username}"]`);
  assert.equal(await banned.count(), 1, 'the timeout is listed');
  // Unban is offered beside the people banned or timed out, not for any name typed.
  assert.deepEqual(await modPage.locator('#action option').allInnerTexts(), ['Time out for 5 minutes', 'Time out for 15 minutes', 'Ban']);
  const stale = await s.context.newPage();
  const staleErrors = collectErrors(stale);
  await stale.goto(`${server.baseUrl}/${streamer.username}/moderation`);
  await submitAndWait(modPage, `[data-banned="${target.username}"] button[value="unban"]`);
  assert.equal(await modPage.locator(`[data-banned="${target.username}"]`).count(), 0);
  // An Unban from a page opened before is told the chatter is no longer banned, not logged twice.
  await submitAndWait(stale, `[data-banned="${target.username}"] button[value="unban"]`);
  assert.equal(
    await stale.locator('.form-error').innerText(),
    `${target.username} is not banned or timed out in this chat.`,
  );
  staleErrors.assertNone('the stale moderation page');
  await stale.close();
  // The log lists both actions: who, what, whom.
  const rows = await modPage.locator('.log-table tbody tr').allInnerTexts();
  assert.ok(rows.some((row) => row.includes(moderator.username) && row.includes('short timeout') && row.includes(target.username)), `log: ${rows.join(' | ')}`);
  assert.ok(rows.some((row) => row.includes(streamer.username) && row.includes('unban') && row.includes(target.username)), `log: ${rows.join(' | ')}`);
  modErrors.assertNone('moderation page errors');
  await modPage.close();

  // The target is told and can type again at once.
  await notice.filter({ hasText: 'You can chat again' }).waitFor({ timeout: 3_000 });
  await t.page.waitForFunction(() => !document.querySelector('[data-chat-input]').disabled);
  assert.equal(await t.page.locator('[data-chat-gate]').isHidden(), true, 'the reason is gone');
  await say(t.page, 'am I still here?');
  await waitForMessage(s.page, 'am I still here?');
  await waitForMessage(m.page, 'am I still here?');
  assertClean(s, m, t);
});

test('the streamer bans from the chat and deletes one message; the moderation page logs both', async () => {
  const streamer = await account('streamer');
  const viewer = await account('viewer');
  const troll = await account('troll');
  const s = await openChat(streamer, streamer);
  const v = await openChat(streamer, viewer);
  const x = await openChat(streamer, troll);
  await say(v.page, 'keep this one');
  await say(v.page, 'delete this one');
  await say(x.page, 'spam spam spam');
  await say(v.page, 'and this one stays too');
  await waitForMessage(s.page, 'and this one stays too');

  // No Delete button on every line: deleting is in the menu a name opens.
  assert.equal(await s.page.locator('[data-chat-log] .chat-delete, [data-chat-log] [data-chat-delete]').count(), 0);
  // Delete exactly one message.
  await messageRow(s.page, 'delete this one').locator('button.chat-name').click();
  await s.page.locator('[data-chat-menu] .chat-menu-action[data-action="delete_message"]').click();
  for (const person of [s, v, x]) {
    await waitForMessage(person.page, 'delete this one', { present: false });
    await expectBodies(person.page, ['keep this one', 'spam spam spam', 'and this one stays too']);
  }
  await v.page.locator('[data-chat-notice]', { hasText: 'A moderator deleted one of your messages' }).waitFor();

  // The streamer has every permission: the menu offers all four actions; ban.
  await messageRow(s.page, 'spam spam spam').locator('button.chat-name').click();
  assert.deepEqual(
    await s.page.locator('[data-chat-menu] .chat-menu-action').allInnerTexts(),
    ['Time out 5 min', 'Time out 15 min', 'Ban', 'Delete this message'],
    'every action, but no Unban for someone who is not banned',
  );
  // Escape closes the menu and returns focus to the name.
  await s.page.keyboard.press('Escape');
  assert.equal(await s.page.locator('[data-chat-menu]').count(), 0);
  assert.equal(await s.page.evaluate(() => document.activeElement?.textContent), troll.username);
  await s.page.keyboard.press('Enter');
  await s.page.locator('[data-chat-menu] .chat-menu-action[data-action="ban"]').click();
  for (const person of [s, v, x]) {
    await waitForMessage(person.page, 'spam spam spam', { present: false });
    await expectBodies(person.page, ['keep this one', 'and this one stays too']);
  }
  await x.page.locator('[data-chat-notice]', { hasText: 'You are banned from this chat' }).waitFor();
  assert.equal(await x.page.locator('[data-chat-input]').isDisabled(), true, 'a banned chatter cannot type');
  assert.match(await x.page.locator('[data-chat-gate]').innerText(), /banned/i);
  // Coming back later, the input is closed from the start, with the reason, before any send.
  await x.page.reload();
  await x.page.waitForSelector('[data-chat][data-chat-state="open"]');
  await x.page.waitForFunction(() => document.querySelector('[data-chat-input]').disabled);
  assert.match(await x.page.locator('[data-chat-gate]').innerText(), /banned/i);
  assert.equal(await x.page.locator('[data-chat-refusal]').isHidden(), true, 'nothing was refused on send');

  // A new visitor's history has neither the deleted nor the banned user's messages.
  const visitor = await openChat(streamer, null);
  await expectBodies(visitor.page, ['keep this one', 'and this one stays too']);

  await s.page.goto(`${server.baseUrl}/${streamer.username}/moderation`);
  const rows = await s.page.locator('.log-table tbody tr').allInnerTexts();
  assert.ok(rows.some((row) => row.includes('delete message') && row.includes(viewer.username)), `log: ${rows.join(' | ')}`);
  assert.ok(rows.some((row) => /\bban\b/.test(row) && row.includes(troll.username)), `log: ${rows.join(' | ')}`);
  assert.equal(await s.page.locator(`[data-banned="${troll.username}"]`).count(), 1);
  assertClean(s, v, x, visitor);
});

test('the rules show before the first message; a chatter they keep out cannot type and is told why', async () => {
  const streamer = await account('streamer');
  const fresh = await account('fresh');
  const unconfirmed = await account('unconf', { confirmed: false });
  const s = await openChat(streamer, streamer);
  await chatSettings(s.page, { minAge: 24 });

  const f = await openChat(streamer, fresh);
  assert.deepEqual(await f.page.locator('[data-chat-rules] li').allInnerTexts(), [
    'Accounts can chat once they are 24 hours old.',
  ]);
  assert.equal(await f.page.locator('[data-chat-input]').isDisabled(), true, 'no typing into a refusal');
  assert.match(
    await f.page.locator('[data-chat-gate]').innerText(),
    /lets accounts chat once they are 24 hours old\. You can chat in [\d,]+ minutes\./,
  );
  // The streamer is exempt.
  await s.page.goto(`${server.baseUrl}/${streamer.username}`);
  await s.page.waitForSelector('[data-chat][data-chat-state="open"]');
  assert.equal(await s.page.locator('[data-chat-input]').isDisabled(), false);
  await say(s.page, 'owners are exempt');
  await waitForMessage(f.page, 'owners are exempt');

  // The streamer changes the rules: the open chat follows without a reload.
  await s.page.goto(`${server.baseUrl}/users/settings/chat`);
  await chatSettings(s.page, { minAge: 0, verifiedEmail: true });
  await f.page.waitForFunction(() => !document.querySelector('[data-chat-input]').disabled);
  assert.deepEqual(await f.page.locator('[data-chat-rules] li').allInnerTexts(), [
    'A confirmed email address is needed to chat.',
  ]);
  assert.equal(await f.page.locator('[data-chat-gate]').isHidden(), true);
  const u = await openChat(streamer, unconfirmed);
  assert.equal(await u.page.locator('[data-chat-input]').isDisabled(), true);
  assert.match(await u.page.locator('[data-chat-gate]').innerText(), /requires a confirmed email address to chat/);
  // The fresh (confirmed) account may now chat.
  await say(f.page, 'now I may chat');
  await waitForMessage(u.page, 'now I may chat');
  await expectBodies(u.page, ['owners are exempt', 'now I may chat']);

  // A links rule is told before anyone types one, and the input stays open.
  await chatSettings(s.page, { blockLinks: true });
  await f.page.waitForFunction(() => document.querySelectorAll('[data-chat-rules] li').length === 1
    && document.querySelector('[data-chat-rules] li').textContent === 'Links are not allowed.');
  assert.equal(await f.page.locator('[data-chat-rules]').isVisible(), true);
  assert.equal(await f.page.locator('[data-chat-input]').isDisabled(), false);
  assertClean(s, f, u);
});

test('HTML and script in messages render as text; links are anchors only for http(s)', async () => {
  const streamer = await account('streamer');
  const viewer = await account('viewer');
  const s = await openChat(streamer, streamer);
  const v = await openChat(streamer, viewer);
  const hostile = [
    '<img src=x onerror=alert(1)>',
    '<script>alert(1)</script>',
    `<b class="chat-name">${streamer.username}</b>: <a href="javascript:alert(1)">free stuff</a>`,
    '"><svg onload=alert(1)> &lt;i&gt;entities&lt;/i&gt;',
  ];
  for (const text of hostile) await say(v.page, text);
  for (const text of hostile) await waitForMessage(s.page, text);
  for (const person of [s, v]) {
    await expectBodies(person.page, hostile, 'each message reads exactly as typed');
    const injected = await person.page.evaluate(() => ({
      images: document.querySelectorAll('[data-chat-log] img').length,
      scripts: document.querySelectorAll('[data-chat-log] script, [data-chat-log] svg, [data-chat-log] b').length,
      anchors: document.querySelectorAll('[data-chat-log] a').length,
    }));
    assert.deepEqual(injected, { images: 0, scripts: 0, anchors: 0 });
  }
  // The look-alike name is inside the body, not a second name.
  const fake = messageRow(s.page, 'free stuff');
  assert.equal(await fake.locator('.chat-name').count(), 1);
  assert.equal(await fake.locator('.chat-name').innerText(), viewer.username);

  await say(v.page, 'see https://example.com/a?b=1 and http://example.org/x');
  await say(v.page, 'not these: javascript:alert(1) ftp://example.com/f data:text/html,hi');
  await say(v.page, 'bare www.example.net works');
  await waitForMessage(s.page, 'bare www.example.net works');
  const links = await s.page.$$eval('[data-chat-log] a', (nodes) =>
    nodes.map((a) => ({ text: a.textContent, href: a.getAttribute('href'), rel: a.rel, target: a.target })),
  );
  const rel = 'ugc nofollow noopener';
  assert.deepEqual(links, [
    { text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1', rel, target: '_blank' },
    { text: 'http://example.org/x', href: 'http://example.org/x', rel, target: '_blank' },
    { text: 'www.example.net', href: 'https://www.example.net/', rel, target: '_blank' },
  ]);
  assert.equal(
    await messageRow(s.page, 'not these').locator('.chat-body').innerText(),
    'not these: javascript:alert(1) ftp://example.com/f data:text/html,hi',
  );

  // With links set to plain text, new links are text (not anchors).
  await chatSettings(s.page, { links: false });
  await say(v.page, 'plain https://example.com/plain');
  await waitForMessage(v.page, 'plain https://example.com/plain');
  assert.equal(await messageRow(v.page, 'plain https://example.com/plain').locator('a').count(), 0);
  assertClean(s, v);
});

test('the pop-out chat works, and ?transparent=1 has a transparent background', async () => {
  const streamer = await account('streamer');
  const viewer = await account('viewer');
  const v = await openChat(streamer, viewer);
  const pop = await openChat(streamer, streamer, { path: `/${streamer.username}/chat` });
  assert.match(await pop.page.title(), /^Chat · /);
  await say(pop.page, 'sent from the pop-out');
  await waitForMessage(v.page, 'sent from the pop-out');
  await say(v.page, 'seen in the pop-out');
  await waitForMessage(pop.page, 'seen in the pop-out');
  const opaque = await pop.page.evaluate(() => getComputedStyle(document.querySelector('[data-chat-log]')).backgroundColor);
  assert.notEqual(opaque, 'rgba(0, 0, 0, 0)', 'the normal pop-out has a background');

  const overlay = await openChat(streamer, null, { path: `/${streamer.username}/chat?transparent=1`, theme: 'dark' });
  await expectBodies(overlay.page, ['sent from the pop-out', 'seen in the pop-out']);
  const look = await overlay.page.evaluate(() => {
    const style = (selector) => getComputedStyle(document.querySelector(selector));
    return {
      backgrounds: ['html', 'body', '[data-chat]', '[data-chat-log]'].map((selector) => style(selector).backgroundColor),
      textColor: style('.chat-body').color,
      shadow: style('.chat-body').textShadow,
    };
  });
  assert.deepEqual(look.backgrounds, Array(4).fill('rgba(0, 0, 0, 0)'));
  assert.equal(look.textColor, 'rgb(255, 255, 255)');
  assert.notEqual(look.shadow, 'none', 'text has a shadow to stay readable over video');
  await say(v.page, 'live on the overlay');
  await waitForMessage(overlay.page, 'live on the overlay');
  if (SCREENSHOTS) {
    await mkdir(SCREENSHOTS, { recursive: true });
    await overlay.page.screenshot({ path: path.join(SCREENSHOTS, 'chat-overlay.png'), omitBackground: true });
  }
  assertClean(v, pop, overlay);
});

test('the channel page with chat is readable (WCAG AA) in both themes and fits 375 px', async () => {
  const streamer = await account('streamer');
  const staff = await account('staff', { admin: true });
  const moderator = await account('mod');
  const setup = await openChat(streamer, streamer);
  await setup.page.goto(`${server.baseUrl}/users/settings/moderators`);
  await setup.page.fill('#mod-username', moderator.username);
  await submitAndWait(setup.page, 'form[action="/users/settings/moderators"] button[type="submit"]');
  const st = await openChat(streamer, staff);
  const m = await openChat(streamer, moderator);
  await say(st.page, 'staff checking in');
  await say(m.page, `a long link https://example.com/${'very-long-path-segment-'.repeat(6)}end`);
  await say(m.page, 'Supercalifragilisticexpialidocious'.repeat(4));
  await setup.page.goto(`${server.baseUrl}/${streamer.username}`);
  await setup.page.waitForSelector('[data-chat][data-chat-state="open"]');
  await say(setup.page, 'the streamer welcomes everyone');

  const failures = [];
  for (const theme of ['light', 'dark']) {
    for (const width of [375, 1280]) {
      const person = await openChat(streamer, streamer, { theme, viewport: { width, height: 800 } });
      const { page } = person;
      await page.click('[data-chat-timestamps]');
      // A menu and a refusal on screen too, so their colours are checked.
      await messageRow(page, 'staff checking in').locator('button.chat-name').click();
      await page.locator('[data-chat-input]').fill(' ');
      await page.locator('[data-chat-input]').press('Enter');
      await page.locator('[data-chat-refusal]').waitFor();
      const label = `${theme} ${width}px`;
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), theme);
      const contrast = await auditContrast(page);
      failures.push(...contrast.failures.map((failure) => `${label}: ${failure}`));
      assert.ok(contrast.checked > 20, `${label}: ${contrast.checked} elements checked`);
      const overflow = await horizontalOverflow(page);
      if (overflow.overflow > 0) failures.push(`${label}: ${overflow.overflow}px too wide: ${overflow.culprits.join(', ')}`);
      // Side by side on wide screens, stacked on phones.
      const layout = await page.evaluate(() => {
        const player = document.querySelector('.channel').getBoundingClientRect();
        const chat = document.querySelector('.channel-chat').getBoundingClientRect();
        return { sideBySide: chat.left >= player.right - 1, stacked: chat.top >= player.bottom - 1 };
      });
      if (width === 1280) assert.ok(layout.sideBySide, `${label}: chat beside the player`);
      else assert.ok(layout.stacked, `${label}: chat below the player`);
      const badges = await page.locator('[data-chat-log] .chat-badge').allInnerTexts();
      for (const badge of ['STREAMER', 'STAFF', 'MOD']) assert.ok(badges.includes(badge), `${label}: ${badge} badge shown`);
      if (SCREENSHOTS) {
        await mkdir(SCREENSHOTS, { recursive: true });
        await page.screenshot({ path: path.join(SCREENSHOTS, `chat-channel-${theme}-${width}.png`), fullPage: true });
      }
      assertClean(person);
      await person.context.close();
    }
  }
  assert.deepEqual(failures, []);
  assertClean(setup, st, m);
});

test('the chat reconnects after the server restarts without duplicating history', async (t) => {
  // A server of its own, restarted on the same port and data.
  const own = await startServer();
  let again = null;
  t.after(async () => {
    await again?.stop();
    await own.cleanup();
  });
  const streamer = { username: uniqueName('streamer') };
  await own.createUser({ username: streamer.username, password: PASSWORD });
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  const errors = collectErrors(page, {
    // While the server is down the page's other requests (the player's event stream) fail too.
    ignore: [/\/api\/channels\/\d+\/events/, /\/chat\/\d+\/socket/],
  });
  await logIn(page, own.baseUrl, streamer.username, PASSWORD);
  await page.goto(`${own.baseUrl}/${streamer.username}`);
  await page.waitForSelector('[data-chat][data-chat-state="open"]');
  await say(page, 'before the restart');
  await waitForMessage(page, 'before the restart');

  await own.stop();
  await page.waitForSelector('[data-chat][data-chat-state="reconnecting"]', { timeout: 5_000 });
  // SIGTERM closes the socket with 1012 "server restarting": the chat says why it reconnects.
  assert.match(await page.locator('[data-chat-notice]').innerText(), /server restarting; reconnecting…/);
  assert.equal(await page.locator('[data-chat-input]').isDisabled(), true);
  again = await startServer({ dataDir: own.dataDir, port: own.port });
  await page.waitForSelector('[data-chat][data-chat-state="open"]', { timeout: 15_000 });
  assert.equal(await page.locator('[data-chat-notice]').isHidden(), true);
  await expectBodies(page, ['before the restart'], 'history merged without duplicates');
  await say(page, 'after the restart');
  await waitForMessage(page, 'after the restart');
  await expectBodies(page, ['before the restart', 'after the restart']);
  errors.assertNone('reconnect page errors');
});

test('a chat that cannot load leaves the player working', async () => {
  const streamer = await account('streamer');
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await page.route('**/static/js/chat.js', (route) => route.abort());
  const errors = collectErrors(page, { ignore: ['/static/js/chat.js'] });
  await page.goto(`${server.baseUrl}/${streamer.username}`);
  await page.locator('[data-chat-notice]', { hasText: 'Chat could not load' }).waitFor();
  assert.equal(await page.locator('.player.shimmer-player').count(), 1, 'the player mounted');
  assert.equal(await page.locator('[data-offline-badge]').isVisible(), true);
  errors.assertNone('errors besides the blocked chat');
});

test('the pop-out chat at dock size (400×600) keeps its input in view and scrolls 300 messages inside the window', async () => {
  const streamer = await account('docked');
  for (const transparent of [false, true]) {
    const context = await browser.newContext({ viewport: { width: 400, height: 600 } });
    contexts.push(context);
    context.setDefaultTimeout(5_000);
    const page = await context.newPage();
    const errors = collectErrors(page);
    await logIn(page, server.baseUrl, streamer.username, PASSWORD);
    const { opened, push } = await scriptedChatSocket(page);
    await page.goto(`${server.baseUrl}/${streamer.username}/chat${transparent ? '?transparent=1' : ''}`);
    await opened();
    push({
      type: 'welcome', channel_id: 1, user: { id: streamer.id, username: streamer.username }, can_send: true, max_chars: 500,
      permissions: { short_timeout: true, long_timeout: true, ban: true, unban: true, delete: true },
    });
    const message = (id) => ({
      id, channel_id: 1, user_id: 1000 + (id % 5), username: `user${id % 5}`, display_name: `User${id % 5}`,
      badges: [], tokens: [{ type: 'text', text: `message number ${id}, long enough to wrap at dock width` }], created_at: Date.now(),
    });
    push({ type: 'history', messages: Array.from({ length: 200 }, (_, i) => message(i + 1)) });
    for (let id = 201; id <= 300; id += 1) push({ type: 'message', message: message(id) });
    await page.waitForFunction(() => document.querySelectorAll('[data-chat-log] .chat-message').length === 300);
    const layout = await page.evaluate(() => {
      const log = document.querySelector('[data-chat-log]');
      const input = document.querySelector('[data-chat-input]').getBoundingClientRect();
      return {
        pageHeight: document.scrollingElement.scrollHeight,
        window: window.innerHeight,
        inputBottom: input.bottom,
        inputVisible: input.height > 0,
        logScrolls: log.scrollHeight > log.clientHeight + 1000,
        atBottom: log.scrollHeight - log.scrollTop - log.clientHeight < 2,
      };
    });
    const label = transparent ? 'transparent pop-out' : 'pop-out';
    assert.ok(layout.pageHeight <= layout.window, `${label}: the page is ${layout.pageHeight} px tall in a ${layout.window} px window`);
    if (!transparent) {
      // The overlay shows messages only; the dock's input must stay on screen.
      assert.ok(layout.inputVisible && layout.inputBottom <= layout.window, `${label}: the input is in view (${JSON.stringify(layout)})`);
    }
    assert.ok(layout.logScrolls, `${label}: the messages scroll inside the log`);
    assert.ok(layout.atBottom, `${label}: the newest message is in view`);
    errors.assertNone(`errors on the ${label}`);
  }
});

test('rendering rules against a scripted socket: 300-message cap, duplicates, hidden ids, scrolling, emotes', async () => {
  const streamer = await account('streamer');
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  const errors = collectErrors(page);
  const { opened, push } = await scriptedChatSocket(page);
  const message = (id, text, extra = {}) => ({
    id,
    channel_id: 1,
    user_id: 1000 + (id % 7),
    username: `user${id % 7}`,
    display_name: `User${id % 7}`,
    badges: [],
    tokens: [{ type: 'text', text }],
    created_at: Date.now(),
    ...extra,
  });
  await page.goto(`${server.baseUrl}/${streamer.username}`);
  await Promise.race([opened(), new Promise((_, reject) => setTimeout(() => reject(new Error('the page never opened the chat socket')), 5_000))]);
  push({
    type: 'welcome', channel_id: 1, user: null, can_send: false, max_chars: 500,
    permissions: { short_timeout: false, long_timeout: false, ban: false, unban: false, delete: false },
  });
  push({ type: 'history', messages: Array.from({ length: 50 }, (_, i) => message(i + 1, `message ${i + 1}`)) });
  await page.waitForSelector('[data-chat][data-chat-state="open"]');
  // Live messages overlapping the history (41–50 again), then more than the cap.
  for (let id = 41; id <= 400; id += 1) push({ type: 'message', message: message(id, `message ${id}`) });
  // Garbage and unknown frames are ignored.
  push('not json');
  push({ type: 'surprise', payload: '<img src=x onerror=alert(1)>' });
  push({ type: 'message', message: { id: 'nope', tokens: 'nope' } });
  push({ type: 'message', message: message(401, '', {
    tokens: [{ type: 'emote', text: 'shimHype', src: '/static/favicon.svg' }],
    badges: ['moderator', 'subscriber', 'bogus'],
  }) });
  push({ type: 'message', message: message(402, '', {
    tokens: [{ type: 'text', text: 'nice ' }, { type: 'emote', text: 'shimHype', src: '/static/favicon.svg' },
      { type: 'emote', text: 'evil', src: 'javascript:alert(1)' },
      { type: 'link', text: 'javascript:alert(1)', url: 'javascript:alert(1)', clickable: true }],
  }) });
  await waitForMessage(page, 'nice eviljavascript:alert(1)');
  const state = await page.evaluate(() => {
    const rows = [...document.querySelectorAll('[data-chat-log] .chat-message')];
    const ids = rows.map((row) => Number(row.dataset.messageId));
    const log = document.querySelector('[data-chat-log]');
    return {
      count: rows.length,
      unique: new Set(ids).size,
      first: ids[0],
      last: ids.at(-1),
      sorted: ids.every((id, i) => i === 0 || ids[i - 1] < id),
      atBottom: log.scrollHeight - log.scrollTop - log.clientHeight < 2,
    };
  });
  assert.deepEqual(state, { count: 300, unique: 300, first: 103, last: 402, sorted: true, atBottom: true });
  // A message that is one emote is shown large; emotes are images with their name as alt text.
  const large = page.locator('[data-message-id="401"]');
  assert.match(await large.getAttribute('class'), /\bchat-message-large\b/);
  assert.equal(await large.locator('img.chat-emote').getAttribute('alt'), 'shimHype');
  assert.deepEqual(await large.locator('.chat-badge').allInnerTexts(), ['MOD', 'SUB'], 'several badges, unknown ones dropped');
  const mixed = page.locator('[data-message-id="402"]');
  assert.doesNotMatch(await mixed.getAttribute('class'), /chat-message-large/);
  assert.equal(await mixed.locator('img').count(), 1, 'only same-site emote images');
  assert.equal(await mixed.locator('a').count(), 0, 'no javascript: anchors even if marked clickable');

  // Scrolled up, new messages do not move the reader; the jump button appears and returns.
  await page.locator('[data-chat-log]').evaluate((log) => { log.scrollTop = 0; log.dispatchEvent(new Event('scroll')); });
  push({ type: 'message', message: message(403, 'while reading old messages') });
  await page.locator('[data-chat-jump]').waitFor({ state: 'visible' });
  assert.equal(await page.locator('[data-chat-log]').evaluate((log) => log.scrollTop), 0);
  await page.click('[data-chat-jump]');
  assert.equal(await page.locator('[data-chat-jump]').isHidden(), true);
  assert.ok(await page.locator('[data-chat-log]').evaluate((log) => log.scrollHeight - log.scrollTop - log.clientHeight < 2));

  // Hidden frames remove exactly the listed ids.
  push({ type: 'hidden', message_ids: [200, 300, 999], user_id: null });
  await page.waitForFunction(() => !document.querySelector('[data-message-id="300"]'));
  // 300 before (104–403, the cap dropped 103 when 403 came), minus 200 and 300; 999 is unknown.
  assert.equal(await page.locator('[data-chat-log] .chat-message').count(), 298);
  assert.equal(await page.locator('[data-message-id="201"]').count(), 1);
  errors.assertNone('scripted socket page errors');
});
