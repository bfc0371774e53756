// The settings menu in real Chromium: grouped (Channel, Account, Security, Developer; Payouts
// only when payments are on) with the current page marked; on a phone it starts folded above
// the page's form and opens on a tap. Contrast and width in both themes at 375 and 1280 px.
//
// Run: cd tests/browser && node --test settings.test.mjs   (needs target/debug/shimmer)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, collectErrors, logIn, uniqueName, auditContrast, horizontalOverflow } from './harness.mjs';

const PASSWORD = 'correct horse battery';

let browser;
let server;
let username;

before(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
  username = uniqueName('settler');
  await server.createUser({ username, password: PASSWORD });
});

after(async () => {
  await browser?.close();
  await server?.cleanup();
});

async function settingsPage({ width, theme }) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: theme });
  await context.addCookies([{ name: 'shimmer_theme', value: theme, domain: server.host, path: '/' }]);
  const page = await context.newPage();
  const errors = collectErrors(page);
  await logIn(page, server.baseUrl, username, PASSWORD);
  await page.goto(`${server.baseUrl}/users/settings/chat`);
  return { context, page, errors };
}

test('settings are grouped on a desktop and fold into a menu on a phone', async () => {
  for (const theme of ['light', 'dark']) {
    const desktop = await settingsPage({ width: 1280, theme });
    const nav = desktop.page.getByRole('navigation', { name: 'Settings' });
    for (const group of ['Channel', 'Account', 'Security', 'Developer']) {
      assert.equal(await nav.getByRole('group', { name: group }).isVisible(), true, `${group} group`);
    }
    assert.equal(await nav.getByRole('group', { name: 'Payouts' }).count(), 0, 'no Payouts group without payments');
    assert.equal(await nav.getByText('Settings menu').isVisible(), false, 'no menu button on a desktop');
    const current = nav.locator('[aria-current="page"]');
    assert.equal(await current.innerText(), 'Chat');
    assert.equal(
      await nav.getByRole('group', { name: 'Channel' }).locator('[aria-current="page"]').count(),
      1,
      'Chat is under Channel',
    );
    assert.deepEqual((await auditContrast(desktop.page)).failures, [], `desktop ${theme}`);
    desktop.errors.assertNone('no console errors');
    await desktop.context.close();

    const phone = await settingsPage({ width: 375, theme });
    const menu = phone.page.getByText('Settings menu');
    assert.equal(await menu.isVisible(), true, 'the menu button shows on a phone');
    assert.equal(await phone.page.getByRole('link', { name: 'Two-factor sign-in' }).isVisible(), false, 'folded');
    assert.equal(await phone.page.getByRole('button', { name: 'Save chat settings' }).isVisible(), true);
    assert.equal((await horizontalOverflow(phone.page)).overflow, 0, `phone ${theme} fits`);
    await menu.click();
    await phone.page.getByRole('link', { name: 'Two-factor sign-in' }).waitFor();
    assert.equal((await horizontalOverflow(phone.page)).overflow, 0, `phone ${theme} menu open fits`);
    assert.deepEqual((await auditContrast(phone.page)).failures, [], `phone ${theme}`);
    await Promise.all([phone.page.waitForURL(/\/users\/settings\/security$/), phone.page.getByRole('link', { name: 'Security', exact: true }).click()]);
    phone.errors.assertNone('no console errors');
    await phone.context.close();
  }
});
