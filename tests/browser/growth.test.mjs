// The growth and financial report and the site analytics in the browser, on a history made by
// `shimmer-bench seed`: an admin reads the report with its four charts, picks another period
// with the date form, and both pages are readable and fit in both themes at 375 and 1280 px.
//
// Run: cd tests/browser && node --test growth.test.mjs
//   (needs target/debug/shimmer, target/debug/shimmer-bench and /usr/bin/chromium)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  SHIMMER_BIN,
  startServer,
  launchBrowser,
  collectErrors,
  auditContrast,
  horizontalOverflow,
  logIn,
  tempDir,
  uniqueName,
} from './harness.mjs';

const PASSWORD = 'correct horse battery';
const BENCH_BIN = path.join(path.dirname(SHIMMER_BIN), 'shimmer-bench');

let browser;
let server;
let seeded;

before(async () => {
  const dataDir = await tempDir('shimmer-growth-');
  const { stdout } = await promisify(execFile)(BENCH_BIN, [
    'seed', '--database', `sqlite://${dataDir}/shimmer.db`, '--users', '200', '--days', '40', '--seed', '3',
  ]);
  seeded = JSON.parse(stdout);
  [browser, server] = await Promise.all([launchBrowser(), startServer({ dataDir })]);
});

after(async () => {
  await browser?.close();
  await server?.cleanup();
});

test('an admin reads the report, changes the period, and every staff figure page reads well', async () => {
  const admin = uniqueName('admin');
  await server.createUser({ username: admin, password: PASSWORD });
  await server.run(['user', 'staff', admin, '--level', '5']);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(5_000);
  const page = await context.newPage();
  const errors = collectErrors(page);
  await logIn(page, server.baseUrl, admin, PASSWORD);

  await page.goto(`${server.baseUrl}/staff/report`);
  assert.equal(await page.locator('svg.bar-chart').count(), 4);
  assert.ok((await page.locator('svg.bar-chart rect').count()) >= 4 * 10, 'a bar per day');
  // The last 14 days' new users: the generator's, and the admin made today.
  const today = Math.floor(Date.now() / 86_400_000);
  let newUsers = 1;
  for (let day = today - 13; day <= today; day += 1) newUsers += seeded.days[day]?.new_users ?? 0;
  assert.equal(await page.locator('tr[data-key="new_users"]').getAttribute('data-value'), String(newUsers));

  const first = new Date((today - 40) * 86_400_000).toISOString().slice(0, 10);
  const last = new Date((today - 31) * 86_400_000).toISOString().slice(0, 10);
  await page.fill('#from', first);
  await page.fill('#to', last);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/staff/report"] button')]);
  assert.match(await page.locator('[data-testid="report-period"]').innerText(), new RegExp(`${first} to ${last}`));

  const failures = [];
  for (const theme of ['light', 'dark']) {
    await context.addCookies([{ name: 'shimmer_theme', value: theme, domain: server.host, path: '/' }]);
    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      for (const pagePath of ['/staff/report', '/staff/analytics']) {
        await page.goto(server.baseUrl + pagePath);
        const label = `${theme} ${width}px ${pagePath}`;
        assert.equal(new URL(page.url()).pathname, pagePath, `${label}: signed in as staff`);
        const contrast = await auditContrast(page);
        failures.push(...contrast.failures.map((failure) => `${label}: ${failure}`));
        const overflow = await horizontalOverflow(page);
        if (overflow.overflow > 0) failures.push(`${label}: ${overflow.overflow}px too wide: ${overflow.culprits.join(', ')}`);
      }
    }
  }
  errors.assertNone('errors on the report and analytics pages');
  assert.deepEqual(failures, []);
  await context.close();
});
