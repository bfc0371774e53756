// Playback browser tests: real media from `shimmer push` (FTL) played in headless Chromium over
// WebRTC (WHEP) on the channel page.
//
//  - within 3 s of navigation getStats() reports > 30 decoded 1280x720 video frames and received
//    audio packets, the player says "playing", and nothing is logged as an error;
//  - closing the page ends the server session (shimmer_webrtc_sessions back to 0);
//  - a second viewer in another browser context plays at the same time;
//  - stopping the push shows the offline state without a reload; pushing again plays again,
//    still without a reload;
//  - POST /api/whep/<unknown> and /api/whep/<offline channel> answer 404 with a JSON error;
//  - an offline channel page makes no WHEP requests (no logged 404s) and starts playing by
//    itself when the stream begins, also when the stream began before its event stream connected.
//
// Run: cd tests/browser && npm test   (needs target/debug/shimmer, /usr/bin/chromium and ffmpeg)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer,
  startPush,
  testMedia,
  launchBrowser,
  collectErrors,
} from './harness.mjs';

const FIRST_FRAMES_WITHIN_MS = 3_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let browser;
let server;
let key;
let push;

/** Poll `probe` until it returns a truthy value; fail with `describe()` after `timeoutMs`. */
async function waitFor(probe, { timeoutMs, intervalMs = 100, describe = () => '' }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms: ${await describe()}`);
    }
    await sleep(intervalMs);
  }
}

async function channelStatus(username) {
  return server.run(['channel', 'status', username]);
}

async function waitUntilLive(username, pusher = push) {
  await waitFor(async () => (await channelStatus(username)).startsWith('live'), {
    timeoutMs: 10_000,
    describe: async () =>
      `channel ${username} is ${await channelStatus(username)}; push ${JSON.stringify(pusher?.process.exitCode)} log:\n${pusher?.output()}`,
  });
}

async function sessionsGauge() {
  const text = await (await fetch(`${server.metricsUrl}/metrics`)).text();
  const match = text.match(/^shimmer_webrtc_sessions(?:\{\})? (\S+)$/m);
  assert.ok(match, 'shimmer_webrtc_sessions is on the metrics listener');
  return Number(match[1]);
}

/** The player's state and the inbound-rtp figures of its current peer connection. */
function playerStats(page) {
  return page.evaluate(async () => {
    const player = window.__shimmerPlayer;
    const element = document.querySelector('.player[data-testid=player]');
    const result = { state: element?.dataset.state ?? null, hasPc: Boolean(player?.pc), video: null, audio: null };
    if (!player?.pc) return result;
    const report = await player.pc.getStats();
    report.forEach((s) => {
      if (s.type !== 'inbound-rtp') return;
      if (s.kind === 'video') {
        result.video = {
          framesDecoded: s.framesDecoded ?? 0,
          frameWidth: s.frameWidth ?? 0,
          frameHeight: s.frameHeight ?? 0,
          packetsReceived: s.packetsReceived ?? 0,
        };
      } else if (s.kind === 'audio') {
        result.audio = { packetsReceived: s.packetsReceived ?? 0 };
      }
    });
    return result;
  });
}

const isPlaying = (stats, media) =>
  stats.state === 'playing' &&
  stats.video?.framesDecoded > 30 &&
  stats.video.frameWidth === media.width &&
  stats.video.frameHeight === media.height &&
  stats.audio?.packetsReceived > 0;

/**
 * Open the channel page and require > 30 decoded frames at the source's size plus audio packets
 * within FIRST_FRAMES_WITHIN_MS of the start of navigation. Returns the elapsed time and stats.
 */
async function openAndExpectPlayback(page, username) {
  const media = await testMedia();
  const started = Date.now();
  await page.goto(`${server.baseUrl}/${username}`);
  let last = null;
  const stats = await waitFor(
    async () => {
      last = await playerStats(page);
      return isPlaying(last, media) && last;
    },
    {
      timeoutMs: Math.max(0, FIRST_FRAMES_WITHIN_MS - (Date.now() - started)),
      intervalMs: 50,
      describe: () => `no playback within ${FIRST_FRAMES_WITHIN_MS} ms of navigation: ${JSON.stringify(last)}`,
    },
  );
  return { elapsedMs: Date.now() - started, stats };
}

/** Count main-frame navigations of a page, so a test can prove something happened without reload. */
function countNavigations(page) {
  const counter = { count: 0 };
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) counter.count += 1;
  });
  return counter;
}

/** On failure, attach the tail of the server's and the push's logs to the test's output. */
function logsOnFailure(t) {
  t.after(() => {
    if (t.passed !== false) return;
    t.diagnostic(`server log (tail):\n${server.log().slice(-6_000)}`);
    t.diagnostic(`push log (tail):\n${push?.output().slice(-2_000)}`);
  });
}

/** A real WebRTC offer (recvonly video + audio), made by Chromium. */
async function browserOffer() {
  const page = await browser.newPage();
  try {
    return await page.evaluate(async () => {
      const pc = new RTCPeerConnection();
      pc.addTransceiver('video', { direction: 'recvonly' });
      pc.addTransceiver('audio', { direction: 'recvonly' });
      const offer = await pc.createOffer();
      pc.close();
      return offer.sdp;
    });
  } finally {
    await page.close();
  }
}

before(async () => {
  // Media generation, server start-up and browser launch overlap.
  const [, started, launched] = await Promise.all([testMedia(), startServer(), launchBrowser()]);
  server = started;
  browser = launched;
  await server.createUser({ username: 'alice' });
  await server.createUser({ username: 'bob' });
  // Channel 3, not 2: FTL encoders use SSRCs <channel id> (audio) and <channel id>+1 (video), and
  // the server refuses a second stream from the same address whose SSRCs overlap a live one's
  // (alice, channel 1, sends video as SSRC 2).
  await server.createUser({ username: 'carol' });
  await server.createUser({ username: 'unused' }); // channel 4: keeps dave's SSRCs clear of carol's
  await server.createUser({ username: 'dave' });
  key = await server.streamKey('alice');
  push = await startPush(server, key, ['--loop']);
  await waitUntilLive('alice');
});

after(async () => {
  await push?.stop();
  await browser?.close();
  await server?.cleanup();
});

test('the channel page plays within 3 s (frames, size, audio) and closing it ends the session', async (t) => {
  logsOnFailure(t);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  t.after(() => context.close());
  const errors = collectErrors(context);
  const page = await context.newPage();

  const { elapsedMs, stats } = await openAndExpectPlayback(page, 'alice');
  t.diagnostic(`playing after ${elapsedMs} ms: ${JSON.stringify(stats)}`);
  assert.ok(await page.getByTestId('player-video').isVisible(), 'the video element is shown');
  assert.equal(await page.locator('.player-offline').isVisible(), false, 'no offline message while live');
  assert.ok(
    await page.evaluate(() => window.__shimmerPlayer.video.currentTime > 0 && !window.__shimmerPlayer.video.paused),
    'the video element is playing',
  );
  assert.equal(await sessionsGauge(), 1, 'one WebRTC session on the server');
  errors.assertNone('console or network errors while playing');

  await page.close();
  await waitFor(async () => (await sessionsGauge()) === 0, {
    timeoutMs: 5_000,
    describe: async () => `shimmer_webrtc_sessions is still ${await sessionsGauge()} after closing the page`,
  });
  errors.assertNone('console or network errors when closing');
});

test('a second viewer in another context plays at the same time', async (t) => {
  logsOnFailure(t);
  const media = await testMedia();
  const first = await browser.newContext();
  const second = await browser.newContext();
  t.after(async () => {
    await first.close();
    await second.close();
  });
  const errors = [collectErrors(first), collectErrors(second)];
  const pageA = await first.newPage();
  const pageB = await second.newPage();

  await openAndExpectPlayback(pageA, 'alice');
  await openAndExpectPlayback(pageB, 'alice');
  assert.equal(await sessionsGauge(), 2, 'two WebRTC sessions on the server');
  // The first viewer keeps decoding while the second one watches.
  const before = (await playerStats(pageA)).video.framesDecoded;
  await waitFor(
    async () => {
      const [a, b] = await Promise.all([playerStats(pageA), playerStats(pageB)]);
      return isPlaying(a, media) && isPlaying(b, media) && a.video.framesDecoded >= before + 15;
    },
    { timeoutMs: 3_000, describe: () => 'both viewers keep decoding' },
  );
  errors.forEach((e, i) => e.assertNone(`console or network errors of viewer ${i + 1}`));

  await first.close();
  await second.close();
  await waitFor(async () => (await sessionsGauge()) === 0, {
    timeoutMs: 5_000,
    describe: async () => `shimmer_webrtc_sessions is still ${await sessionsGauge()} after closing both`,
  });
});

test('the offer leaves while the browser applies it, and an offer it cannot apply leaves no session', async (t) => {
  logsOnFailure(t);
  // Timestamps of the player's setLocalDescription and of its WHEP POST, taken in the page.
  const record = () => {
    window.__timing = { sld: [], posts: [] };
    const sld = RTCPeerConnection.prototype.setLocalDescription;
    RTCPeerConnection.prototype.setLocalDescription = async function (...args) {
      const entry = { start: performance.now(), done: null };
      window.__timing.sld.push(entry);
      try {
        return await sld.apply(this, args);
      } finally {
        entry.done = performance.now();
      }
    };
    const fetch = window.fetch;
    window.fetch = function (url, init) {
      if (init?.method === 'POST' && String(url).includes('/api/whep/')) window.__timing.posts.push(performance.now());
      return fetch.call(this, url, init);
    };
  };
  const context = await browser.newContext();
  t.after(() => context.close());
  await context.addInitScript(record);
  const page = await context.newPage();
  await openAndExpectPlayback(page, 'alice');
  const timing = await page.evaluate(() => window.__timing);
  assert.equal(timing.posts.length, 1, JSON.stringify(timing));
  assert.equal(timing.sld.length, 1, JSON.stringify(timing));
  assert.ok(
    timing.posts[0] < timing.sld[0].done,
    `the POST (${timing.posts[0]} ms) starts before setLocalDescription is done (${timing.sld[0].done} ms)`,
  );
  await context.close();
  await waitFor(async () => (await sessionsGauge()) === 0, {
    timeoutMs: 5_000,
    describe: async () => `shimmer_webrtc_sessions is still ${await sessionsGauge()}`,
  });

  // A browser that refuses its own offer: every session its POSTs opened is deleted at once
  // (without that, each would stay until the server's 15 s connect timeout).
  const refusing = await browser.newContext();
  t.after(() => refusing.close());
  await refusing.addInitScript(() => {
    window.__posts = 0;
    RTCPeerConnection.prototype.setLocalDescription = () => Promise.reject(new DOMException('refused', 'InvalidStateError'));
    const fetch = window.fetch;
    window.fetch = function (url, init) {
      if (init?.method === 'POST' && String(url).includes('/api/whep/')) window.__posts += 1;
      return fetch.call(this, url, init);
    };
  });
  const refused = await refusing.newPage();
  await refused.goto(`${server.baseUrl}/alice`);
  await waitFor(() => refused.evaluate(() => window.__posts >= 1), {
    timeoutMs: 5_000,
    describe: () => 'the player posts an offer',
  });
  await sleep(1_000);
  await waitFor(async () => (await sessionsGauge()) === 0, {
    timeoutMs: 3_000,
    describe: async () => `shimmer_webrtc_sessions is still ${await sessionsGauge()} with the page open`,
  });
});

test('WHEP answers 404 with a JSON error for unknown and offline channels', async () => {
  const sdp = await browserOffer();
  assert.match(await channelStatus('bob'), /^offline/);
  for (const name of ['nobody', 'bob']) {
    const response = await fetch(`${server.baseUrl}/api/whep/${name}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp' },
      body: sdp,
    });
    assert.equal(response.status, 404, `POST /api/whep/${name}`);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/, `content type for ${name}`);
    const body = await response.json();
    assert.equal(typeof body.error, 'string', `a JSON error for ${name}: ${JSON.stringify(body)}`);
    assert.ok(body.error.length > 0);
    assert.equal(response.headers.get('location'), null, `no session for ${name}`);
  }
  assert.equal(await sessionsGauge(), 0);
});

test('stopping the push shows the offline state and pushing again plays, without a reload', async (t) => {
  logsOnFailure(t);
  const media = await testMedia();
  const context = await browser.newContext();
  t.after(() => context.close());
  const errors = collectErrors(context);
  const page = await context.newPage();
  await openAndExpectPlayback(page, 'alice');
  const navigations = countNavigations(page);
  await page.evaluate(() => {
    window.__sameDocument = true;
    window.__shimmerPlayer.pc.__first = true;
  });

  // Stop: the encoder says goodbye, the page switches to offline by itself.
  const stopped = await push.stop();
  assert.equal(stopped.signal ?? null, null, `push exited by itself after SIGINT: ${JSON.stringify(stopped)}`);
  await waitFor(async () => (await channelStatus('alice')).startsWith('offline'), {
    timeoutMs: 5_000,
    describe: () => 'channel status offline after the push stopped',
  });
  const player = page.getByTestId('player');
  await waitFor(async () => (await player.getAttribute('data-state')) === 'offline', {
    timeoutMs: 5_000,
    describe: async () => `data-state is ${await player.getAttribute('data-state')}`,
  });
  const message = page.locator('.player-offline');
  assert.ok(await message.isVisible(), 'the offline message is visible');
  assert.match(await message.innerText(), /offline/i);
  assert.ok(await page.locator('[data-offline-badge]').isVisible(), 'the offline badge is shown');
  assert.equal(await page.locator('[data-live-badge]').isVisible(), false, 'the live badge is hidden');
  await waitFor(async () => (await sessionsGauge()) === 0, {
    timeoutMs: 5_000,
    describe: async () => `shimmer_webrtc_sessions is ${await sessionsGauge()} after the stream ended`,
  });

  // Restart: the same page plays again on a new peer connection.
  push = await startPush(server, key, ['--loop']);
  await waitUntilLive('alice');
  let last = null;
  await waitFor(
    async () => {
      last = await playerStats(page);
      const fresh = await page.evaluate(() => Boolean(window.__shimmerPlayer.pc && !window.__shimmerPlayer.pc.__first));
      return fresh && isPlaying(last, media);
    },
    { timeoutMs: 8_000, describe: () => `not playing again: ${JSON.stringify(last)}` },
  );
  assert.equal(await message.isVisible(), false, 'the offline message is gone');
  assert.ok(await page.locator('[data-live-badge]').isVisible(), 'the live badge is back');
  const reds = await page.evaluate(() => [
    getComputedStyle(document.querySelector('[data-live-badge]')).backgroundColor,
    getComputedStyle(document.querySelector('.player-live')).backgroundColor,
  ]);
  assert.equal(reds[0], reds[1], 'the page and the player mark LIVE in the same red');
  assert.equal(navigations.count, 0, 'the page was not reloaded');
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'same document throughout');
  errors.assertNone('console or network errors across offline and back');
});

test('an offline channel page waits quietly and starts playing when the stream begins', async (t) => {
  logsOnFailure(t);
  const media = await testMedia();
  const context = await browser.newContext();
  t.after(() => context.close());
  const errors = collectErrors(context);
  const page = await context.newPage();
  const whepPosts = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname.startsWith('/api/whep/')) {
      whepPosts.push(request.url());
    }
  });
  const opened = Date.now();
  await page.goto(`${server.baseUrl}/carol`);
  const navigations = countNavigations(page);
  const player = page.getByTestId('player');
  await waitFor(async () => (await player.getAttribute('data-state')) === 'offline', {
    timeoutMs: 2_000,
    describe: async () => `data-state is ${await player.getAttribute('data-state')}`,
  });
  assert.ok(await page.locator('.player-offline').isVisible(), 'the offline message is visible');

  // The player's fallback poll (every 15 s) must stay off while the event stream works: a POST to
  // an offline channel is a 404, which the browser logs as an error.
  await sleep(Math.max(0, 16_000 - (Date.now() - opened)));
  assert.deepEqual(whepPosts, [], 'no WHEP POST while the channel is offline');
  errors.assertNone('console or network errors on an offline channel page');

  const carolPush = await startPush(server, await server.streamKey('carol'), ['--loop']);
  t.after(() => carolPush.stop());
  await waitUntilLive('carol', carolPush);
  let last = null;
  await waitFor(
    async () => {
      last = await playerStats(page);
      return isPlaying(last, media);
    },
    { timeoutMs: 5_000, describe: () => `carol's page does not play: ${JSON.stringify(last)}` },
  );
  assert.equal(await page.locator('.player-offline').isVisible(), false, 'the offline message is gone');
  assert.equal(navigations.count, 0, 'the page was not reloaded');
  errors.assertNone('console or network errors when the stream began');
});

test('a stream that began before the event stream connected is picked up from its first message', async (t) => {
  logsOnFailure(t);
  const media = await testMedia();
  const context = await browser.newContext();
  t.after(() => context.close());
  const errors = collectErrors(context);
  const page = await context.newPage();
  // Hold the page's event stream back until the stream has started, so "stream_started" is
  // published before the page subscribes; the page then only learns it from the first "status".
  let release;
  const gate = new Promise((resolve) => {
    release = resolve;
  });
  await page.route('**/api/channels/*/events', async (route) => {
    await gate;
    await route.continue();
  });
  await page.goto(`${server.baseUrl}/dave`);
  const player = page.getByTestId('player');
  await waitFor(async () => (await player.getAttribute('data-state')) === 'offline', {
    timeoutMs: 2_000,
    describe: async () => `data-state is ${await player.getAttribute('data-state')}`,
  });
  const davePush = await startPush(server, await server.streamKey('dave'), ['--loop']);
  t.after(() => davePush.stop());
  await waitUntilLive('dave', davePush);
  release();
  let last = null;
  await waitFor(
    async () => {
      last = await playerStats(page);
      return isPlaying(last, media);
    },
    { timeoutMs: 5_000, describe: () => `dave's page does not play: ${JSON.stringify(last)}` },
  );
  errors.assertNone('console or network errors');
});
