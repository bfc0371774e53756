// Search pages and the home page's "Recently live" in the browser: 32 streamers who have each
// streamed once and are offline again are found by one search, 30 on the first page with a count
// and a Next link (also as <link rel=next>), the rest on the second with Previous; a page past the
// end says so instead of failing, and a page that is not a number is refused with 400 and a
// reason. A channel staff hide from discovery leaves "Recently live" and the browse list.
//
// Run: cd tests/browser && SHIMMER_BIN=$PWD/../../target/debug/shimmer node --test discovery-paging.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer,
  startPush,
  launchBrowser,
  collectErrors,
  logIn,
  waitFor,
  testMedia,
} from './harness.mjs';

const PASSWORD = 'correct horse battery';
/** Search lists 30 channels a page, so 32 make two pages. */
const STREAMERS = 32;
const names = Array.from({ length: STREAMERS }, (_, i) => `pager${String(i).padStart(2, '0')}`);
let browser;
let server;

/** Runs `work` over `items`, `width` at a time. */
async function inBatches(items, width, work) {
  for (let i = 0; i < items.length; i += width) {
    await Promise.all(items.slice(i, i + width).map(work));
  }
}

const status = async (username) => (await server.run(['channel', 'status', username])).trim();

/** Streams once with `shimmer push` until the channel is live, then ends the stream. */
async function streamOnce(username, media) {
  const push = await startPush(server, (await server.streamKey(username)).trim(), ['--loop'], { media });
  try {
    await waitFor(async () => (await status(username)).startsWith('live'), { timeoutMs: 20_000, describe: () => status(username) });
  } finally {
    await push.stop();
  }
  await waitFor(async () => (await status(username)) === 'offline', { timeoutMs: 20_000, describe: () => status(username) });
}

before(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
  const media = await testMedia();
  await inBatches([...names, 'quietone', 'staffer'], 4, (username) => server.createUser({ username, password: PASSWORD }));
  await server.run(['user', 'staff', 'staffer', '--level', '4']);
  await inBatches([...names, 'quietone'], 4, (username) => streamOnce(username, media));
});

after(async () => {
  await browser?.close();
  await server?.cleanup();
});

const listed = (page) => page.$$eval('[data-testid="search-channels"] li', (items) => items.map((li) => li.dataset.channel));

test('a search with more than a page of offline streamers comes in pages with counts and links', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = collectErrors(page);

  let response = await page.goto(`${server.baseUrl}/search?q=pager`);
  assert.equal(response.status(), 200);
  const first = await listed(page);
  assert.equal(first.length, 30, 'a full first page');
  assert.match(await page.getByTestId('search-count').innerText(), /Channels 1–30 of 32/);
  assert.equal(await page.locator('head link[rel="next"]').getAttribute('href'), '/search?q=pager&page=2');
  assert.equal(await page.locator('head link[rel="prev"]').count(), 0, 'no previous page before the first');
  assert.equal(await page.getByTestId('search-previous').count(), 0);

  await Promise.all([page.waitForNavigation(), page.getByTestId('search-next').click()]);
  assert.equal(new URL(page.url()).search, '?q=pager&page=2');
  const second = await listed(page);
  assert.equal(second.length, 2, 'the rest on the second page');
  assert.deepEqual([...first, ...second].sort(), [...names].sort(), 'every streamer exactly once');
  assert.match(await page.getByTestId('search-count').innerText(), /Channels 31–32 of 32/);
  assert.equal(await page.getByTestId('search-next').count(), 0, 'no next page after the last');
  assert.equal(await page.locator('head link[rel="prev"]').getAttribute('href'), '/search?q=pager');
  assert.equal(await page.locator('a[rel="prev"][data-testid="search-previous"]').getAttribute('href'), '/search?q=pager');
  assert.equal(await page.getByTestId('search-tags').count(), 0);

  // Past the end: an empty page that says why and links back, not an error.
  response = await page.goto(`${server.baseUrl}/search?q=pager&page=9`);
  assert.equal(response.status(), 200);
  assert.equal((await listed(page)).length, 0);
  const pastEnd = await page.getByTestId('search-past-end').innerText();
  assert.match(pastEnd, /Page 9 has no results: all 32 channels found are on earlier pages/);
  assert.equal(await page.getByTestId('search-past-end').locator('a').getAttribute('href'), '/search?q=pager');
  assert.equal(await page.getByTestId('search-previous').getAttribute('href'), '/search?q=pager&page=2', 'Previous goes to the last page');

  // Not a page number: 400 with the reason by the field, the query kept.
  for (const bad of ['0', 'two', '-1']) {
    response = await page.goto(`${server.baseUrl}/search?q=pager&page=${bad}`);
    assert.equal(response.status(), 400, bad);
    assert.match(await page.getByTestId('search-error').innerText(), /whole numbers from 1/);
    assert.equal(await page.getByTestId('search-field').inputValue(), 'pager');
  }

  // The JSON search pages the same way.
  const api = await (await fetch(`${server.baseUrl}/api/search?q=pager&page=2`)).json();
  assert.equal(api.channels.length, 2);
  assert.equal(api.total_channels, 32);
  assert.equal(api.page, 2);
  assert.equal(api.pages, 2);
  assert.equal(api.more_channels, false);
  const refused = await fetch(`${server.baseUrl}/api/search?q=pager&page=x`);
  assert.equal(refused.status, 400);
  assert.match((await refused.json()).error, /whole number from 1/);

  errors.assertNone();
  await context.close();
});

test('a channel staff hide from discovery leaves Recently live and the browse list', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const recently = () => page.$$eval('[data-testid="offline-channels"] a', (links) => links.map((a) => a.getAttribute('href')));
  const browsed = () => page.$$eval('[data-testid="browse-channels"] a', (links) => links.map((a) => a.getAttribute('href')));

  await page.goto(`${server.baseUrl}/`);
  assert.ok((await recently()).includes('/quietone'), 'listed while shown');
  await page.goto(`${server.baseUrl}/search`);
  assert.ok((await browsed()).includes('/quietone'));

  const staff = await browser.newContext();
  const staffPage = await staff.newPage();
  await logIn(staffPage, server.baseUrl, 'staffer', PASSWORD);
  await staffPage.goto(`${server.baseUrl}/staff/users/quietone`);
  await Promise.all([
    staffPage.waitForNavigation(),
    staffPage.click('form[action="/staff/users/quietone/discovery"] button[value="on"]'),
  ]);
  await staff.close();

  await page.goto(`${server.baseUrl}/`);
  const after = await recently();
  assert.ok(!after.includes('/quietone'), `hidden channel still listed: ${after}`);
  assert.ok(after.includes('/pager00'), 'other channels stay');
  await page.goto(`${server.baseUrl}/search`);
  assert.ok(!(await browsed()).includes('/quietone'));
  await context.close();
});
