// Support requests in the browser: a visitor finds "Contact support" in the footer, sends a
// request, and follows it through the private link in the acknowledgement email; a staff member
// (level 2) takes it from the queue and replies (the reply is emailed with the same link); the
// visitor answers, which opens the request again; staff close it, and the visitor sees each
// status change. Every field is labelled, the pages have no console errors, and the form, the
// ticket pages and the queue are readable (contrast) and fit (no sideways scrolling) in both
// themes at 375 and 1280 px.
//
// Run: cd tests/browser && node --test support.test.mjs   (needs target/debug/shimmer and /usr/bin/chromium)
// Set SHIMMER_SCREENSHOTS=/tmp/some-dir to also save screenshots of every audited page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  startServer,
  launchBrowser,
  collectErrors,
  auditContrast,
  horizontalOverflow,
  logIn,
  uniqueName,
} from './harness.mjs';

const PASSWORD = 'correct horse battery';
const SCREENSHOTS = process.env.SHIMMER_SCREENSHOTS;

let browser;
let server;
const contexts = [];
/** What the flow test leaves for the layout test: the private link and the ticket's number. */
const filed = {};

before(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
});

after(async () => {
  await Promise.all(contexts.map((context) => context.close().catch(() => {})));
  await browser?.close();
  await server?.cleanup();
});

/** A fresh browser context and page, with its errors collected. */
async function visit() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  context.setDefaultTimeout(5_000);
  const page = await context.newPage();
  return { page, errors: collectErrors(page) };
}

/** A staff account at `level`, signed in (with two-factor sign-in enrolled on the way). */
async function staff(prefix, level) {
  const username = uniqueName(prefix);
  await server.createUser({ username, password: PASSWORD });
  await server.run(['user', 'staff', username, '--level', String(level)]);
  const them = await visit();
  await logIn(them.page, server.baseUrl, username, PASSWORD);
  return { ...them, username };
}

/** Form controls a person can see that have no label (neither <label> nor aria-label). */
function unlabelled(page) {
  return page.$$eval('main input:not([type=hidden]), main select, main textarea', (fields) =>
    fields
      .filter((field) => field.offsetParent !== null)
      .filter((field) => field.labels.length === 0 && !field.getAttribute('aria-label'))
      .map((field) => field.name || field.id),
  );
}

async function statusOf(page) {
  return (await page.locator('[data-testid="ticket-status"]').innerText()).trim();
}

test('a request goes from the form to a staff reply by email to closed, and the requester sees each status', async () => {
  const email = `${uniqueName('asker')}@example.com`;
  const visitor = await visit();
  await visitor.page.goto(server.baseUrl);
  await Promise.all([visitor.page.waitForNavigation(), visitor.page.click('footer a[href="/support"]')]);
  assert.deepEqual(await unlabelled(visitor.page), []);

  // The browser's own checks stop an empty form; the server refuses a bad address by name.
  await visitor.page.fill('#email', 'not-an-address@nowhere');
  await visitor.page.selectOption('#category', 'payments');
  await visitor.page.fill('#subject', 'Charged twice');
  await visitor.page.fill('#body', 'My card was charged twice for one subscription.');
  await Promise.all([visitor.page.waitForNavigation(), visitor.page.click('main button[type="submit"]')]);
  assert.match(await visitor.page.locator('#email-error').innerText(), /does not look like an email address/);
  assert.equal(await visitor.page.inputValue('#subject'), 'Charged twice', 'what was typed stays');
  assert.equal(await visitor.page.inputValue('#category'), 'payments');
  await visitor.page.fill('#email', email);
  await Promise.all([visitor.page.waitForNavigation(), visitor.page.click('main button[type="submit"]')]);
  const heading = await visitor.page.locator('h1').innerText();
  const number = Number(/Request #(\d+) received/.exec(heading)?.[1]);
  assert.ok(number > 0, heading);

  // The acknowledgement carries the private link; it shows the request, open.
  const acknowledgement = await server.mailLinks(email, { subject: `[#${number}]` });
  const link = acknowledgement.links.find((href) => href.includes('/support/t/'));
  assert.ok(link, `a private link in ${acknowledgement.links}`);
  await visitor.page.goto(link);
  assert.equal(await statusOf(visitor.page), 'Open: waiting on staff');
  assert.match(await visitor.page.locator('[data-testid="conversation"]').innerText(), /charged twice for one subscription/);

  // A member of staff takes it from the queue and replies.
  const helper = await staff('helper', 2);
  await helper.page.goto(server.baseUrl);
  await Promise.all([helper.page.waitForNavigation(), helper.page.click('[data-testid="staff-support"]')]);
  await Promise.all([helper.page.waitForNavigation(), helper.page.click(`a[href="/staff/support/${number}"]`)]);
  assert.match(await helper.page.locator('[data-testid="ticket-facts"]').innerText(), new RegExp(`${email} \\(no account\\)`));
  await Promise.all([helper.page.waitForNavigation(), helper.page.click('button[name="to"][value="me"]')]);
  assert.equal((await helper.page.locator('[data-testid="ticket-assignee"]').innerText()).trim(), helper.username);
  assert.deepEqual(await unlabelled(helper.page), []);
  await helper.page.fill('#reply', 'We refunded the second charge.');
  await Promise.all([helper.page.waitForNavigation(), helper.page.click('form[action$="/reply"] button')]);
  assert.match(await helper.page.locator('.notice[role="status"]').innerText(), /recorded in the audit log/);
  assert.equal(await statusOf(helper.page), 'Answered');

  // The reply arrives by email with the same link; the requester sees it, signed by the team.
  const reply = await server.mailLinks(email, { subject: /Re: Charged twice/ });
  assert.ok(reply.links.includes(link), `the reply links the request: ${reply.links}`);
  await visitor.page.goto(link);
  assert.equal(await statusOf(visitor.page), 'Answered');
  const conversation = await visitor.page.locator('[data-testid="conversation"]').innerText();
  assert.match(conversation, /We refunded the second charge\./);
  assert.match(conversation, /Shimmer support/);
  assert.doesNotMatch(conversation, new RegExp(helper.username));

  // The requester answers: the request is open again.
  assert.deepEqual(await unlabelled(visitor.page), []);
  await visitor.page.fill('#body', 'Thank you, the refund arrived.');
  await Promise.all([visitor.page.waitForNavigation(), visitor.page.click('main button[type="submit"]')]);
  assert.match(await visitor.page.locator('.notice[role="status"]').innerText(), /Your message was added/);
  assert.equal(await statusOf(visitor.page), 'Open: waiting on staff');

  // Staff close it with a note of their own; the requester sees it closed, without the note.
  await helper.page.reload();
  assert.match(await helper.page.locator('[data-testid="conversation"]').innerText(), /the refund arrived/);
  await helper.page.fill('#note', 'Refund confirmed');
  await Promise.all([helper.page.waitForNavigation(), helper.page.click('form[action$="/close"] button')]);
  assert.equal(await statusOf(helper.page), 'Closed');
  await visitor.page.reload();
  assert.equal(await statusOf(visitor.page), 'Closed');
  assert.doesNotMatch(await visitor.page.locator('main').innerText(), /Refund confirmed/);

  // The audit log shows each step on the request.
  await helper.page.goto(`${server.baseUrl}/staff/audit?action=support`);
  const actions = await helper.page.$$eval('[data-testid="audit-entry"]', (rows) => rows.map((row) => row.dataset.action));
  for (const action of ['support_view_queue', 'support_view_ticket', 'support_assign', 'support_reply', 'support_close']) {
    assert.ok(actions.includes(action), `${action} in ${actions}`);
  }

  Object.assign(filed, { link, number });
  visitor.errors.assertNone('errors on the requester\'s pages');
  helper.errors.assertNone('errors on the staff pages');
});

test('the support pages are readable and fit in both themes at 375 and 1280 px', async () => {
  assert.ok(filed.link, 'the flow test filed a request');
  const asker = uniqueName('member');
  await server.createUser({ username: asker, password: PASSWORD });
  const member = await visit();
  await logIn(member.page, server.baseUrl, asker, PASSWORD);
  await member.page.goto(`${server.baseUrl}/support`);
  assert.equal(await member.page.locator('#email').count(), 0, 'signed in, no address is asked');
  await member.page.selectOption('#category', 'streaming');
  await member.page.fill('#subject', 'My stream stutters');
  await member.page.fill('#body', 'Every few seconds the picture freezes.');
  await Promise.all([member.page.waitForNavigation(), member.page.click('main button[type="submit"]')]);
  await Promise.all([member.page.waitForNavigation(), member.page.click('main a.button')]);
  const ownTicket = new URL(member.page.url()).pathname;
  assert.match(ownTicket, /^\/support\/tickets\/\d+$/);

  const visitor = await visit();
  const admin = await staff('admin', 5);
  const failures = [];
  if (SCREENSHOTS) await mkdir(SCREENSHOTS, { recursive: true });
  const audits = [
    ['visitor', visitor, ['/support', new URL(filed.link).pathname]],
    ['member', member, ['/support', '/support/tickets', ownTicket]],
    ['staff', admin, ['/staff/support?status=closed', `/staff/support/${filed.number}`, '/staff/reports']],
  ];
  for (const theme of ['light', 'dark']) {
    for (const [who, someone, paths] of audits) {
      await someone.page.context().addCookies([{ name: 'shimmer_theme', value: theme, domain: server.host, path: '/' }]);
      for (const width of [375, 1280]) {
        await someone.page.setViewportSize({ width, height: 800 });
        for (const pagePath of paths) {
          await someone.page.goto(server.baseUrl + pagePath);
          const label = `${theme} ${width}px ${pagePath}`;
          assert.equal(new URL(someone.page.url()).pathname, pagePath.split('?')[0], label);
          assert.equal(await someone.page.evaluate(() => document.documentElement.dataset.theme), theme);
          const contrast = await auditContrast(someone.page);
          failures.push(...contrast.failures.map((failure) => `${label}: ${failure}`));
          assert.ok(contrast.checked > 10, `${label}: ${contrast.checked} elements checked`);
          const overflow = await horizontalOverflow(someone.page);
          if (overflow.overflow > 0) failures.push(`${label}: ${overflow.overflow}px too wide: ${overflow.culprits.join(', ')}`);
          if (SCREENSHOTS) {
            const name = pagePath.replace(/\/support\/t\/.*/, '/support/link').replace(/[^a-z0-9]+/gi, '_');
            await someone.page.screenshot({ path: path.join(SCREENSHOTS, `${who}${name}-${theme}-${width}.png`), fullPage: true });
          }
        }
      }
    }
  }
  for (const someone of [visitor, member, admin]) someone.errors.assertNone('errors on the support pages');
  assert.deepEqual(failures, []);
});
