// Posters and thumbnails in the browser: a streamer uploads a poster (a fake one is refused with
// its reason), a visitor sees it in the offline player at phone and desktop widths in both
// themes with readable text (the settings section too), and the channel's thumbnail URL loads as
// a 416×234 image. A live stream whose H.264 the thumbnailer cannot decode (High 4:4:4) shows on
// its card as the live placeholder, then as its poster, always with the LIVE mark.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  startServer,
  startPush,
  testMedia,
  waitFor,
  launchBrowser,
  collectErrors,
  logIn,
  uniqueName,
  tempDir,
  auditContrast,
  horizontalOverflow,
} from './harness.mjs';

const PASSWORD = 'correct horse battery';
let browser;
let server;
let push;

before(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
});

after(async () => {
  await push?.stop();
  await browser?.close();
  await server?.cleanup();
});

/** A 1280×720 PNG of one colour, made by ffmpeg. */
async function posterFile() {
  const file = path.join(await tempDir('shimmer-poster-'), 'poster.png');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=0x2080e0:s=1280x720', '-frames:v', '1', '-y', file]);
  return file;
}

/** 6 s of H.264 High 4:4:4, which browsers play but the thumbnailer cannot decode, and Opus. */
async function undecodableMedia() {
  const video = path.join(await tempDir('shimmer-high444-'), 'high444.h264');
  execFileSync('ffmpeg', [
    '-loglevel', 'error', '-nostdin', '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=30', '-t', '6',
    '-c:v', 'libx264', '-profile:v', 'high444', '-pix_fmt', 'yuv444p', '-preset', 'veryfast', '-tune', 'zerolatency',
    '-bf', '0', '-g', '60', '-keyint_min', '60', '-sc_threshold', '0', '-threads', '1', '-f', 'h264', '-y', video,
  ]);
  return { video, audio: (await testMedia()).audio };
}

/** The picture at `src`, fetched afresh: its size and the colour of its centre and corner. */
function pictureOf(page, src) {
  return page.evaluate(async (src) => {
    const bitmap = await createImageBitmap(await (await fetch(src, { cache: 'reload' })).blob());
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    context.drawImage(bitmap, 0, 0);
    const at = (x, y) => Array.from(context.getImageData(x, y, 1, 1).data.slice(0, 3));
    return {
      size: [bitmap.width, bitmap.height],
      centre: at(bitmap.width >> 1, bitmap.height >> 1),
      corner: at(8, 8),
    };
  }, src);
}

const near = (a, b, tolerance = 30) => a.every((value, i) => Math.abs(value - b[i]) <= tolerance);

test('an uploaded poster fills the offline player and the thumbnail URL is an image', async () => {
  const streamer = uniqueName('painter');
  await server.createUser({ username: streamer, password: PASSWORD });

  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  await logIn(page, server.baseUrl, streamer, PASSWORD);
  await page.goto(`${server.baseUrl}/users/settings/poster`);
  await page.getByTestId('no-poster').waitFor();

  // A PNG header over garbage is refused with a reason; nothing is stored.
  const fake = path.join(await tempDir('shimmer-poster-'), 'fake.png');
  await writeFile(fake, Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(4096, 0x41)]));
  await page.setInputFiles('#poster', fake);
  await page.click('form[enctype="multipart/form-data"] button');
  await page.locator('#poster-error').getByText('damaged').waitFor();
  assert.equal(await page.getByTestId('poster-preview').count(), 0);

  await page.setInputFiles('#poster', await posterFile());
  await Promise.all([page.waitForURL(/notice=poster_saved/), page.click('form[enctype="multipart/form-data"] button')]);
  const preview = page.getByTestId('poster-preview');
  await preview.waitFor();
  assert.equal(await preview.evaluate((img) => img.complete && img.naturalWidth), 832);
  errors.assertNone('the streamer saw no errors');
  const streamerState = await context.storageState();
  await context.close();

  for (const theme of ['light', 'dark']) {
    for (const width of [375, 1280]) {
      const label = `${theme}, ${width}px`;
      const visitor = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: theme });
      await visitor.addCookies([{ name: 'shimmer_theme', value: theme, domain: new URL(server.baseUrl).hostname, path: '/' }]);
      // The settings section is readable and fits a phone too (as the streamer).
      const settings = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: theme, storageState: streamerState });
      await settings.addCookies([{ name: 'shimmer_theme', value: theme, domain: new URL(server.baseUrl).hostname, path: '/' }]);
      const settingsPage = await settings.newPage();
      await settingsPage.goto(`${server.baseUrl}/users/settings/poster`);
      await settingsPage.getByTestId('poster-preview').waitFor();
      assert.deepEqual((await auditContrast(settingsPage)).failures, [], `${label}: settings contrast`);
      if (width < 400) assert.equal((await horizontalOverflow(settingsPage)).overflow, 0, `${label}: settings fit the phone`);
      await settings.close();

      const view = await visitor.newPage();
      const viewErrors = collectErrors(view);
      await view.goto(`${server.baseUrl}/${streamer}`);
      const poster = view.getByTestId('player-poster');
      await poster.waitFor();
      await view.waitForFunction(() => {
        const img = document.querySelector('[data-testid="player-poster"]');
        return img && img.complete && img.naturalWidth > 0;
      });
      // The poster covers the player area and the offline text stays readable over it.
      const [posterBox, playerBox] = await Promise.all([poster.boundingBox(), view.getByTestId('player').boundingBox()]);
      assert.ok(posterBox.width > playerBox.width * 0.95 && posterBox.height > 100, `${label}: poster fills the player`);
      assert.ok(Math.abs(posterBox.x - playerBox.x) < 2 && Math.abs(posterBox.y - playerBox.y) < 2, `${label}: poster sits in the player`);
      const colour = await poster.evaluate((img) => {
        const canvas = document.createElement('canvas');
        canvas.width = 8;
        canvas.height = 8;
        const g = canvas.getContext('2d');
        g.drawImage(img, 0, 0, 8, 8);
        return Array.from(g.getImageData(4, 4, 1, 1).data.slice(0, 3));
      });
      assert.ok(Math.abs(colour[0] - 0x20) < 30 && Math.abs(colour[2] - 0xe0) < 30, `${label}: the poster's colour (${colour})`);
      assert.ok(await view.getByText('is offline right now').isVisible(), `${label}: offline text shown`);
      const contrast = await auditContrast(view);
      assert.deepEqual(contrast.failures, [], `${label}: contrast`);
      if (width < 400) assert.equal((await horizontalOverflow(view)).overflow, 0, `${label}: fits the phone`);

      // The card picture of this (offline) channel is its poster, as a real image of card size.
      const size = await view.evaluate(async () => {
        const id = document.querySelector('[data-channel-id]').dataset.channelId;
        const img = new Image();
        img.src = `/channels/${id}/thumbnail/416.jpg`;
        await img.decode();
        return [img.naturalWidth, img.naturalHeight];
      });
      assert.deepEqual(size, [416, 234], `${label}: thumbnail size`);
      viewErrors.assertNone(`${label}: no errors`);
      await visitor.close();
    }
  }
});

test('a live stream whose video cannot be made into a thumbnail shows LIVE on its card, never the offline picture', async () => {
  const streamer = uniqueName('painter444');
  await server.createUser({ username: streamer, password: PASSWORD });
  push = await startPush(server, await server.streamKey(streamer), ['--loop'], { media: await undecodableMedia() });
  await waitFor(async () => (await server.run(['channel', 'status', streamer])).startsWith('live'), {
    timeoutMs: 15_000,
    describe: () => push.output(),
  });
  // The thumbnailer has tried a keyframe of this stream and given up on it.
  await waitFor(async () => /no thumbnail from this stream's keyframe/.test(server.log()), {
    timeoutMs: 15_000,
    describe: () => server.log().split('\n').slice(-20).join('\n'),
  });

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${server.baseUrl}/`);
  const card = page.locator(`[data-testid=live-card][data-channel="${streamer}"]`);
  assert.equal(await card.count(), 1, 'the live channel has a card');
  const badge = card.locator('.live-card-thumb .badge-live');
  assert.ok(await badge.isVisible(), 'the card carries the LIVE mark');
  const src = await card.locator('img').getAttribute('src');
  const liveRed = await badge.evaluate((node) => getComputedStyle(node).backgroundColor.match(/\d+/g).slice(0, 3).map(Number));

  // Neither a frame nor a poster: the live placeholder, whose on-air dot is the badge's red,
  // not the offline placeholder's grey play symbol.
  const placeholder = await pictureOf(page, src);
  assert.deepEqual(placeholder.size, [416, 234]);
  assert.ok(near(placeholder.centre, liveRed), `the centre ${placeholder.centre} is the LIVE red ${liveRed}`);
  const idle = uniqueName('idle');
  await server.createUser({ username: idle, password: PASSWORD });
  const idleId = (await (await fetch(`${server.baseUrl}/${idle}`)).text()).match(/data-channel-id="(\d+)"/)[1];
  const offline = await pictureOf(page, `/channels/${idleId}/thumbnail/416.jpg`);
  assert.ok(!near(placeholder.centre, offline.centre), `unlike the offline picture's centre ${offline.centre}`);
  assert.ok(!near(placeholder.corner, offline.corner, 6), `unlike the offline picture's corner ${offline.corner}`);

  // With a poster, the card shows the poster while live, still marked LIVE.
  const owner = await browser.newContext();
  const ownerPage = await owner.newPage();
  await logIn(ownerPage, server.baseUrl, streamer, PASSWORD);
  await ownerPage.goto(`${server.baseUrl}/users/settings/poster`);
  await ownerPage.setInputFiles('#poster', await posterFile());
  await Promise.all([ownerPage.waitForURL(/notice=poster_saved/), ownerPage.click('form[enctype="multipart/form-data"] button')]);
  await owner.close();
  await page.reload();
  assert.ok(await badge.isVisible(), 'the card still carries the LIVE mark');
  const poster = await pictureOf(page, src);
  assert.ok(near(poster.centre, [0x20, 0x80, 0xe0]) && near(poster.corner, [0x20, 0x80, 0xe0]), `the poster's colour: ${JSON.stringify(poster)}`);
  errors.assertNone('the home page');
  await context.close();

  // One red for LIVE in each theme: the cards, the featured channel, the channel page and its player.
  for (const theme of ['light', 'dark']) {
    const themed = await browser.newContext({ colorScheme: theme });
    await themed.addCookies([{ name: 'shimmer_theme', value: theme, domain: new URL(server.baseUrl).hostname, path: '/' }]);
    const view = await themed.newPage();
    const reds = async (selector) => view.locator(selector).evaluateAll(
      (nodes) => nodes.map((node) => getComputedStyle(node).backgroundColor),
    );
    await view.goto(`${server.baseUrl}/`);
    const home = await reds('.badge-live');
    await view.goto(`${server.baseUrl}/${streamer}`);
    await view.locator('.player-live').waitFor({ state: 'attached' });
    const channel = await reds('[data-live-badge], .player-live');
    const all = [...home, ...channel];
    assert.ok(home.length >= 2 && channel.length === 2, `${theme}: ${JSON.stringify({ home, channel })}`);
    assert.deepEqual(new Set(all).size, 1, `${theme}: one LIVE red, not ${[...new Set(all)].join(', ')}`);
    await themed.close();
  }
  await push.stop();
});
