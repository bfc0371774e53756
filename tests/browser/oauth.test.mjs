// OAuth in the browser: a developer creates an app (with a logo) on the settings page, another
// user authorizes it on the consent page, and the app — played here by node's fetch — exchanges
// the code with and without PKCE, refreshes, revokes and introspects. The pages are checked at
// 375 px and 1280 px in both themes for contrast and overflow. A user with two-factor sign-in
// who starts signed out comes back to the consent page after the code step.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
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
  enrolTwoFactor,
  totpCode,
} from './harness.mjs';

const PASSWORD = 'correct horse battery';
let browser;
let server;
let callback;
let callbackUrl;

before(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
  // The app's redirect target: a loopback page, as a desktop app would run.
  callback = http.createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<!doctype html><title>callback</title><p>Back in the app.</p>');
  });
  await new Promise((resolve) => callback.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${callback.address().port}/callback`;
});

after(async () => {
  await browser?.close();
  await server?.cleanup();
  await new Promise((resolve) => callback?.close(resolve));
});

async function pngFile() {
  const file = path.join(await tempDir('shimmer-logo-'), 'logo.png');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=teal:s=128x128', '-frames:v', '1', '-y', file]);
  return file;
}

async function tokenCall(endpoint, params, { asQuery = false } = {}) {
  const url = new URL(`${server.baseUrl}/api/oauth/${endpoint}`);
  let init = { method: 'POST' };
  if (asQuery) {
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    init.body = '{}';
  } else {
    init = { ...init, body: new URLSearchParams(params) };
  }
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

function assertTokenShape(json, scope) {
  assert.match(json.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  assert.equal(json.expires_in, 86400);
  assert.equal(json.token_type, 'bearer');
  assert.equal(json.scope, scope);
  assert.equal(typeof json.access_token, 'string');
  assert.equal(typeof json.refresh_token, 'string');
}

/** Walks the consent page and returns the callback URL the browser landed on. */
async function consent(page, clientId, extra = {}) {
  const url = new URL(`${server.baseUrl}/oauth/authorize`);
  const params = { client_id: clientId, redirect_uri: callbackUrl, response_type: 'code', scope: 'public chat', state: 'st-1', ...extra };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  await page.goto(url.href);
  await page.getByRole('button', { name: 'Authorize' }).waitFor();
  await Promise.all([page.waitForURL((target) => target.href.startsWith(callbackUrl)), page.getByRole('button', { name: 'Authorize' }).click()]);
  const landed = new URL(page.url());
  assert.equal(landed.searchParams.get('state'), 'st-1');
  return landed.searchParams.get('code');
}

test('an app is created, authorized by another user, and its tokens exchanged, refreshed, revoked and introspected', async (t) => {
  const developer = uniqueName('maker');
  const viewer = uniqueName('granter');
  await server.createUser({ username: developer, password: PASSWORD });
  await server.createUser({ username: viewer, password: PASSWORD });

  // The developer creates the app and uploads its logo.
  const devContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const devPage = await devContext.newPage();
  const devErrors = collectErrors(devPage);
  await logIn(devPage, server.baseUrl, developer, PASSWORD);
  await devPage.goto(`${server.baseUrl}/users/settings/profile`);
  await Promise.all([devPage.waitForURL(/applications$/), devPage.getByRole('link', { name: 'Developer apps' }).click()]);
  await devPage.fill('#app-name', 'Overlay Maker');
  await devPage.fill('#app-description', 'Shows your chat on stream.');
  await devPage.fill('#app-redirects', 'http://example.com/insecure');
  await devPage.getByRole('button', { name: 'Create application' }).click();
  await devPage.getByText('must use https').waitFor();
  await devPage.fill('#app-redirects', callbackUrl);
  await devPage.getByRole('button', { name: 'Create application' }).click();
  await devPage.getByText('shown only this once').waitFor();
  const clientId = await devPage.inputValue('#client-id');
  const clientSecret = await devPage.inputValue('#client-secret');
  assert.match(clientId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.ok(clientSecret.length >= 32);
  const appPath = await devPage.locator('form[action^="/users/settings/applications/"][action$="/rotate"]').getAttribute('action');
  const appUrl = `${server.baseUrl}${appPath.replace(/\/rotate$/, '')}`;
  await devPage.goto(appUrl);
  await devPage.setInputFiles('#app-logo', await pngFile());
  await Promise.all([devPage.waitForURL(/notice=logo_saved/), devPage.getByRole('button', { name: 'Upload logo' }).click()]);
  assert.ok(await devPage.locator('img.app-logo').evaluate((img) => img.complete && img.naturalWidth > 0), 'the logo shows');
  assert.equal(await devPage.locator('#client-secret').count(), 0, 'the secret is not shown again');

  // Another user sees the app, its logo and the scopes in words, and authorizes it.
  const viewerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const viewerPage = await viewerContext.newPage();
  const viewerErrors = collectErrors(viewerPage, { ignore: [new RegExp(callbackUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))] });
  await logIn(viewerPage, server.baseUrl, viewer, PASSWORD);
  const code = await consent(viewerPage, clientId);
  assert.ok(code);

  // Exchange without PKCE, Casterlabs-style (query string, `{}` body), with the secret.
  const first = await tokenCall('token', { grant_type: 'authorization_code', code, redirect_uri: callbackUrl, client_id: clientId, client_secret: clientSecret }, { asQuery: true });
  assert.equal(first.status, 200, JSON.stringify(first.json));
  assertTokenShape(first.json, 'public chat');

  // With PKCE: no secret, parameters in a form body.
  const verifier = randomBytes(48).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  await viewerPage.goto(`${server.baseUrl}/oauth/authorize?client_id=${clientId}&redirect_uri=${encodeURIComponent(callbackUrl)}&response_type=code&scope=public%20chat%20follow&state=st-1&code_challenge=${challenge}&code_challenge_method=S256`);
  await viewerPage.getByText('Follow and unfollow channels').waitFor();
  assert.ok(await viewerPage.locator('img.app-logo').evaluate((img) => img.complete && img.naturalWidth > 0), 'the consent page shows the logo');
  assert.match(await viewerPage.locator('.consent').innerText(), /Overlay Maker[\s\S]*See your public profile[\s\S]*Send chat messages/);
  await Promise.all([viewerPage.waitForURL((target) => target.href.startsWith(callbackUrl)), viewerPage.getByRole('button', { name: 'Authorize' }).click()]);
  const pkceCode = new URL(viewerPage.url()).searchParams.get('code');
  const wrong = await tokenCall('token', { grant_type: 'authorization_code', code: pkceCode, redirect_uri: callbackUrl, client_id: clientId, code_verifier: `${verifier}x` });
  assert.equal(wrong.status, 400);
  assert.equal(wrong.json.error, 'invalid_grant');
  const pkce = await tokenCall('token', { grant_type: 'authorization_code', code: pkceCode, redirect_uri: callbackUrl, client_id: clientId, code_verifier: verifier });
  assert.equal(pkce.status, 200, JSON.stringify(pkce.json));
  assertTokenShape(pkce.json, 'public chat follow');

  // Refresh, then revoke, then introspect.
  const refreshed = await tokenCall('token', { grant_type: 'refresh_token', refresh_token: pkce.json.refresh_token, client_id: clientId });
  assert.equal(refreshed.status, 200, JSON.stringify(refreshed.json));
  assertTokenShape(refreshed.json, 'public chat follow');
  const active = await tokenCall('introspect', { client_id: clientId, client_secret: clientSecret, token: refreshed.json.access_token });
  assert.equal(active.json.active, true);
  assert.equal(active.json.username, viewer);
  const revoked = await tokenCall('revoke', { client_id: clientId, client_secret: clientSecret, token: refreshed.json.access_token });
  assert.equal(revoked.status, 200);
  const inactive = await tokenCall('introspect', { client_id: clientId, client_secret: clientSecret, token: refreshed.json.access_token });
  assert.deepEqual(inactive.json, { active: false });

  // Denying sends access_denied back to the app.
  await viewerPage.goto(`${server.baseUrl}/oauth/authorize?client_id=${clientId}&redirect_uri=${encodeURIComponent(callbackUrl)}&response_type=code&state=st-2`);
  await Promise.all([viewerPage.waitForURL((target) => target.href.startsWith(callbackUrl)), viewerPage.getByRole('button', { name: 'Deny' }).click()]);
  assert.equal(new URL(viewerPage.url()).searchParams.get('error'), 'access_denied');

  // The viewer's "Authorized apps" page lists the app; revoking ends the first token too.
  await viewerPage.goto(`${server.baseUrl}/users/settings/authorizations`);
  const row = viewerPage.locator('[data-authorized="Overlay Maker"]');
  await row.waitFor();
  await Promise.all([viewerPage.waitForURL(/notice=authorization_revoked/), row.getByRole('button', { name: 'Revoke' }).click()]);
  assert.equal(await viewerPage.locator('[data-authorized="Overlay Maker"]').count(), 0);
  const afterRevoke = await tokenCall('introspect', { client_id: clientId, client_secret: clientSecret, token: first.json.access_token });
  assert.equal(afterRevoke.json.active, false);

  // Every page at phone and desktop widths, in both themes.
  const host = new URL(server.baseUrl).hostname;
  const failures = [];
  const devState = await devContext.storageState();
  const viewerState = await viewerContext.storageState();
  const views = [
    ['applications', devState, '/users/settings/applications'],
    ['application', devState, appPath.replace(/\/rotate$/, '')],
    ['delete', devState, `${appPath.replace(/\/rotate$/, '')}/delete`],
    ['consent', viewerState, `/oauth/authorize?client_id=${clientId}&redirect_uri=${encodeURIComponent(callbackUrl)}&response_type=code&scope=public%20email%20chat%20streamkey%20follow%20stream_info`],
    ['authorizations', viewerState, '/users/settings/authorizations'],
  ];
  for (const theme of ['light', 'dark']) {
    for (const width of [375, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: theme });
      await context.addCookies([{ name: 'shimmer_theme', value: theme, domain: host, path: '/' }]);
      for (const [name, state, target] of views) {
        await context.addCookies(state.cookies);
        const page = await context.newPage();
        const errors = collectErrors(page);
        const response = await page.goto(`${server.baseUrl}${target}`);
        const label = `${name} (${theme}, ${width}px)`;
        if (response.status() !== 200) failures.push(`${label}: status ${response.status()}`);
        const contrast = await auditContrast(page);
        for (const failure of contrast.failures) failures.push(`${label}: contrast ${failure}`);
        for (const warning of contrast.warnings) t.diagnostic(`${label}: ${warning}`);
        const { overflow, culprits } = await horizontalOverflow(page);
        if (overflow > 0) failures.push(`${label}: ${overflow}px horizontal overflow (${culprits.join(', ')})`);
        for (const error of errors.errors) failures.push(`${label}: ${error}`);
        await page.close();
      }
      await context.close();
    }
  }
  assert.deepEqual(failures, []);
  devErrors.assertNone();
  viewerErrors.assertNone();
  await Promise.all([devContext.close(), viewerContext.close()]);
});

test('a signed-out user with two-factor sign-in comes back to the consent page after the code', async () => {
  const developer = uniqueName('builder');
  const careful = uniqueName('careful');
  await server.createUser({ username: developer, password: PASSWORD });
  await server.createUser({ username: careful, password: PASSWORD });

  const devContext = await browser.newContext();
  const devPage = await devContext.newPage();
  await logIn(devPage, server.baseUrl, developer, PASSWORD);
  await devPage.goto(`${server.baseUrl}/users/settings/applications`);
  await devPage.fill('#app-name', 'Careful Overlay');
  await devPage.fill('#app-redirects', callbackUrl);
  await devPage.getByRole('button', { name: 'Create application' }).click();
  await devPage.getByText('shown only this once').waitFor();
  const clientId = await devPage.inputValue('#client-id');
  await devContext.close();

  const setupContext = await browser.newContext();
  const setupPage = await setupContext.newPage();
  await logIn(setupPage, server.baseUrl, careful, PASSWORD);
  await setupPage.goto(`${server.baseUrl}/users/settings/two-factor`);
  const key = await enrolTwoFactor(setupPage);
  await setupContext.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page, { ignore: [new RegExp(callbackUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))] });
  const consentUrl = new URL(`${server.baseUrl}/oauth/authorize`);
  const request = { client_id: clientId, redirect_uri: callbackUrl, response_type: 'code', scope: 'public chat', state: 'st/2fa&x' };
  for (const [name, value] of Object.entries(request)) consentUrl.searchParams.set(name, value);
  await page.goto(consentUrl.href);
  assert.equal(new URL(page.url()).pathname, '/users/login');
  await page.fill('#login', careful);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/users/login"] button[type="submit"]')]);
  assert.equal(new URL(page.url()).pathname, '/users/login/two-factor');
  // The enrolment used the current time step; the next one is accepted.
  await page.fill('#code', totpCode(key, 1));
  await Promise.all([page.waitForNavigation(), page.click('form[action="/users/login/two-factor"] button')]);
  const landed = new URL(page.url());
  assert.equal(landed.pathname, '/oauth/authorize');
  assert.deepEqual(Object.fromEntries(landed.searchParams), request);
  await page.getByText('Careful Overlay').first().waitFor();
  await Promise.all([page.waitForURL((target) => target.href.startsWith(callbackUrl)), page.getByRole('button', { name: 'Authorize' }).click()]);
  const back = new URL(page.url());
  assert.equal(back.searchParams.get('state'), 'st/2fa&x');
  assert.ok(back.searchParams.get('code'));
  errors.assertNone('two-factor consent');
  await context.close();
});
