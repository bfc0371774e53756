// Accounts in the browser: a profile edited and seen in public, two-factor sign-in enrolled by
// decoding the QR image on screen, log-in with a code and with a recovery code (once), a report
// filed and found in the staff queue, a deleted account's chat messages anonymised, radio buttons
// at their own size on /preferences, and the music list on the copyright page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import jsQR from 'jsqr';
import { startServer, launchBrowser, collectErrors, logIn, uniqueName, tempDir, totpCode, auditContrast, horizontalOverflow } from './harness.mjs';

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

async function signedIn(username, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = collectErrors(page);
  await logIn(page, server.baseUrl, username, PASSWORD);
  return { context, page, errors };
}

async function logOut(page) {
  await Promise.all([page.waitForNavigation(), page.click('[data-testid="logout"]')]);
}

/** Submits the log-in form with a password; resolves on the page it leads to. */
async function passwordStep(page, username) {
  await page.goto(`${server.baseUrl}/users/login`);
  await page.fill('#login', username);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/users/login"] button[type="submit"]')]);
}

async function codeStep(page, code) {
  await page.fill('#code', code);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/users/login/two-factor"] button')]);
}

test('a profile is edited and shown on the public page', async () => {
  const name = uniqueName('painter');
  await server.createUser({ username: name, password: PASSWORD });
  const { page, errors, context } = await signedIn(name);
  await page.goto(`${server.baseUrl}/users/settings/profile`);
  await page.fill('#pronouns', 'she/her');
  await page.fill('#bio', 'I paint **live** every Sunday.\n\n<script>window.pwned = true</script>');
  await page.fill('#live_message', 'Painting now!');
  await page.fill('#link-discord', 'discord.gg/paintclub');
  await page.fill('#link-website', 'example.com/gallery');
  await Promise.all([page.waitForURL(/notice=profile_saved/), page.click('form[action="/users/settings/profile"] button[type="submit"]')]);

  // A malformed link is refused next to its field, keeping what was typed.
  await page.fill('#link-instagram', 'https://evil.example/me');
  await page.click('form[action="/users/settings/profile"] button[type="submit"]');
  await page.locator('#instagram-error').waitFor();
  assert.equal(await page.inputValue('#pronouns'), 'she/her');

  const avatar = path.join(await tempDir('shimmer-avatar-'), 'avatar.png');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=teal:s=400x300', '-frames:v', '1', '-y', avatar]);
  await page.goto(`${server.baseUrl}/users/settings/profile`);
  await page.setInputFiles('#avatar', avatar);
  await Promise.all([page.waitForURL(/notice=avatar_saved/), page.click('form[enctype="multipart/form-data"] button')]);

  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  const visitorErrors = collectErrors(visitor);
  await visitor.goto(`${server.baseUrl}/${name}/profile`);
  const profile = visitor.locator('[data-testid="profile"]');
  assert.equal(await profile.locator('h1').innerText(), name);
  assert.equal(await visitor.locator('[data-testid="pronouns"]').innerText(), 'she/her');
  assert.equal(await visitor.locator('[data-testid="bio"] strong').innerText(), 'live');
  assert.equal(await visitor.evaluate(() => window.pwned), undefined);
  assert.equal(await visitor.locator('a[href="https://discord.gg/paintclub"]').count(), 1);
  assert.equal(await visitor.locator('a[href="https://example.com/gallery"]').count(), 1);
  const image = profile.locator('img.avatar');
  await image.waitFor();
  assert.equal(await image.evaluate((img) => img.complete && img.naturalWidth), 256);
  // The live message waits for the stream.
  assert.equal(await visitor.locator('[data-testid="live-message"]').count(), 0);

  for (const width of [375, 1280]) {
    await visitor.setViewportSize({ width, height: 800 });
    assert.equal((await horizontalOverflow(visitor)).overflow, 0, `no sideways scrolling at ${width} px`);
  }
  const contrast = await auditContrast(visitor);
  assert.deepEqual(contrast.failures, []);
  visitorErrors.assertNone('visitor');

  // Dark theme on a phone: readable, and nothing sticks out sideways.
  const darkContext = await browser.newContext({ colorScheme: 'dark', viewport: { width: 375, height: 800 } });
  const dark = await darkContext.newPage();
  for (const pagePath of [`/${name}/profile`, '/copyright', '/preferences']) {
    await dark.goto(`${server.baseUrl}${pagePath}`);
    assert.deepEqual((await auditContrast(dark)).failures, [], `${pagePath} in dark`);
    assert.equal((await horizontalOverflow(dark)).overflow, 0, `${pagePath} at 375 px`);
  }
  await darkContext.close();
  errors.assertNone('profile editor');
  await context.close();
  await visitorContext.close();
});

test('two-factor sign-in is enrolled from the QR image, then codes and recovery codes log in', async () => {
  const name = uniqueName('careful');
  await server.createUser({ username: name, password: PASSWORD });
  const { page, errors, context } = await signedIn(name);
  await page.goto(`${server.baseUrl}/users/settings/two-factor`);

  // Decode the QR image as a phone would: its pixels, through a canvas.
  const qr = page.locator('[data-testid="totp-qr"]');
  await qr.waitFor();
  const { width, height, data } = await qr.evaluate(async (img) => {
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext('2d');
    context.drawImage(img, 0, 0);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
    return { width: pixels.width, height: pixels.height, data: Array.from(pixels.data) };
  });
  const decoded = jsQR(Uint8ClampedArray.from(data), width, height);
  assert.ok(decoded, 'the QR image decodes');
  const otpauth = new URL(decoded.data);
  assert.equal(otpauth.protocol, 'otpauth:');
  assert.equal(otpauth.searchParams.get('digits'), '6');
  const secret = otpauth.searchParams.get('secret');
  assert.equal(secret, (await page.locator('[data-testid="totp-key"]').innerText()).trim());

  await page.fill('#confirm-code', totpCode(secret));
  await Promise.all([page.waitForNavigation(), page.click('form[action="/users/settings/two-factor/confirm"] button')]);
  const recovery = (await page.locator('[data-testid="recovery-codes"] code').allInnerTexts()).map((code) => code.trim());
  assert.equal(recovery.length, 10);
  assert.deepEqual((await auditContrast(page)).failures, [], 'the recovery codes page is readable');

  // Log out; the password alone leads only to the code step, and a wrong code is refused.
  await logOut(page);
  await passwordStep(page, name);
  assert.equal(new URL(page.url()).pathname, '/users/login/two-factor');
  await page.goto(`${server.baseUrl}/users/settings/profile`);
  assert.equal(new URL(page.url()).pathname, '/users/login', 'settings need the second step');
  await passwordStep(page, name);
  await codeStep(page, '000000');
  await page.getByText('That code is not correct').waitFor();
  // The next step's code (the current one was used to enrol) signs in.
  await codeStep(page, totpCode(secret, 1));
  assert.equal(new URL(page.url()).searchParams.get('notice'), 'logged_in');
  assert.equal(await page.locator('[data-testid="logout"]').count(), 1);

  // A recovery code works once.
  await logOut(page);
  await passwordStep(page, name);
  await codeStep(page, recovery[0]);
  assert.equal(await page.locator('[data-testid="logout"]').count(), 1);
  await logOut(page);
  await passwordStep(page, name);
  await codeStep(page, recovery[0]);
  await page.getByText('That code is not correct').waitFor();
  assert.equal(await page.locator('[data-testid="logout"]').count(), 0);
  errors.assertNone('two-factor');
  await context.close();
});

test('a report is filed from the channel page and found in the staff queue', async () => {
  const suspect = uniqueName('suspect');
  const reporter = uniqueName('witness');
  const staff = uniqueName('keeper');
  await server.createUser({ username: suspect, password: PASSWORD });
  await server.createUser({ username: reporter, password: PASSWORD });
  await server.createUser({ username: staff, password: PASSWORD, admin: true });

  const { page, errors, context } = await signedIn(reporter);
  await page.goto(`${server.baseUrl}/${suspect}`);
  await Promise.all([page.waitForNavigation(), page.click('[data-testid="report-channel"]')]);
  assert.ok(await page.locator('input[name="location"][value="stream"]').isChecked());
  // Radio buttons keep their own size beside their labels (not stretched like text inputs).
  const radio = await page.locator('input[name="reason"][value="copyright"]').boundingBox();
  assert.ok(radio.width < 30, `a radio button ${radio.width} px wide`);
  await page.check('input[name="reason"][value="copyright"]');
  await page.fill('#notes', 'Plays a whole film on stream.');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/report"] button')]);
  await page.getByText('was sent to the staff team').waitFor();

  // Staff must enrol two-factor sign-in first (the harness does it), then see the report.
  const keeper = await signedIn(staff);
  await keeper.page.goto(`${server.baseUrl}/staff/reports`);
  const entry = keeper.page.locator('[data-testid="report"]').filter({ hasText: suspect });
  await entry.waitFor();
  assert.match(await entry.innerText(), /Copyright infringement/);
  assert.match(await entry.innerText(), /Plays a whole film on stream\./);
  await Promise.all([keeper.page.waitForURL(/notice=report_updated/), entry.locator('button[value="resolved"]').click()]);
  assert.equal(await keeper.page.locator('[data-testid="report"]').filter({ hasText: suspect }).count(), 0);
  errors.assertNone('reporter');
  keeper.errors.assertNone('staff');
  await context.close();
  await keeper.context.close();
});

test('a deleted account leaves its chat messages, shown as from a deleted user', async () => {
  const host = uniqueName('host');
  const leaver = uniqueName('leaver');
  await server.createUser({ username: host, password: PASSWORD });
  await server.createUser({ username: leaver, password: PASSWORD });

  const { page, errors, context } = await signedIn(leaver);
  await page.goto(`${server.baseUrl}/${host}`);
  await page.locator('[data-chat][data-chat-state="open"]').waitFor();
  await page.fill('[data-chat-input]', 'so long and thanks');
  await page.press('[data-chat-input]', 'Enter');
  const row = page.locator('[data-chat-log] .chat-message').filter({ hasText: 'so long and thanks' });
  await row.waitFor();
  assert.equal(await row.locator('.chat-name').innerText(), leaver);

  await page.goto(`${server.baseUrl}/users/settings/account`);
  await page.fill('#delete-password', PASSWORD);
  await page.check('input[name="confirm"]');
  await Promise.all([page.waitForURL(/notice=account_deleted/), page.click('form[action="/users/settings/account/delete"] button')]);
  assert.equal(await page.locator('[data-testid="logout"]').count(), 0);

  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await viewer.goto(`${server.baseUrl}/${host}`);
  await viewer.locator('[data-chat][data-chat-state="open"]').waitFor();
  const kept = viewer.locator('[data-chat-log] .chat-message').filter({ hasText: 'so long and thanks' });
  await kept.waitFor();
  assert.equal(await kept.locator('.chat-name').innerText(), 'Deleted user');
  const gone = await viewer.goto(`${server.baseUrl}/${leaver}`);
  assert.equal(gone.status(), 404);
  errors.assertNone('leaver');
  await context.close();
  await viewerContext.close();
});

test('radio buttons on /preferences keep their own size beside their labels', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${server.baseUrl}/preferences`);
  const radios = page.locator('input[type="radio"][name="theme"]');
  assert.equal(await radios.count(), 3);
  for (const radio of await radios.all()) {
    const [box, label] = await Promise.all([radio.boundingBox(), radio.locator('xpath=..').boundingBox()]);
    assert.ok(box.width < 30, `a radio button ${box.width} px wide`);
    assert.ok(label.width > box.width * 3, 'its label sits beside it');
  }
  // Choosing one works (a theme chosen by a visitor is kept in this browser).
  await page.check('input[type="radio"][name="theme"][value="dark"]');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/preferences"] button[type="submit"]')]);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  errors.assertNone('preferences');
  await context.close();
});

test('the copyright page lists music that is safe to stream, Ninety9Lives among it', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.baseUrl}/copyright`);
  const section = page.locator('h2', { hasText: 'Music you can stream' });
  assert.equal(await section.count(), 1);
  const sources = await section.locator('xpath=following-sibling::ul[1]/li/a').allInnerTexts();
  assert.ok(sources.includes('Ninety9Lives'), `sources: ${sources.join(', ')}`);
  assert.ok(sources.includes('StreamBeats'), `sources: ${sources.join(', ')}`);
  assert.equal(
    await page.locator('a', { hasText: 'Ninety9Lives' }).getAttribute('href'),
    'https://ninety9lives.com/',
  );
  await page.close();
});
