// Community browser tests: categories and tags set with the tag selector; a stream pushed with
// `shimmer push` listed on the home, category and tag pages; a follower's single live email in
// /dev/mailbox; viewer counts (two tabs of one viewer count once, a visitor and a signed-in user
// count two); the discovery and settings pages at 375 and 1280 px in both themes; and the home
// page's channels: only accounts that have streamed, never every account as an offline channel.
//
// Run: cd tests/browser && SHIMMER_BIN=$PWD/../../target/debug/shimmer node --test community.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer,
  startPush,
  testMedia,
  launchBrowser,
  listMail,
  logIn,
  auditContrast,
  horizontalOverflow,
} from './harness.mjs';

const PASSWORD = 'correct horse battery';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let browser;
let server;
let push;

/** Fetches an image afresh and measures it: size, type and the share of strongly coloured pixels. */
function pictureOf(page, src) {
  return page.evaluate(async (src) => {
    const blob = await (await fetch(src, { cache: 'reload' })).blob();
    const bitmap = await createImageBitmap(blob);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    context.drawImage(bitmap, 0, 0);
    const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
    let coloured = 0;
    for (let i = 0; i < data.length; i += 4) {
      const high = Math.max(data[i], data[i + 1], data[i + 2]);
      const low = Math.min(data[i], data[i + 1], data[i + 2]);
      if (high - low > 80) coloured += 1;
    }
    return { width: bitmap.width, height: bitmap.height, type: blob.type, colourful: coloured / (data.length / 4) };
  }, src);
}

async function waitFor(probe, { timeoutMs, intervalMs = 100, describe = () => '' }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${await describe()}`);
    await sleep(intervalMs);
  }
}

async function signedInPage(username, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await logIn(page, server.baseUrl, username, PASSWORD);
  return { context, page };
}

async function viewerFigures(channelId) {
  return (await fetch(`${server.baseUrl}/api/channels/${channelId}/viewers`)).json();
}

/** Opens the channel page and waits until its player plays. */
async function watch(context, username) {
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/${username}`);
  await page.waitForFunction(
    () => document.querySelector('.player[data-testid=player]')?.dataset.state === 'playing',
    null,
    { timeout: 30_000 },
  );
  return page;
}

before(async () => {
  const [, started, launched] = await Promise.all([
    testMedia(),
    startServer({ env: { SHIMMER_COMMUNITY__NOTIFY_DELAY_SECS: '0' } }),
    launchBrowser(),
  ]);
  server = started;
  browser = launched;
  for (const username of ['artist', 'fan', 'other']) {
    await server.createUser({ username, password: PASSWORD });
  }
});

after(async () => {
  await push?.stop();
  await browser?.close();
  await server?.cleanup();
});

/** The channel links in the home page's "Recently live" list, and whether it says none streamed yet. */
async function homeChannels(page) {
  await page.goto(`${server.baseUrl}/`);
  return {
    offline: await page.locator('[data-testid=offline-channels] .channel-card a').evaluateAll(
      (links) => links.map((link) => new URL(link.href).pathname.slice(1)),
    ),
    none: await page.getByTestId('no-channels').count() === 1,
  };
}

test('before anyone streamed, the home page lists no accounts as channels and says so', async () => {
  const page = await browser.newPage();
  try {
    assert.deepEqual(await homeChannels(page), { offline: [], none: true });
    assert.match(await page.getByTestId('no-channels').innerText(), /No channel has streamed yet/);
  } finally {
    await page.close();
  }
});

test('the tag selector sets category, subcategory and tags, with suggestions and clear refusals', async () => {
  const { context, page } = await signedInPage('artist');
  try {
    await page.goto(`${server.baseUrl}/users/settings/channel`);
    await page.fill('#title', 'Speedrunning all day');
    await page.selectOption('#category', 'gaming');
    await page.fill('#subcategory', 'Celeste');
    const entry = page.getByTestId('tag-entry');
    await entry.fill('Speedrun');
    await entry.press('Enter');
    await entry.fill('Chill');
    await entry.press('Enter');
    await entry.fill('<b>');
    await entry.press('Enter');
    assert.match(await page.locator('.tag-selector .field-error').textContent(), /not a valid tag/);
    await entry.fill('');
    await page.getByRole('button', { name: 'Remove tag Chill' }).click();
    await entry.type('Co-op,');
    assert.deepEqual(await page.locator('.tag-selector .tag').allTextContents(), ['Speedrun×', 'Co-op×']);
    assert.equal(await page.locator('#tags').inputValue(), 'Speedrun, Co-op');
    await Promise.all([page.waitForNavigation(), page.click('form[action="/users/settings/channel"] button[type=submit]')]);
    assert.match(await page.locator('.notice').textContent(), /saved/);

    await page.goto(`${server.baseUrl}/artist`);
    assert.equal(await page.getByTestId('channel-category').textContent(), 'Gaming');
    assert.deepEqual(await page.locator('.channel-catalogue a.tag').allTextContents(), ['Co-op', 'Speedrun']);
  } finally {
    await context.close();
  }

  // Another streamer of the category gets the used tag as a suggestion, and picks it.
  const other = await signedInPage('other');
  try {
    const { page: otherPage } = other;
    await otherPage.goto(`${server.baseUrl}/users/settings/channel`);
    await otherPage.selectOption('#category', 'gaming');
    const entry = otherPage.getByTestId('tag-entry');
    await entry.type('spe');
    const option = otherPage.getByRole('option', { name: /Speedrun/ });
    await option.waitFor();
    await option.dispatchEvent('mousedown');
    assert.deepEqual(await otherPage.locator('.tag-selector .tag').allTextContents(), ['Speedrun×']);
    // Unknown categories cannot be sent from the page; a forged one gets a clear refusal.
    const refusal = await otherPage.evaluate(async () => {
      const form = document.querySelector('form[action="/users/settings/channel"]');
      const body = new URLSearchParams(new FormData(form));
      body.set('category', 'cooking');
      const response = await fetch(form.action, { method: 'POST', body });
      return { status: response.status, text: await response.text() };
    });
    assert.equal(refusal.status, 422);
    assert.match(refusal.text, /Choose a category from the list/);
  } finally {
    await other.context.close();
  }
});

test('a follower gets one email per stream and the live channel is listed with its tags', async () => {
  const fan = await signedInPage('fan');
  try {
    const { page } = fan;
    await page.goto(`${server.baseUrl}/artist`);
    const navigations = [];
    page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations.push(frame.url()));
    // The form is hidden by its `hidden` attribute, which its inline-form display must not undo.
    assert.equal(await page.locator('[data-notify-form]').isVisible(), false, 'no live emails offered before following');
    await page.getByTestId('follow-button').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=follow-button]').textContent === 'Unfollow');
    assert.equal(await page.getByTestId('notify-toggle').isVisible(), true, 'offered to a follower');
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/artist/notifications')),
      page.getByTestId('notify-toggle').check(),
    ]);
    assert.equal(answer.status(), 200, 'the opt-in is accepted');
    assert.deepEqual(await answer.json(), { following: true, notifications: true, followers: 1 });
    assert.deepEqual(navigations, [], 'follow and opt-in happen without a reload');
    assert.doesNotMatch(await page.locator('main').innerText(), /not found/i);
    await page.reload();
    assert.ok(await page.getByTestId('notify-toggle').isChecked(), 'the opt-in is saved');
  } finally {
    await fan.context.close();
  }

  push = await startPush(server, await server.streamKey('artist'), ['--loop']);
  await waitFor(async () => (await server.run(['channel', 'status', 'artist'])).startsWith('live'), {
    timeoutMs: 15_000,
    describe: () => push.output(),
  });
  const liveMails = async () =>
    (await listMail(server.baseUrl)).filter((mail) => mail.to.includes('fan@') && /is live/.test(mail.subject));
  await waitFor(async () => (await liveMails()).length === 1, { timeoutMs: 20_000, describe: liveMails });
  await sleep(2_000);
  assert.equal((await liveMails()).length, 1, 'exactly one live email for the stream');

  const page = await browser.newPage();
  try {
    for (const path of ['/', '/streams/gaming', '/streams/gaming?tag=speedrun', '/streams/gaming?subcategory=celeste']) {
      await page.goto(`${server.baseUrl}${path}`);
      const card = page.locator('[data-testid=live-card][data-channel=artist]');
      assert.equal(await card.count(), 1, `${path} lists the live channel`);
      const src = await card.locator('img').first().getAttribute('src');
      assert.match(src, /^\/channels\/\d+\/thumbnail\/416\.jpg$/);
      if (path === '/') {
        // A real frame of the stream (ffmpeg's colour bars), not the grey placeholder.
        await waitFor(async () => (await pictureOf(page, src)).colourful > 0.2, {
          timeoutMs: 15_000,
          describe: async () => JSON.stringify(await pictureOf(page, src)),
        });
        const picture = await pictureOf(page, src);
        assert.deepEqual([picture.width, picture.height], [416, 234]);
        assert.equal(picture.type, 'image/jpeg');
      }
      assert.match(await card.textContent(), /Speedrunning all day/);
      assert.match(await card.textContent(), /Speedrun/);
    }
    await page.goto(`${server.baseUrl}/streams/music`);
    assert.equal(await page.getByTestId('no-streams').count(), 1, 'not listed in another category');
  } finally {
    await page.close();
  }
});

test('two tabs of one viewer count once; a visitor and a signed-in user count two', async () => {
  // Read the id from the page's HTML without running it: a browser tab would start the player
  // and could itself count as a (third) unique viewer.
  const html = await (await fetch(`${server.baseUrl}/artist`)).text();
  const channelId = Number(html.match(/data-channel-id="(\d+)"/)[1]);
  const fan = await signedInPage('fan');
  const visitor = await browser.newContext({ viewport: { width: 375, height: 800 } });
  try {
    const first = await watch(fan.context, 'artist');
    await watch(fan.context, 'artist');
    await waitFor(async () => (await viewerFigures(channelId)).viewers === 1, {
      timeoutMs: 15_000,
      describe: async () => JSON.stringify(await viewerFigures(channelId)),
    });
    await sleep(1_000);
    assert.equal((await viewerFigures(channelId)).viewers, 1, 'two tabs of one signed-in user count once');
    await first.waitForFunction(() => document.querySelector('[data-viewer-count]')?.textContent === '1');

    await watch(visitor, 'artist');
    await waitFor(async () => (await viewerFigures(channelId)).viewers === 2, {
      timeoutMs: 15_000,
      describe: async () => JSON.stringify(await viewerFigures(channelId)),
    });
    // The count is pushed to open pages without a reload.
    await first.waitForFunction(() => document.querySelector('[data-viewer-count]')?.textContent === '2');
    const figures = await viewerFigures(channelId);
    assert.equal(figures.peak, 2);
    assert.equal(figures.unique, 2);
  } finally {
    await visitor.close();
    await fan.context.close();
  }
  await waitFor(async () => (await viewerFigures(channelId)).viewers === 0, { timeoutMs: 20_000 });
});

test('discovery and settings pages fit phones and keep readable contrast in both themes', async () => {
  const failures = [];
  for (const theme of ['light', 'dark']) {
    for (const width of [375, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: 800 } });
      await context.addCookies([{ name: 'shimmer_theme', value: theme, url: server.baseUrl }]);
      const page = await context.newPage();
      await logIn(page, server.baseUrl, 'artist', PASSWORD);
      for (const path of ['/', '/streams/gaming', '/users/settings/channel', '/users/settings/dashboard', '/artist/followers']) {
        await page.goto(`${server.baseUrl}${path}`);
        const label = `${theme} ${width}px ${path}`;
        const contrast = await auditContrast(page);
        failures.push(...contrast.failures.map((failure) => `${label}: ${failure}`));
        const overflow = await horizontalOverflow(page);
        if (overflow.overflow > 0) failures.push(`${label}: ${overflow.overflow}px too wide: ${overflow.culprits.join(', ')}`);
      }
      await context.close();
    }
  }
  assert.deepEqual(failures, []);
});

test('after the stream ends the channel is recently live on the home page; accounts that never streamed are not', async () => {
  await push.stop();
  await waitFor(async () => (await server.run(['channel', 'status', 'artist'])).startsWith('offline'), { timeoutMs: 15_000 });
  const page = await browser.newPage();
  try {
    assert.deepEqual(await homeChannels(page), { offline: ['artist'], none: false });
    const card = page.locator('[data-testid=offline-channels] .channel-card');
    assert.equal(await card.locator('.badge-live').count(), 0, 'an ended stream is not marked live');
  } finally {
    await page.close();
  }
});
