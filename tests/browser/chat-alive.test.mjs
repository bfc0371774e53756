// Chat that feels alive, in real Chromium against a real `shimmer serve`: name colours (from
// the palette, or chosen on the preferences page), @mentions highlighted for the person named
// and offered as you type `@`, replies quoting their parent, slash commands (by a moderator,
// and refused for a viewer), follows as system lines, and a timed-out chatter's input closed
// with a live countdown that reopens by itself. No console errors.
//
// Run: cd tests/browser && node --test chat-alive.test.mjs   (needs target/debug/shimmer)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, collectErrors, logIn, uniqueName } from './harness.mjs';

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

async function account(prefix) {
  const username = uniqueName(prefix);
  const id = Number(await server.createUser({ username, password: PASSWORD }));
  return { username, id };
}

/** A logged-in context with `channel`'s page open and its chat connected. */
async function openChat(channel, user, { theme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: theme });
  contexts.push(context);
  context.setDefaultTimeout(5_000);
  await context.addCookies([{ name: 'shimmer_theme', value: theme, domain: server.host, path: '/' }]);
  const page = await context.newPage();
  const errors = collectErrors(page);
  await logIn(page, server.baseUrl, user.username, PASSWORD);
  await page.goto(`${server.baseUrl}/${channel.username}`);
  await page.waitForSelector('[data-chat][data-chat-state="open"]');
  return { page, errors, user };
}

/** Types a line into the chat and sends it; waits until it was accepted or refused. */
async function say(page, text) {
  const input = page.locator('[data-chat-input]');
  await input.fill(text);
  await page.evaluate(() => document.querySelector('[data-chat-form]').requestSubmit());
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

function row(page, text) {
  return page.locator('[data-chat-log] .chat-message').filter({ has: page.locator('.chat-body', { hasText: text }) });
}

async function waitForRow(page, text) {
  await row(page, text).first().waitFor({ timeout: 3_000 });
  return row(page, text).first();
}

/** The streamer makes `moderator` a moderator with every permission. */
async function addModerator(streamerPage, channel, moderator) {
  await streamerPage.goto(`${server.baseUrl}/users/settings/moderators`);
  await streamerPage.fill('#mod-username', moderator.username);
  for (const permission of ['short_timeout', 'long_timeout', 'ban', 'unban', 'delete']) {
    await streamerPage.setChecked(`.moderator-form input[name="${permission}"]`, true);
  }
  await Promise.all([
    streamerPage.waitForNavigation(),
    streamerPage.click('form[action="/users/settings/moderators"] button[type="submit"]'),
  ]);
  assert.equal(await streamerPage.locator(`[data-moderator="${moderator.username}"]`).count(), 1);
  await streamerPage.goto(`${server.baseUrl}/${channel.username}`);
  await streamerPage.waitForSelector('[data-chat][data-chat-state="open"]');
}

function assertClean(...people) {
  for (const person of people) person.errors.assertNone(`errors on ${person.user.username}'s page`);
}

test('names are coloured from the palette or the chatter\'s choice; @mentions are offered and highlighted', async () => {
  const streamer = await account('host');
  const alice = await account('alice');
  const bob = await account('bobby');
  const a = await openChat(streamer, alice);
  const b = await openChat(streamer, bob, { theme: 'dark' });

  // Bob chooses teal on the preferences page; an unknown colour is refused in words.
  await b.page.goto(`${server.baseUrl}/preferences`);
  await b.page.selectOption('#chat_color', 'teal');
  await Promise.all([b.page.waitForNavigation(), b.page.click('form[action="/preferences"] button[type="submit"]')]);
  assert.equal(await b.page.locator('#chat_color').inputValue(), 'teal');
  // (Sent outside the page, so the page's own error log stays for real errors.)
  const fields = await b.page.evaluate(() => Object.fromEntries(new FormData(document.querySelector('form[action="/preferences"]'))));
  const forged = await b.page.request.post(`${server.baseUrl}/preferences`, {
    form: { ...fields, chat_color: '#ff00ff' },
    maxRedirects: 0,
  });
  assert.equal(forged.status(), 422);
  assert.match(await forged.text(), /Choose a chat colour from the list/);
  await b.page.goto(`${server.baseUrl}/${streamer.username}`);
  await b.page.waitForSelector('[data-chat][data-chat-state="open"]');

  await say(b.page, 'anyone around?');
  const bobsLine = await waitForRow(a.page, 'anyone around?');
  // Teal in the light theme on Alice's page, in the dark theme on Bob's own.
  assert.equal(await bobsLine.locator('.chat-name').evaluate((n) => getComputedStyle(n).color), 'rgb(0, 114, 122)');
  const ownLine = await waitForRow(b.page, 'anyone around?');
  assert.equal(await ownLine.locator('.chat-name').evaluate((n) => getComputedStyle(n).color), 'rgb(95, 214, 208)');

  // Alice's name gets a palette colour from her account, not the plain text colour.
  await say(a.page, 'hello everyone');
  const alicesLine = await waitForRow(b.page, 'hello everyone');
  const aliceColour = await alicesLine.locator('.chat-name').evaluate((n) => getComputedStyle(n).color);
  const plain = await alicesLine.locator('.chat-body').evaluate((n) => getComputedStyle(n).color);
  assert.notEqual(aliceColour, plain);

  // Typing @ and the start of a recent chatter's name offers it; Enter completes it.
  const input = a.page.locator('[data-chat-input]');
  await input.fill('');
  await input.pressSequentially(`@${bob.username.slice(0, 4)}`);
  const options = a.page.locator('[data-chat-mentions] [role="option"]');
  await options.first().waitFor();
  assert.deepEqual(await options.allInnerTexts(), [`@${bob.username}`]);
  assert.equal(await input.getAttribute('aria-expanded'), 'true');
  await input.press('Enter');
  assert.equal(await input.inputValue(), `@${bob.username} `);
  assert.equal(await a.page.locator('[data-chat-mentions]').isHidden(), true);
  await input.pressSequentially('are you watching?');
  await input.press('Enter');
  await a.page.waitForFunction(() => document.querySelector('[data-chat-input]').value === '');

  // Bob's view highlights the message that names him; Alice's own view does not.
  const mention = await waitForRow(b.page, 'are you watching?');
  assert.equal(await mention.evaluate((n) => n.classList.contains('chat-message-mention')), true);
  const sent = await waitForRow(a.page, 'are you watching?');
  assert.equal(await sent.evaluate((n) => n.classList.contains('chat-message-mention')), false);
  // A longer name that merely starts with Bob's is not a mention of Bob.
  await say(a.page, `@${bob.username}x is someone else`);
  const other = await waitForRow(b.page, 'is someone else');
  assert.equal(await other.evaluate((n) => n.classList.contains('chat-message-mention')), false);
  assertClean(a, b);
});

test('a reply quotes its parent\'s author and the start of its text, for everyone', async () => {
  const streamer = await account('host');
  const alice = await account('alice');
  const bob = await account('bobby');
  const s = await openChat(streamer, streamer);
  const a = await openChat(streamer, alice);
  const b = await openChat(streamer, bob);
  const question = 'what game is this and how long have you been playing it today?';
  await say(a.page, question);
  const parent = await waitForRow(b.page, 'what game is this');
  await parent.hover();
  await parent.locator('button[data-chat-reply]').click();
  const bar = b.page.locator('[data-chat-replying]');
  await bar.waitFor();
  assert.match(await bar.innerText(), new RegExp(`Replying to @${alice.username}: what game is this`));
  await say(b.page, 'it is a puzzle game');
  assert.equal(await bar.isHidden(), true, 'the reply bar closes once sent');

  for (const person of [s, a, b]) {
    const reply = await waitForRow(person.page, 'it is a puzzle game');
    const quote = reply.locator('[data-chat-reply-to]');
    const text = await quote.innerText();
    assert.match(text, new RegExp(`Replying to @${alice.username}: what game is this`));
    assert.ok(text.length < question.length + 30, `the quote is a short excerpt: ${text}`);
  }
  // The reply survives a reload (history carries it).
  await s.page.reload();
  await s.page.waitForSelector('[data-chat][data-chat-state="open"]');
  const again = await waitForRow(s.page, 'it is a puzzle game');
  assert.match(await again.locator('[data-chat-reply-to]').innerText(), /what game is this/);

  // The name menu offers Reply too.
  await (await waitForRow(s.page, 'what game is this')).locator('button.chat-name').click();
  await s.page.locator('[data-chat-menu] .chat-menu-reply').click();
  assert.match(await s.page.locator('[data-chat-replying]').innerText(), /Replying to @/);
  assertClean(s, a, b);
});

test('slash commands: a moderator times out with a live countdown; a viewer is refused; /me, /help and unknown commands', async () => {
  const streamer = await account('host');
  const moderator = await account('mod');
  const viewer = await account('viewer');
  const target = await account('target');
  const s = await openChat(streamer, streamer);
  await addModerator(s.page, streamer, moderator);
  const m = await openChat(streamer, moderator);
  const v = await openChat(streamer, viewer);
  const t = await openChat(streamer, target);
  await say(t.page, 'hi from the target');
  await waitForRow(v.page, 'hi from the target');

  // A viewer's moderation command is refused in words and does nothing.
  await say(v.page, `/ban ${target.username}`);
  assert.match(await v.page.locator('[data-chat-refusal]').innerText(), /Only the streamer and moderators can use that command/);
  assert.equal(await v.page.locator('[data-chat-input]').inputValue(), `/ban ${target.username}`, 'the command stays in the input');
  await say(t.page, 'still here');
  await waitForRow(v.page, 'still here');
  assert.equal(await t.page.locator('[data-chat-input]').isDisabled(), false);

  // Unknown commands and unknown users get clear messages.
  await say(v.page, '/dance now');
  assert.match(await v.page.locator('[data-chat-refusal]').innerText(), /There is no \/dance command\. Type \/help/);
  await say(m.page, '/timeout nobody_by_that_name 10');
  assert.match(await m.page.locator('[data-chat-refusal]').innerText(), /There is no user named nobody_by_that_name/);

  // /help answers only its author, as a system line.
  await say(v.page, '/help');
  const help = v.page.locator('[data-chat-log] .chat-system[data-system-kind="command"]').last();
  await help.waitFor();
  assert.match(await help.innerText(), /\/timeout <user> \[seconds\]/);
  assert.equal(await m.page.locator('.chat-system[data-system-kind="command"]').count(), 0);

  // /me posts an action line, shown apart from ordinary messages.
  await say(v.page, '/me waves at everyone');
  const action = await waitForRow(s.page, 'waves at everyone');
  assert.equal(await action.evaluate((n) => n.classList.contains('chat-message-action')), true);
  assert.doesNotMatch(await action.innerText(), /\/me|: waves/);

  // The moderator times the target out for 5 seconds.
  await say(m.page, `/timeout ${target.username} 5`);
  const done = m.page.locator('.chat-system[data-system-kind="command"]').last();
  await done.waitFor();
  assert.match(await done.innerText(), /was timed out for 5 seconds/);
  // The target's messages go, the input closes with the reason and a countdown that ticks.
  await row(s.page, 'still here').waitFor({ state: 'detached', timeout: 3_000 });
  const input = t.page.locator('[data-chat-input]');
  await t.page.waitForFunction(() => document.querySelector('[data-chat-input]').disabled);
  assert.match(await t.page.locator('[data-chat-gate]').innerText(), /timed out in this chat/);
  const countdown = t.page.locator('[data-chat-countdown]');
  const first = await countdown.innerText();
  assert.match(first, /You can chat again in 0:0[1-5]\./);
  await t.page.waitForFunction(
    (before) => document.querySelector('[data-chat-countdown]')?.textContent !== before,
    first,
    { timeout: 2_500 },
  );
  // And it opens again by itself when the time is up; the target can chat.
  await t.page.waitForFunction(() => !document.querySelector('[data-chat-input]').disabled, null, { timeout: 8_000 });
  assert.equal(await t.page.locator('[data-chat-gate]').isHidden(), true);
  await say(t.page, 'back again');
  await waitForRow(s.page, 'back again');
  assert.equal(await input.isDisabled(), false);
  assertClean(s, m, v, t);
});

test('a follow shows in chat as a system line, not as a message, live and after a reload', async () => {
  const streamer = await account('host');
  const fan = await account('fan');
  const s = await openChat(streamer, streamer);
  const f = await openChat(streamer, fan);
  await f.page.getByTestId('follow-button').click();
  await f.page.waitForFunction(() => document.querySelector('[data-testid=follow-button]').textContent === 'Unfollow');
  const line = s.page.locator('[data-chat-log] .chat-system[data-system-kind="follow"]');
  await line.waitFor({ timeout: 3_000 });
  assert.equal(await line.innerText(), `${fan.username} just followed the channel!`);
  assert.equal(await s.page.locator('[data-chat-log] .chat-message').count(), 0, 'not shown as a message');
  await s.page.reload();
  await s.page.waitForSelector('[data-chat][data-chat-state="open"]');
  await line.waitFor();
  assert.equal(await s.page.locator('[data-chat-log] .chat-message').count(), 0);
  assertClean(s, f);
});
