// Every language: the footer's language menu switches the home, log-in, channel and settings
// pages to German, and nothing of their English rendering stays on them (product names, the
// people's own words and numbers aside); a browser asking for French by Accept-Language gets
// French without any cookie; an account made in German gets its confirmation email in German;
// and a signed-in person's choice is kept by the account, on another device too. A manager's
// staff pages and a streamer's payouts and subscriptions pages switch to German with nothing of
// their English left; chat command answers, usage lines and a domain refusal on a form read
// German; the player's stats overlay and its HLS reason read German; the FAQ is German and the
// translated legal pages (terms, privacy, copyright) say the English is binding.
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

/** A German browser context signed in as `username` (German chosen with the footer's menu). */
async function germanSession(username, baseUrl = server.baseUrl) {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(8_000);
  const page = await context.newPage();
  const errors = collectErrors(page);
  await logIn(page, baseUrl, username, PASSWORD);
  return { context, page, errors };
}

test('staff pages switch to German with no English left', async () => {
  const manager = uniqueName('leitung');
  await server.createUser({ username: manager, password: PASSWORD });
  await server.run(['user', 'staff', manager, '--level', '4']);
  const { context, page, errors } = await germanSession(manager);
  const agent = await page.evaluate(() => navigator.userAgent);
  const channel = await page.goto(`${server.baseUrl}/${streamer}`).then(() => page.locator('h1').innerText());
  const own = [streamer, manager, channel, `${streamer}@example.test`, `${manager}@example.test`, agent];
  const account = await checkSwitch(page, `/staff/users/${streamer}`, own);
  assert.ok(account.includes('Von der Plattform sperren'), 'the ban button reads German');
  assert.ok(account.some((text) => /Stufe|nicht im Team/.test(text)), 'the staff level reads German');
  await checkSwitch(page, '/staff', own);
  errors.assertNone('no script errors on the staff pages');
  await context.close();
});

test('a refusal of the domain and chat command answers read German', async () => {
  const chatter = uniqueName('plauder');
  await server.createUser({ username: chatter, password: PASSWORD });
  const { context, page, errors } = await germanSession(chatter);
  await page.goto(`${server.baseUrl}/${streamer}`);
  await switchTo(page, 'de');
  await page.waitForSelector('[data-chat][data-chat-state="open"]');
  const input = page.locator('[data-chat-input]');
  await input.fill('/timeout');
  await input.press('Enter');
  await page.getByText('So geht’s: /timeout <Name> [Sekunden]').waitFor();
  await input.fill('/help');
  await input.press('Enter');
  const help = page.locator('[data-system-kind="command"]').last();
  await help.waitFor();
  assert.match(await help.innerText(), /jemanden vorübergehend stummschalten/);
  assert.doesNotMatch(await help.innerText(), /keep someone from chatting/);
  await input.fill('/ban niemand');
  await input.press('Enter');
  await page.getByText('Nur der Streamer und Moderatoren können diesen Befehl benutzen.').waitFor();

  // The domain's refusal on a form: a taken username, in German.
  const anonymous = await browser.newContext({ locale: 'de-DE' });
  const register = await anonymous.newPage();
  await register.goto(`${server.baseUrl}/users/register`);
  await register.fill('#username', streamer);
  await register.fill('#email', `${uniqueName('neu')}@example.com`);
  await register.fill('#password', PASSWORD);
  await Promise.all([register.waitForNavigation(), register.click('form[action="/users/register"] button[type="submit"]')]);
  assert.equal(await register.locator('#username-error').innerText(), 'Dieser Benutzername ist schon vergeben.');
  await anonymous.close();
  errors.assertNone('no script errors in German chat');
  await context.close();
});

test('the player overlay and its reasons read German', async () => {
  const context = await browser.newContext({ locale: 'de-DE' });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${server.baseUrl}/${streamer}`);
  assert.equal(await page.getAttribute('html', 'lang'), 'de');
  // The offline notice covers the video; the controls stay reachable by keyboard.
  await page.getByTestId('player-stats-toggle').dispatchEvent('click');
  assert.equal(await page.getByTestId('player-stats').innerText(), 'nicht verbunden');
  await page.getByTestId('player-compat').dispatchEvent('click');
  assert.equal(await page.evaluate(() => window.__shimmerPlayer?.fallbackReason), 'Kompatibilitätsmodus');
  errors.assertNone('no script errors in the German player');
  await context.close();
});

test('the FAQ is German and the translated legal pages say the English is binding', async () => {
  const context = await browser.newContext({ locale: 'de-DE' });
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/faq`);
  assert.equal(await page.locator('h1').innerText(), 'Häufige Fragen');
  assert.equal(await page.locator('.notice').count(), 0, 'no English-only notice on the FAQ');
  await page.goto(`${server.baseUrl}/terms`);
  assert.equal(await page.locator('h1').innerText(), 'Nutzungsbedingungen');
  assert.match(await page.getByTestId('english-binding').innerText(), /verbindlich ist die englische Fassung/);
  await page.goto(`${server.baseUrl}/privacy`);
  assert.equal(await page.locator('h1').innerText(), 'Datenschutz');
  await page.getByTestId('english-binding').waitFor();
  await page.goto(`${server.baseUrl}/copyright`);
  assert.equal(await page.locator('h1').innerText(), 'Urheberrecht und DMCA');
  await page.getByTestId('english-binding').waitFor();
  await context.close();
});

test('the payouts and subscriptions pages switch to German with no English left', async () => {
  const money = await startServer({
    env: {
      SHIMMER_PAYMENTS__ENABLED: 'true',
      SHIMMER_STRIPE__API_BASE: 'http://127.0.0.1:9',
      SHIMMER_STRIPE__SECRET_KEY: 'sk_test_i18n',
      SHIMMER_STRIPE__WEBHOOK_SECRET: 'whsec_i18n',
    },
  });
  try {
    const earner = uniqueName('verdiener');
    await money.createUser({ username: earner, password: PASSWORD });
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await logIn(page, money.baseUrl, earner, PASSWORD);
    const check = async (path) => {
      await page.goto(`${money.baseUrl}${path}`);
      const english = (await visibleTexts(page)).filter((text) => isProse(text, [earner]));
      assert.ok(english.length > 5, `${path} has English text: ${english}`);
      await switchTo(page, 'de');
      const german = await visibleTexts(page);
      assert.deepEqual(english.filter((text) => german.includes(text)), [], `${path} keeps English text in German`);
      await switchTo(page, 'en');
      return german;
    };
    const payouts = await check('/users/settings/payouts');
    assert.ok(payouts.some((text) => /Nicht eingerichtet/.test(text)), 'the payout status reads German');
    const subscriptions = await check('/users/settings/subscriptions');
    assert.ok(subscriptions.some((text) => /Unterstützer werden/.test(text)), 'the platform tiers read German');
    errors.assertNone('no script errors on the money pages');
    await context.close();
  } finally {
    await money.cleanup();
  }
});
