// Posters and thumbnails in the browser: a streamer uploads a poster (a fake one is refused with
// its reason), a visitor sees it in the offline player at phone and desktop widths in both
// themes with readable text (the settings section too), and the channel's thumbnail URL loads as
// a 416×234 image.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  startServer,
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

before(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
});

after(async () => {
  await browser?.close();
  await server?.cleanup();
});

/** A 1280×720 PNG of one colour, made by ffmpeg. */
async function posterFile() {
  const file = path.join(await tempDir('shimmer-poster-'), 'poster.png');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=0x2080e0:s=1280x720', '-frames:v', '1', '-y', file]);
  return file;
}

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
