// The channel page's header and chat background in real Chromium: the streamer's avatar beside
// the title and "Live for h:mm:ss" ticking every second while live, gone when the stream ends; the
// Share menu (links to X and Reddit, the pop-out chat, and "Copy link" with its confirmation and
// the link really on the clipboard); and the chat background a streamer uploads in Settings →
// Channel (bad files refused with reasons), shown behind the chat on the channel page and the
// pop-out chat but not the transparent overlay, with chat text keeping AA contrast in both themes
// even over the worst picture (black under the light scrim, white under the dark one); removed again.
//
// Run: cd tests/browser && SHIMMER_BIN=$PWD/../../target/debug/shimmer node --test channel-header.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  auditContrast,
  collectErrors,
  launchBrowser,
  logIn,
  startPush,
  startServer,
  tempDir,
  uniqueName,
  waitFor,
} from './harness.mjs';

const PASSWORD = 'correct horse battery';
const run = promisify(execFile);

let browser;
let server;
let streamer;
let pictures;
const contexts = [];

/** A PNG made by ffmpeg from a lavfi source (`testsrc`, `color=c=red`) at `size`. */
async function png(name, source, size) {
  const file = path.join(pictures, name);
  await run('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `${source}:size=${size}`, '-frames:v', '1', file]);
  return file;
}

async function visit(user, pagePath, { theme = 'light', permissions = [] } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: theme });
  contexts.push(context);
  context.setDefaultTimeout(5_000);
  await context.addCookies([{ name: 'shimmer_theme', value: theme, domain: server.host, path: '/' }]);
  if (permissions.length) await context.grantPermissions(permissions, { origin: server.baseUrl });
  const page = await context.newPage();
  const errors = collectErrors(page);
  if (user) await logIn(page, server.baseUrl, user, PASSWORD);
  if (pagePath) await page.goto(server.baseUrl + pagePath);
  return { context, page, errors };
}

const status = async () => (await server.run(['channel', 'status', streamer])).trim();

before(async () => {
  [browser, server, pictures] = await Promise.all([launchBrowser(), startServer(), tempDir('shimmer-pictures-')]);
  streamer = uniqueName('header');
  await server.createUser({ username: streamer, password: PASSWORD });
});

after(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await server?.cleanup();
});

test('the avatar sits beside the title and the uptime ticks while live, then ends with the stream', async () => {
  const { page: settings } = await visit(streamer, '/users/settings/profile');
  await settings.setInputFiles('#avatar', await png('avatar.png', 'color=c=red', '300x300'));
  await Promise.all([settings.waitForNavigation(), settings.click('form[action^="/users/settings/avatar"] button[type=submit]')]);

  const { page, errors } = await visit(null, `/${streamer}`);
  const avatar = page.getByTestId('channel-avatar');
  assert.match(await avatar.getAttribute('src'), /^\/avatars\/\d+\/64\.png\?v=\d+$/);
  assert.ok(await avatar.evaluate((img) => img.complete && img.naturalWidth === 64), 'the avatar loads');
  const [avatarBox, titleBox] = [await avatar.boundingBox(), await page.locator('.channel-title').boundingBox()];
  assert.ok(avatarBox.x + avatarBox.width <= titleBox.x, 'the avatar is left of the title');
  assert.ok(Math.abs(avatarBox.y + avatarBox.height / 2 - (titleBox.y + titleBox.height / 2)) < 30, 'beside it');
  assert.equal(await page.getByTestId('uptime').isVisible(), false, 'no uptime while offline');

  // Live: the page learns it from its live-update feed and starts counting.
  const push = await startPush(server, (await server.streamKey(streamer)).trim(), ['--loop']);
  try {
    await waitFor(async () => (await status()).startsWith('live'), { timeoutMs: 15_000, describe: status });
    const uptime = page.getByTestId('uptime');
    await uptime.waitFor({ state: 'visible', timeout: 10_000 });
    const first = await uptime.innerText();
    assert.match(first, /^Live for 0:00:\d\d$/);
    await page.waitForFunction((before) => document.querySelector('[data-uptime]').textContent !== before, first, { timeout: 3_000 });
    const seconds = (text) => Number(text.split(':').pop());
    await page.waitForTimeout(2_100);
    const later = await uptime.innerText();
    assert.ok(seconds(later) - seconds(first) >= 2, `ticks every second: ${first} then ${later}`);

    // A page opened while live starts from the stream's start, not from zero.
    await page.waitForTimeout(1_000);
    const { page: fresh } = await visit(null, `/${streamer}`);
    const startedAt = Number(await fresh.getByTestId('uptime').getAttribute('data-started-at'));
    assert.ok(startedAt > 0 && startedAt <= Date.now());
    assert.match(await fresh.getByTestId('uptime').innerText(), /^Live for 0:00:0[3-9]|^Live for 0:00:[1-5]\d/);
  } finally {
    await push.stop();
  }
  await waitFor(async () => (await status()) === 'offline', { timeoutMs: 15_000, describe: status });
  await page.getByTestId('uptime').waitFor({ state: 'hidden', timeout: 10_000 });
  const stopped = await page.getByTestId('uptime').innerText().catch(() => '');
  await page.waitForTimeout(1_200);
  assert.equal(await page.getByTestId('uptime').innerText().catch(() => ''), stopped, 'the clock stopped');
  errors.assertNone();
});

test('Share opens a menu of links and copies the channel link with a confirmation', async () => {
  const { page, errors } = await visit(null, null, { permissions: ['clipboard-read', 'clipboard-write'] });
  // Chromium on Linux has no share sheet; make sure the menu is what this test sees anywhere.
  await page.addInitScript(() => {
    delete Navigator.prototype.share;
  });
  await page.goto(`${server.baseUrl}/${streamer}`);
  const link = await page.locator('[data-share]').getAttribute('data-url');
  assert.match(link, new RegExp(`^https?://[^/]+/${streamer}$`));
  assert.equal(await page.getByTestId('share-copy').isVisible(), false, 'menu closed');
  await page.getByTestId('share-button').click();
  const x = new URL(await page.getByTestId('share-x').getAttribute('href'));
  assert.equal(`${x.origin}${x.pathname}`, 'https://twitter.com/intent/tweet');
  assert.equal(x.searchParams.get('url'), link);
  const reddit = new URL(await page.getByTestId('share-reddit').getAttribute('href'));
  assert.equal(`${reddit.origin}${reddit.pathname}`, 'https://www.reddit.com/submit');
  assert.equal(reddit.searchParams.get('url'), link);
  assert.equal(await page.getByTestId('share-popout').getAttribute('href'), `/${streamer}/chat`);

  await page.getByTestId('share-copy').click();
  await page.waitForFunction(() => document.querySelector('[data-share-status]').textContent === 'Copied');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);

  // Escape closes the menu and clears the confirmation.
  await page.keyboard.press('Escape');
  assert.equal(await page.getByTestId('share-copy').isVisible(), false);
  assert.equal(await page.getByTestId('share-status').textContent(), '');
  errors.assertNone();
});

/** Contrast failures of text inside the chat, with the picture's worst pixel `under` the scrim. */
async function chatContrast(page, under) {
  await page.evaluate((color) => {
    document.querySelector('[data-chat]').style.backgroundColor = color;
  }, under);
  const { failures } = await auditContrast(page);
  await page.evaluate(() => {
    document.querySelector('[data-chat]').style.backgroundColor = '';
  });
  return failures.filter((failure) => /chat/.test(failure));
}

test('a chat background uploaded in Settings shows behind the chat, readable in both themes', async () => {
  const { page: settings, errors: settingsErrors } = await visit(streamer, '/users/settings/channel');
  assert.equal(await settings.getByTestId('no-chat-background').isVisible(), true);
  const upload = async (file) => {
    await settings.setInputFiles('#chat_background', file);
    const [response] = await Promise.all([settings.waitForNavigation(), settings.getByTestId('chat-background-upload').click()]);
    return response;
  };

  // Refusals say why, beside the field, and keep the page.
  const fake = path.join(pictures, 'fake.png');
  await writeFile(fake, 'GIF89a not a png at all');
  let response = await upload(fake);
  assert.equal(response.status(), 422);
  assert.equal(await settings.getByTestId('chat-background-error').innerText(), 'Chat backgrounds must be JPEG or PNG images.');
  response = await upload(await png('tiny.png', 'color=c=blue', '100x50'));
  assert.equal(response.status(), 422);
  assert.match(await settings.getByTestId('chat-background-error').innerText(), /100×50 pixels; chat backgrounds are at least 160×90/);

  response = await upload(await png('background.png', 'testsrc=rate=1', '480x800'));
  assert.equal(response.status(), 200);
  assert.match(settings.url(), /notice=chat_background_saved/);
  assert.ok(await settings.getByTestId('chat-background-preview').evaluate((img) => img.complete && img.naturalWidth === 480));

  const { page: chatter } = await visit(streamer, `/${streamer}`);
  await chatter.waitForSelector('[data-chat][data-chat-state="open"]');
  const input = chatter.locator('[data-chat-input]');
  await input.fill('Readable over the picture');
  await input.press('Enter');

  for (const theme of ['light', 'dark']) {
    for (const where of [`/${streamer}`, `/${streamer}/chat`]) {
      const { page, errors } = await visit(null, where, { theme });
      const background = page.getByTestId('chat-background');
      assert.match(await background.getAttribute('src'), /^\/channels\/\d+\/chat-background\.jpg\?v=\d+$/);
      assert.ok(await background.evaluate((img) => img.complete && img.naturalWidth === 480), `${where}: the picture loads`);
      // The picture fills the chat, under the messages.
      const [chatBox, pictureBox] = [await page.locator('[data-chat]').boundingBox(), await background.boundingBox()];
      assert.ok(Math.abs(chatBox.width - pictureBox.width) < 3 && Math.abs(chatBox.height - pictureBox.height) < 3, `${where}: fills the chat`);
      await page.locator('.chat-body', { hasText: 'Readable over the picture' }).waitFor();
      const topmost = await page.evaluate(() => {
        const body = [...document.querySelectorAll('.chat-body')].find((node) => node.textContent.includes('Readable'));
        const box = body.getBoundingClientRect();
        return document.elementFromPoint(box.left + 2, box.top + box.height / 2)?.closest('.chat-message') !== null;
      });
      assert.ok(topmost, `${where}: messages stay above the picture`);
      const worst = theme === 'light' ? 'rgb(0, 0, 0)' : 'rgb(255, 255, 255)';
      assert.deepEqual(await chatContrast(page, worst), [], `${where} (${theme}) over ${worst}`);
      assert.deepEqual(await chatContrast(page, theme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(0, 0, 0)'), [], `${where} (${theme})`);
      errors.assertNone();
    }
  }

  // The transparent overlay stays clear for the streamer's video.
  const { page: overlay } = await visit(null, `/${streamer}/chat?transparent=1`);
  assert.equal(await overlay.getByTestId('chat-background').count(), 0);

  // Removed: gone from settings and the chat.
  await Promise.all([settings.waitForNavigation(), settings.getByTestId('chat-background-remove').click()]);
  assert.match(settings.url(), /notice=chat_background_removed/);
  assert.equal(await settings.getByTestId('no-chat-background').isVisible(), true);
  const { page: after } = await visit(null, `/${streamer}`);
  assert.equal(await after.getByTestId('chat-background').count(), 0);
  assert.equal(await after.locator('[data-chat].chat-has-background').count(), 0);
  const file = await fetch(`${server.baseUrl}/channels/1/chat-background.jpg`);
  assert.equal(file.status, 404);
  settingsErrors.assertNone();
});
