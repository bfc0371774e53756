// Emotes in the browser: a streamer uploads a channel emote, staff approve it in the review
// queue, and it is picked from the chat's emote picker, sent, and shown large to a viewer.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startServer, launchBrowser, collectErrors, logIn, uniqueName, tempDir } from './harness.mjs';

const PASSWORD = 'correct horse battery';
let browser;
let server;

before(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
});

after(async () => {
  await browser?.close();
  await server?.cleanup();
});

/** A square PNG made by ffmpeg. */
async function pngFile(side) {
  const file = path.join(await tempDir('shimmer-emote-'), `emote-${side}.png`);
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', `color=c=orange:s=${side}x${side}`, '-frames:v', '1', '-y', file]);
  return file;
}

test('an emote is uploaded, approved, picked, sent and shown large', async () => {
  const streamer = uniqueName('caster');
  const staff = uniqueName('boss');
  const viewer = uniqueName('fan');
  await server.createUser({ username: streamer, password: PASSWORD });
  await server.createUser({ username: staff, password: PASSWORD, admin: true });
  await server.createUser({ username: viewer, password: PASSWORD });

  const streamerContext = await browser.newContext();
  const streamerPage = await streamerContext.newPage();
  const streamerErrors = collectErrors(streamerPage);
  await logIn(streamerPage, server.baseUrl, streamer, PASSWORD);
  await streamerPage.goto(`${server.baseUrl}/users/settings/emotes`);
  const prefix = `e${Math.random().toString(36).slice(2, 6)}`.padEnd(5, 'x').slice(0, 5);
  await streamerPage.fill('#prefix', prefix);
  await Promise.all([streamerPage.waitForURL(/notice=prefix_saved/), streamerPage.click('form[action="/users/settings/emotes/prefix"] button')]);

  // A fake image is refused with its reason, the real one waits for review.
  const fake = path.join(await tempDir('shimmer-emote-'), 'fake.png');
  execFileSync('sh', ['-c', `printf '\\211PNG\\r\\n\\032\\nnot really an image' > ${fake}`]);
  await streamerPage.fill('#emote-name', 'wave');
  await streamerPage.setInputFiles('#emote-file', fake);
  await streamerPage.click('form[enctype="multipart/form-data"] button');
  await streamerPage.getByText('damaged').first().waitFor();
  await streamerPage.fill('#emote-name', 'wave');
  await streamerPage.setInputFiles('#emote-file', await pngFile(64));
  await Promise.all([streamerPage.waitForURL(/notice=emote_uploaded/), streamerPage.click('form[enctype="multipart/form-data"] button')]);
  const emoteName = `${prefix}wave`;
  assert.match(await streamerPage.locator(`[data-emote="${emoteName}"]`).innerText(), /pending/);

  const staffContext = await browser.newContext();
  const staffPage = await staffContext.newPage();
  await logIn(staffPage, server.baseUrl, staff, PASSWORD);
  await staffPage.goto(`${server.baseUrl}/staff/emotes`);
  const entry = staffPage.locator(`[data-emote="${emoteName}"]`);
  await entry.locator('img').waitFor();
  assert.ok(await entry.locator('img').evaluate((img) => img.naturalWidth > 0), 'the pending image is visible to staff');
  await Promise.all([staffPage.waitForURL(/notice=emote_reviewed/), entry.locator('button[value="approve"]').click()]);

  const viewerContext = await browser.newContext();
  const viewerPage = await viewerContext.newPage();
  await logIn(viewerPage, server.baseUrl, viewer, PASSWORD);
  await viewerPage.goto(`${server.baseUrl}/${streamer}`);
  await viewerPage.locator('[data-chat][data-chat-state="open"]').waitFor();

  await streamerPage.goto(`${server.baseUrl}/${streamer}`);
  await streamerPage.locator('[data-chat][data-chat-state="open"]').waitFor();
  await streamerPage.click('[data-chat-emotes]');
  await streamerPage.click(`[data-chat-picker] [data-emote="${emoteName}"]`);
  assert.equal((await streamerPage.inputValue('[data-chat-input]')).trim(), emoteName);
  await streamerPage.press('[data-chat-input]', 'Enter');

  const large = viewerPage.locator('.chat-message-large img');
  await large.waitFor({ timeout: 5_000 });
  assert.equal(await large.getAttribute('alt'), emoteName);
  assert.ok(await large.evaluate((img) => img.complete && img.naturalWidth > 0), 'the emote image loads');

  // Visitors get no picker.
  const visitorContext = await browser.newContext();
  const visitorPage = await visitorContext.newPage();
  await visitorPage.goto(`${server.baseUrl}/${streamer}`);
  await visitorPage.locator('[data-chat][data-chat-state="open"]').waitFor();
  assert.equal(await visitorPage.locator('[data-chat-emotes]').count(), 0);
  await visitorPage.locator('.chat-message-large img').waitFor();

  streamerErrors.assertNone();
  await Promise.all([streamerContext, staffContext, viewerContext, visitorContext].map((context) => context.close()));
});
