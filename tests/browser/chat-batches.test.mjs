// A busy chat room sends the frames of a tick as one `batch` frame; the page shows every message
// of a batch, in order, as if each had come alone. The server's batching tick is stretched
// (SHIMMER_CHAT__BATCH_US_PER_LISTENER) so a room of a few pages counts as busy.
//
// Run: cd tests/browser && node --test chat-batches.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, collectErrors, logIn, uniqueName } from './harness.mjs';

const PASSWORD = 'correct horse battery';
const SENT = 8;

let browser;
let server;

before(async () => {
  [browser, server] = await Promise.all([
    launchBrowser(),
    startServer({ env: { SHIMMER_CHAT__BATCH_US_PER_LISTENER: '20000' } }),
  ]);
});

after(async () => {
  await browser?.close();
  await server?.cleanup();
});

test('a batch of messages appears whole and in order', async () => {
  const streamer = uniqueName('batcher');
  await server.createUser({ username: streamer, password: PASSWORD });

  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  const viewerErrors = collectErrors(viewer);
  // Record the type of every chat frame the page receives.
  await viewer.addInitScript(() => {
    const Native = window.WebSocket;
    window.chatFrameTypes = [];
    window.WebSocket = class extends Native {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (event) => {
          try {
            window.chatFrameTypes.push(JSON.parse(event.data).type);
          } catch {
            window.chatFrameTypes.push('unparsable');
          }
        });
      }
    };
  });
  await viewer.goto(`${server.baseUrl}/${streamer}`);
  await viewer.waitForSelector('[data-chat][data-chat-state="open"]');

  const streamerContext = await browser.newContext();
  const page = await streamerContext.newPage();
  const streamerErrors = collectErrors(page);
  await logIn(page, server.baseUrl, streamer, PASSWORD);
  await page.goto(`${server.baseUrl}/${streamer}`);
  await page.waitForSelector('[data-chat][data-chat-state="open"]');

  // Send a burst from a socket of the streamer's own, faster than anyone types.
  await page.evaluate(async (count) => {
    const id = document.querySelector('[data-chat]').dataset.channelId;
    const socket = new WebSocket(`${location.origin.replace('http', 'ws')}/chat/${id}/socket`);
    await new Promise((resolve, reject) => {
      socket.addEventListener('message', (event) => {
        if (JSON.parse(event.data).type === 'history') resolve();
      });
      socket.addEventListener('error', reject);
    });
    for (let n = 0; n < count; n += 1) socket.send(JSON.stringify({ type: 'send', text: `burst ${n}` }));
  }, SENT);

  const expected = Array.from({ length: SENT }, (_, n) => `burst ${n}`);
  for (const reader of [viewer, page]) {
    await reader.waitForFunction(
      (count) => document.querySelectorAll('[data-chat-log] .chat-message').length >= count,
      SENT,
      { timeout: 5_000 },
    );
    const bodies = await reader.$$eval('[data-chat-log] .chat-message .chat-body', (nodes) =>
      nodes.map((node) => node.textContent.trim()));
    assert.deepEqual(bodies, expected, 'every message once, in the order sent');
  }
  const types = await viewer.evaluate(() => window.chatFrameTypes);
  assert.ok(types.includes('batch'), `the burst came batched: ${types.join(', ')}`);
  viewerErrors.assertNone('errors on the viewer page');
  streamerErrors.assertNone('errors on the streamer page');
  await Promise.all([viewerContext.close(), streamerContext.close()]);
});
