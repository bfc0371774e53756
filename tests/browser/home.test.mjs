// The home page and search in the browser: a visitor lands on the hero, searches the header's
// field for a streamer with a typo in mind ("ninja" for "ninjja"), finds them offline (never the
// account that never streamed), opens their channel, logs in from it and follows; the channel
// page carries share tags with an absolute live thumbnail; a signed-in follower sees the
// followed channel live in the sidebar (a row above the page on phones); the home and search
// pages fit 375 and 1280 px in both themes with AA contrast, labelled fields and no script errors.
//
// Run: cd tests/browser && SHIMMER_BIN=$PWD/../../target/debug/shimmer node --test home.test.mjs
// Set SHIMMER_SCREENSHOTS=/tmp/some-dir to also save screenshots of every page/theme/width.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  startServer,
  startPush,
  launchBrowser,
  collectErrors,
  logIn,
  waitFor,
  auditContrast,
  horizontalOverflow,
} from './harness.mjs';

const PASSWORD = 'correct horse battery';
const SCREENSHOTS = process.env.SHIMMER_SCREENSHOTS;
let browser;
let server;
let push;

before(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
  for (const username of ['ninjja', 'ninja', 'fan']) {
    await server.createUser({ username, password: PASSWORD });
  }
  // The streamer's channel: a title and a category, with a tag to find.
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, server.baseUrl, 'ninjja', PASSWORD);
  await page.goto(`${server.baseUrl}/users/settings/channel`);
  await page.fill('#title', 'Turtle speedruns at night');
  await page.selectOption('#category', 'gaming');
  const entry = page.getByTestId('tag-entry');
  await entry.fill('Speedrun');
  await entry.press('Enter');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/users/settings/channel"] button[type=submit]')]);
  await context.close();
});

after(async () => {
  await push?.stop();
  await browser?.close();
  await server?.cleanup();
});

let fanState;
/** A browser context signed in as the fan (logged in once; log-ins are throttled). */
async function fanContext(options = {}) {
  if (!fanState) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, server.baseUrl, 'fan', PASSWORD);
    fanState = await context.storageState();
    await context.close();
  }
  return browser.newContext({ ...options, storageState: fanState });
}

const status = async (username) => (await server.run(['channel', 'status', username])).trim();

/** Streams the channel with `shimmer push --loop` until it is live. */
async function goLive(username) {
  push = await startPush(server, (await server.streamKey(username)).trim(), ['--loop']);
  await waitFor(async () => (await status(username)).startsWith('live'), { timeoutMs: 15_000, describe: () => status(username) });
}

async function goOffline(username) {
  await push.stop();
  push = undefined;
  await waitFor(async () => (await status(username)) === 'offline', { timeoutMs: 15_000, describe: () => status(username) });
}

/** Form controls a person can see that have no label (neither <label> nor aria-label). */
function unlabelled(page) {
  return page.$$eval('input:not([type=hidden]), select, textarea', (fields) =>
    fields
      .filter((field) => field.offsetParent !== null)
      .filter((field) => field.labels.length === 0 && !field.getAttribute('aria-label'))
      .map((field) => field.name || field.id),
  );
}

const metaContent = (page, selector) => page.locator(selector).getAttribute('content');

/** Audits home and search at 375 and 1280 px in both themes, for a visitor and a follower. */
async function auditPages(state) {
  const failures = [];
  const pages = ['/', '/search?q=ninja', '/search', `/search?q=${'n'.repeat(101)}`];
  for (const theme of ['light', 'dark']) {
    for (const width of [375, 1280]) {
      for (const signedIn of [false, true]) {
        const viewport = { viewport: { width, height: 800 } };
        const context = signedIn ? await fanContext(viewport) : await browser.newContext(viewport);
        await context.addCookies([{ name: 'shimmer_theme', value: theme, url: server.baseUrl }]);
        const errors = collectErrors(context);
        const page = await context.newPage();
        for (const target of pages) {
          await page.goto(`${server.baseUrl}${target}`);
          const label = `${state} ${theme} ${width}px ${signedIn ? 'fan' : 'visitor'} ${target.slice(0, 20)}`;
          const contrast = await auditContrast(page);
          failures.push(...contrast.failures.map((failure) => `${label}: ${failure}`));
          const overflow = await horizontalOverflow(page);
          if (overflow.overflow > 0) failures.push(`${label}: ${overflow.overflow}px too wide: ${overflow.culprits.join(', ')}`);
          for (const field of await unlabelled(page)) failures.push(`${label}: unlabelled field ${field}`);
          if (SCREENSHOTS) {
            await mkdir(SCREENSHOTS, { recursive: true });
            const name = `home-${state}-${target === '/' ? 'home' : target.length > 30 ? 'search-too-long' : target.slice(1).replace(/\W+/g, '-')}-${signedIn ? 'fan' : 'visitor'}-${theme}-${width}.png`;
            await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true });
          }
        }
        errors.assertNone(`${theme} ${width}px`);
        await context.close();
      }
    }
  }
  return failures;
}

test('the channel page shares its title, streamer and an absolute live thumbnail', async () => {
  await goLive('ninjja');
  const context = await browser.newContext();
  const errors = collectErrors(context);
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/ninjja`);
  const image = await metaContent(page, 'meta[property="og:image"]');
  assert.match(image, new RegExp(`^${server.baseUrl}/channels/\\d+/thumbnail/832\\.jpg\\?stream=\\d+$`));
  assert.equal(await metaContent(page, 'meta[name="twitter:image"]'), image);
  assert.equal(await metaContent(page, 'meta[name="twitter:card"]'), 'summary_large_image');
  assert.equal(await metaContent(page, 'meta[property="og:title"]'), 'Turtle speedruns at night · ninjja');
  assert.equal(await metaContent(page, 'meta[name="twitter:title"]'), 'Turtle speedruns at night · ninjja');
  assert.equal(await metaContent(page, 'meta[property="og:url"]'), `${server.baseUrl}/ninjja`);
  assert.equal(await metaContent(page, 'meta[property="og:description"]'), 'ninjja is live on Shimmer: Turtle speedruns at night');
  assert.match(await metaContent(page, 'meta[name="description"]'), /^ninjja is live on Shimmer: /);
  const picture = await page.evaluate(async (src) => {
    const response = await fetch(src);
    const bitmap = await createImageBitmap(await response.blob());
    return { type: response.headers.get('content-type'), width: bitmap.width, height: bitmap.height };
  }, image);
  assert.deepEqual(picture, { type: 'image/jpeg', width: 832, height: 468 });
  // Every other page has the site's description and a plain card.
  await page.goto(`${server.baseUrl}/faq`);
  assert.ok((await metaContent(page, 'meta[name="description"]')).length > 20);
  assert.equal(await metaContent(page, 'meta[name="twitter:card"]'), 'summary');
  assert.equal(await page.locator('meta[property="og:image"]').count(), 0);
  errors.assertNone('share tags');
  await context.close();
});

test('a follower sees the live channel in the sidebar, a row above the page on phones', async () => {
  const failures = [];
  for (const width of [1280, 375]) {
    const context = await fanContext({ viewport: { width, height: 800 } });
    const errors = collectErrors(context);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/ninjja`);
    if (width === 1280) {
      await page.getByTestId('follow-button').click();
      await page.waitForFunction(() => document.querySelector('[data-testid=follow-button]')?.textContent.trim() === 'Unfollow');
    }
    await page.goto(`${server.baseUrl}/`);
    assert.equal(await page.getByTestId('hero').count(), 0, 'no hero for signed-in users');
    assert.match(await page.getByTestId('category-tiles').innerText(), /Gaming\s+1 live/);
    const sidebar = page.getByTestId('followed-live');
    await sidebar.locator('a[data-channel=ninjja]').waitFor();
    const box = await sidebar.boundingBox();
    const main = await page.locator('.home-main').boundingBox();
    if (width === 1280) {
      assert.ok(box.x + box.width <= main.x && box.width < 300, `a sidebar beside the page: ${JSON.stringify({ box, main })}`);
    } else {
      assert.ok(box.y + box.height <= main.y + 1 && box.height < 160, `a row above the page: ${JSON.stringify({ box, main })}`);
    }
    if (SCREENSHOTS) {
      await mkdir(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, `home-followed-live-${width}.png`), fullPage: true });
    }
    const overflow = await horizontalOverflow(page);
    if (overflow.overflow > 0) failures.push(`${width}px: ${overflow.overflow}px too wide: ${overflow.culprits.join(', ')}`);
    errors.assertNone(`home at ${width}px`);
    await context.close();
  }
  assert.deepEqual(failures, []);
});

test('home and search fit 375 and 1280 px in both themes with readable contrast and labelled fields, live and offline', async () => {
  const live = await auditPages('live');
  // Unfollow again, so the journey below follows from scratch.
  const context = await fanContext();
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/ninjja`);
  await page.getByTestId('follow-button').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=follow-button]')?.textContent.trim() === 'Follow');
  await context.close();
  await goOffline('ninjja');
  assert.deepEqual([...live, ...(await auditPages('offline'))], []);
});

test('a visitor lands on the hero, finds an offline streamer despite a typo, and follows them', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const errors = collectErrors(context);
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/`);
  const hero = page.getByTestId('hero');
  assert.ok(await hero.isVisible());
  assert.match(await hero.locator('h1').innerText(), /Live streams/);
  assert.equal(await page.getByTestId('start-streaming').getAttribute('href'), '/users/register');
  const tiles = await page.getByTestId('category-tiles').innerText();
  assert.match(tiles, /Gaming\s+none live/);

  await page.getByLabel('Search channels, categories and tags').fill('ninja');
  await Promise.all([page.waitForURL(/\/search\?q=ninja$/), page.getByLabel('Search channels, categories and tags').press('Enter')]);
  const found = await page.locator('[data-testid=search-channels] li').evaluateAll(
    (items) => items.map((item) => ({ name: item.dataset.channel, text: item.innerText })),
  );
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.equal(found[0].name, 'ninjja', 'the streamer, despite the typo; never the account that never streamed');
  assert.match(found[0].text, /OFFLINE/i);
  assert.equal(await page.getByLabel('Search channels, categories and tags').inputValue(), 'ninja');

  await Promise.all([page.waitForURL(`${server.baseUrl}/ninjja`), page.locator('[data-testid=search-channels] a').click()]);
  await Promise.all([page.waitForURL(/\/users\/login/), page.getByTestId('login-to-follow').click()]);
  await page.fill('#login', 'fan');
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(`${server.baseUrl}/ninjja`), page.click('form[action="/users/login"] button[type="submit"]')]);
  await page.getByTestId('follow-button').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=follow-button]')?.textContent.trim() === 'Unfollow');
  assert.equal((await page.locator('[data-follower-count]').innerText()).trim(), '1');
  errors.assertNone('the journey');
  await context.close();
});

test('search refuses an over-long query by name and browses when empty', async () => {
  const context = await browser.newContext();
  const errors = collectErrors(context);
  const page = await context.newPage();
  const response = await page.goto(`${server.baseUrl}/search?q=${'n'.repeat(101)}`);
  assert.equal(response.status(), 422);
  const field = page.getByLabel('Search channels, categories and tags');
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  assert.match(await page.getByTestId('search-error').innerText(), /at most 100 characters/);
  await field.fill('');
  await Promise.all([page.waitForURL(/\/search\?q=$/), field.press('Enter')]);
  assert.match(await page.locator('h1').innerText(), /Search and browse/);
  assert.ok(await page.getByTestId('category-tiles').isVisible());
  const channels = await page.locator('[data-testid=browse-channels] a').evaluateAll(
    (links) => links.map((link) => new URL(link.href).pathname),
  );
  assert.deepEqual(channels, ['/ninjja']);
  await page.goto(`${server.baseUrl}/search?q=gamng`);
  assert.match(await page.getByTestId('category-tiles').innerText(), /Gaming\s+none live/);
  await page.goto(`${server.baseUrl}/search?q=speedrn`);
  assert.deepEqual(await page.locator('[data-testid=search-channels] li').evaluateAll((items) => items.map((item) => item.dataset.channel)), ['ninjja']);
  const tag = page.locator('[data-testid=search-tags] a');
  assert.equal(await tag.getAttribute('href'), '/streams/gaming?tag=speedrun');
  assert.match(await tag.innerText(), /Speedrun\s+in Gaming/);
  await page.goto(`${server.baseUrl}/search?q=qqqq`);
  assert.ok(await page.getByTestId('search-none').isVisible());
  errors.assertNone('search limits');
  await context.close();
});

