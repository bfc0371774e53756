// Every language: the footer's language menu switches the home, log-in, channel and settings
// pages to German, and nothing of their English rendering stays on them (product names, the
// people's own words and numbers aside); a browser asking for French by Accept-Language gets
// French without any cookie; an account made in German gets its confirmation email in German;
// and a signed-in person's choice is kept by the account, on another device too.
//
// Run: cd tests/browser && node --test i18n.test.mjs   (needs target/debug/shimmer)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, collectErrors, logIn, uniqueName, latestMailLinks, horizontalOverflow } from './harness.mjs';

const PASSWORD = 'correct horse battery';

/** Words that read the same in German as in English: names of things, not sentences. */
const SAME_IN_GERMAN = new Set([
  'Shimmer', 'FTL', 'RTMP', 'WHIP', 'WebRTC', 'HLS', 'OBS', 'ffmpeg', 'vMix', 'Chat', 'Live', 'LIVE', 'Emotes',
  'Mod', 'Streamer', 'IRL', 'Links', 'Code', 'Status', 'Offline', 'Support', 'Team', 'English', 'Deutsch',
  'Español', 'Français', 'Português', 'Brasil', 'Moderation', 'UTC', 'H', 'Opus', 'x264', 'zerolatency', 'main', 'JSON',
]);

let browser;
let server;
let streamer;

before(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
  streamer = uniqueName('sprecher');
  await server.createUser({ username: streamer, password: PASSWORD });
});

after(async () => {
  await browser?.close();
  await server?.cleanup();
});

/** The text a reader sees: every visible text node, plus placeholders and the document title. */
async function visibleTexts(page) {
  return page.evaluate(() => {
    const texts = [document.title];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.replace(/\s+/g, ' ').trim();
      const parent = node.parentElement;
      if (!text || !parent || ['SCRIPT', 'STYLE', 'OPTION', 'NOSCRIPT'].includes(parent.tagName)) continue;
      if (!parent.checkVisibility({ checkVisibilityCSS: true })) continue;
      texts.push(text);
    }
    for (const field of document.querySelectorAll('[placeholder]')) {
      if (field.checkVisibility()) texts.push(field.placeholder);
    }
    return texts;
  });
}

/** Whether a text is something a translator writes: words beyond names, numbers and `own`. */
function isProse(text, own) {
  let rest = text;
  // Longest first: a title may contain the streamer's name.
  for (const mine of [...own].sort((a, b) => b.length - a.length)) rest = rest.split(mine).join(' ');
  const words = rest.split(/[^\p{L}]+/u).filter((word) => word.length > 1);
  return words.some((word) => !SAME_IN_GERMAN.has(word));
}

/** Picks `code` in the footer's language menu (it sends itself) and waits for the new page. */
async function switchTo(page, code) {
  await Promise.all([
    page.waitForFunction((lang) => document.documentElement.lang === lang, code),
    page.selectOption('[data-testid="locale-switch"] select', code),
  ]);
  await page.waitForLoadState('load');
}

/** Checks `path` in English, switches it to German with the footer, and compares. */
async function checkSwitch(page, path, own) {
  await page.goto(`${server.baseUrl}${path}`);
  assert.equal(await page.getAttribute('html', 'lang'), 'en', `${path} starts in English`);
  // Let the scripts (chat, player) write their first words.
  await page.waitForTimeout(500);
  const english = (await visibleTexts(page)).filter((text) => isProse(text, own));
  assert.ok(english.length > 5, `${path} has English text to translate: ${english}`);
  await switchTo(page, 'de');
  assert.equal(new URL(page.url()).pathname, path, 'the switch returns to the same page');
  await page.waitForTimeout(500);
  const german = await visibleTexts(page);
  const left = english.filter((text) => german.includes(text));
  assert.deepEqual(left, [], `${path} keeps English text in German`);
  assert.ok(german.some((text) => /[äöüß]|Anmelden|Kanal|Einstellungen/.test(text)), `${path} reads German`);
  await switchTo(page, 'en');
  return german;
}

test('the footer switches every string of home, log-in, channel and settings to German', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await checkSwitch(page, '/', [streamer]);
  await checkSwitch(page, '/users/login', [streamer]);
  const channel = await page.goto(`${server.baseUrl}/${streamer}`).then(() => page.locator('h1').innerText());
  await checkSwitch(page, `/${streamer}`, [streamer, channel]);

  await logIn(page, server.baseUrl, streamer, PASSWORD);
  await checkSwitch(page, '/users/settings/channel', [streamer, channel]);
  // The security page lists this browser by its user agent, the person's own data.
  const agent = await page.evaluate(() => navigator.userAgent);
  const security = await checkSwitch(page, '/users/settings/security', [streamer, channel, `${streamer}@example.test`, agent]);
  assert.ok(security.some((text) => /Zuletzt aktiv: (gerade eben|vor \d+ Minuten?)/.test(text)), 'relative times in German');
  await checkSwitch(page, `/${streamer}`, [streamer, channel]);

  // The account keeps the choice: German on another device after logging in there.
  await switchTo(page, 'de');
  const elsewhere = await browser.newContext({ locale: 'en-US' });
  const other = await elsewhere.newPage();
  await logIn(other, server.baseUrl, streamer, PASSWORD);
  await other.goto(`${server.baseUrl}/users/settings/chat`);
  assert.equal(await other.getAttribute('html', 'lang'), 'de');
  assert.equal(await other.getByRole('button', { name: 'Chat-Einstellungen speichern' }).isVisible(), true);
  assert.equal((await horizontalOverflow(other)).overflow, 0, 'German settings fit');
  await elsewhere.close();
  errors.assertNone('no script errors while switching');
  await context.close();
});

test('Accept-Language picks French without a cookie, the chat included, and pt finds Brazilian Portuguese', async () => {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${server.baseUrl}/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  assert.equal(await page.locator('#hero-heading').innerText(), 'Des lives de gens qui créent, en ce moment même');
  assert.deepEqual(await context.cookies().then((cookies) => cookies.filter((c) => c.name === 'shimmer_locale')), []);
  await page.goto(`${server.baseUrl}/${streamer}`);
  await page.locator('.chat-title').waitFor();
  assert.equal(await page.locator('.chat-toggle').innerText(), 'Heures');
  assert.match(await page.locator('.chat-login').innerText(), /Connectez-vous/);
  errors.assertNone('no script errors in French');
  await context.close();

  // Portuguese alone finds Brazilian Portuguese.
  const portuguese = await browser.newContext({ locale: 'pt' });
  const pt = await portuguese.newPage();
  await pt.goto(`${server.baseUrl}/users/login`);
  assert.equal(await pt.getAttribute('html', 'lang'), 'pt-BR');
  assert.equal(await pt.locator('h1').innerText(), 'Entrar');
  await portuguese.close();
});

test('an account made in German gets its confirmation email in German', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/users/register`);
  await switchTo(page, 'de');
  assert.equal(await page.locator('h1').innerText(), 'Erstelle dein Konto');
  const name = uniqueName('neu');
  const email = `${name}@example.com`;
  await page.fill('#username', name);
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/users/register"] button[type="submit"]')]);
  assert.match(await page.locator('.notice').innerText(), /Willkommen bei Shimmer!/);
  const mail = await latestMailLinks(server.baseUrl, email);
  assert.equal(mail.subject, 'Bestätige deine E-Mail-Adresse für Shimmer');
  const body = await (await fetch(server.baseUrl + mail.href)).text();
  assert.match(body, new RegExp(`Hallo ${name},`));
  assert.match(body, /Der Link funktioniert einmal/);
  assert.equal(mail.links.some((link) => link.includes('/users/confirm/')), true);
  await context.close();
});
