// Screenshots of the main pages at 375 and 1280 px in the light and dark themes, each checked
// for WCAG AA contrast (every visible text element against its effective background: 4.5:1,
// 3:1 for large text; text fields' borders 3:1) and for sideways scrolling. The pictures go to
// $SHIMMER_ARTIFACTS (default tests/browser/artifacts/), which CI keeps.
//
// Run: cd tests/browser && node --test screenshots.test.mjs   (needs target/debug/shimmer)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
} from './harness.mjs';

const PASSWORD = 'correct horse battery';
const ARTIFACTS = path.resolve(
  process.env.SHIMMER_ARTIFACTS ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts'),
);

let browser;
let server;
let push;
let live;
let offline;

before(async () => {
  const [, started, launched] = await Promise.all([testMedia(), startServer(), launchBrowser()]);
  server = started;
  browser = launched;
  live = uniqueName('onair');
  offline = uniqueName('resting');
  await server.createUser({ username: live, password: PASSWORD });
  await server.createUser({ username: offline, password: PASSWORD });
  push = await startPush(server, await server.streamKey(live), ['--loop']);
  // Messages in the live channel's chat and a panel on its page, written by its streamer.
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, server.baseUrl, live, PASSWORD);
  await page.goto(`${server.baseUrl}/users/settings/panels`);
  await page.fill('#title_0', 'Schedule');
  await page.fill('#body_0', '**Weekdays** from 18:00 UTC. [My site](https://example.com)');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save panels' }).click()]);
  await page.goto(`${server.baseUrl}/${live}`);
  await page.waitForSelector('[data-chat][data-chat-state="open"]');
  for (const text of ['Welcome to the stream!', 'Today: testing every theme', 'https://example.com is my site']) {
    await page.locator('[data-chat-input]').fill(text);
    await page.locator('[data-chat-input]').press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-chat-input]').value === '');
  }
  await page.waitForFunction(() => window.__shimmerPlayer?.state === 'playing', null, { timeout: 10_000 });
  await context.close();
});

after(async () => {
  await push?.stop();
  await browser?.close();
  await server?.cleanup();
});

/** Each page state: a name, who looks (null: a visitor), the path, and what to wait for. */
const STATES = [
  { name: 'home', as: null, path: () => '/', ready: 'main' },
  { name: 'channel-live', as: null, path: () => `/${live}`, ready: '[data-chat][data-chat-state="open"]', playing: true },
  { name: 'channel-offline', as: null, path: () => `/${offline}`, ready: '.player-offline' },
  { name: 'chat-popout', as: () => offline, path: () => `/${live}/chat`, ready: '[data-chat-log] .chat-message' },
  { name: 'search', as: null, path: () => '/search?q=onair', ready: 'main' },
  { name: 'settings-panels', as: () => live, path: () => '/users/settings/panels', ready: '[data-testid="panels-form"]' },
];

test('every main page, in both themes at 375 and 1280 px, passes the contrast check', async (t) => {
  await mkdir(ARTIFACTS, { recursive: true });
  const failures = [];
  let shots = 0;
  for (const theme of ['light', 'dark']) {
    for (const width of [375, 1280]) {
      // One browser context per person looking (a visitor, or a signed-in account).
      const people = new Map();
      const pageFor = async (who) => {
        if (!people.has(who)) {
          const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: theme });
          context.setDefaultTimeout(10_000);
          await context.addCookies([{ name: 'shimmer_theme', value: theme, domain: server.host, path: '/' }]);
          const page = await context.newPage();
          const errors = collectErrors(page);
          if (who) await logIn(page, server.baseUrl, who, PASSWORD);
          people.set(who, { context, page, errors });
        }
        return people.get(who).page;
      };
      for (const state of STATES) {
        const who = state.as?.() ?? null;
        const page = await pageFor(who);
        await page.goto(server.baseUrl + state.path());
        await page.waitForSelector(state.ready);
        if (state.playing) await page.waitForFunction(() => window.__shimmerPlayer?.state === 'playing');
        const label = `${state.name} ${theme} ${width}px${who ? ' signed in' : ''}`;
        assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), theme, label);
        const file = path.join(ARTIFACTS, `${state.name}-${theme}-${width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        shots += 1;
        const contrast = await auditContrast(page);
        failures.push(...contrast.failures.map((failure) => `${label}: ${failure}`));
        assert.ok(contrast.checked > 10, `${label}: ${contrast.checked} elements checked`);
        const overflow = await horizontalOverflow(page);
        if (overflow.overflow > 0) failures.push(`${label}: ${overflow.overflow}px too wide: ${overflow.culprits.join(', ')}`);
      }
      for (const { context, errors } of people.values()) {
        errors.assertNone(`errors in ${theme} at ${width}px`);
        await context.close();
      }
    }
  }
  t.diagnostic(`${shots} screenshots in ${ARTIFACTS}`);
  assert.deepEqual(failures, []);
});
