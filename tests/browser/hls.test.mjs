// LL-HLS in the browser: the channel page's player falls back from WebRTC to HLS (hls.js, loaded
// only then) when the stream has B-frames, when WebRTC is refused, or when the viewer asks for
// compatibility mode.
//
//  - ffmpeg publishes H.264 with 3 B-frames (x264's default GOP structure) + AAC over RTMP: the
//    WHEP answer says the stream has B-frames and the player plays HLS instead, decoding more
//    than 30 frames at the source's resolution and the encoder's AAC, with the stats overlay
//    naming HLS and its delay;
//  - with WHEP answering 503, a stream without B-frames is playing over HLS within 5 s;
//  - "HLS" (compatibility mode) switches a WebRTC viewer to HLS and is remembered on reload;
//    "Copy HLS link" copies the playlist URL external players open.
//
// Run: cd tests/browser && node --test hls.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { startServer, launchBrowser, collectErrors, tempDir, waitFor, publishRtmp } from './harness.mjs';

const execFileAsync = promisify(execFile);
const WIDTH = 640;
const HEIGHT = 360;

let browser;
let server;
const clips = {};

async function makeClip(dir, bframes) {
  const clip = path.join(dir, `clip-bf${bframes}.mkv`);
  await execFileAsync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
    '-f', 'lavfi', '-i', `testsrc=size=${WIDTH}x${HEIGHT}:rate=30`,
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100', '-t', '6',
    '-c:v', 'libx264', '-preset', 'veryfast', '-bf', String(bframes), '-g', '30',
    '-pix_fmt', 'yuv420p', '-threads', '1', '-c:a', 'aac', '-ac', '2', clip,
  ], { timeout: 60_000 });
  return clip;
}

function playerState(page) {
  return page.evaluate(() => {
    const player = window.__shimmerPlayer;
    const element = document.querySelector('.player[data-testid=player]');
    const video = player?.video;
    const quality = video?.getVideoPlaybackQuality?.();
    return {
      state: element?.dataset.state ?? null,
      mode: player?.mode ?? null,
      reason: player?.fallbackReason ?? null,
      frames: quality?.totalVideoFrames ?? 0,
      width: video?.videoWidth ?? 0,
      height: video?.videoHeight ?? 0,
      // Chromium's count of audio bytes it decoded (the encoder's AAC, packaged as sent).
      audioBytes: video?.webkitAudioDecodedByteCount ?? 0,
      hlsUrl: player?.hlsUrl ?? null,
    };
  });
}

async function goLive(t, username, clip) {
  await server.createUser({ username });
  const key = await server.streamKey(username);
  const encoder = publishRtmp(server, clip, key);
  t.after(() => encoder.stop());
  t.after(() => {
    if (t.passed === false) {
      t.diagnostic(`server log (tail):\n${server.log().slice(-6_000)}`);
      t.diagnostic(`ffmpeg:\n${encoder.output()}`);
    }
  });
  const status = () => server.run(['channel', 'status', username]);
  await waitFor(async () => (await status()).startsWith('live'), {
    timeoutMs: 10_000,
    describe: async () => `channel is ${await status()}`,
  });
}

async function playsOverHls(page, timeoutMs) {
  let last = null;
  return waitFor(
    async () => {
      last = await playerState(page);
      return last.state === 'playing' && last.mode === 'hls' && last.frames > 30 && last;
    },
    { timeoutMs, describe: () => JSON.stringify(last) },
  );
}

before(async () => {
  const dir = await tempDir('shimmer-hls-media-');
  clips.bframes = await makeClip(dir, 3);
  clips.plain = await makeClip(dir, 0);
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.cleanup();
});

test('a stream with B-frames plays over HLS at its own resolution, and the stats say so', async (t) => {
  await goLive(t, 'bframecaster', clips.bframes);
  const context = await browser.newContext();
  t.after(() => context.close());
  const errors = collectErrors(context);
  const page = await context.newPage();
  const hlsRequests = [];
  page.on('request', (request) => {
    if (request.url().includes('/hls/') || request.url().includes('hls.light')) hlsRequests.push(request.url());
  });
  await page.goto(`${server.baseUrl}/bframecaster`);
  const played = await playsOverHls(page, 15_000);
  t.diagnostic(JSON.stringify(played));
  assert.deepEqual([played.width, played.height], [WIDTH, HEIGHT], 'the source resolution');
  assert.match(played.reason, /B-frames/);
  assert.ok(played.audioBytes > 0, `audio decoded: ${JSON.stringify(played)}`);
  assert.ok(hlsRequests.some((url) => url.endsWith('/hls/bframecaster/index.m3u8')), 'the playlist was loaded');
  assert.ok(hlsRequests.some((url) => url.includes('/static/vendor/hls.js/hls.light.min.mjs')), 'hls.js was loaded');

  await page.getByTestId('player-stats-toggle').click();
  const stats = page.getByTestId('player-stats');
  await waitFor(async () => /mode\s+HLS \(the stream has B-frames\)/.test(await stats.textContent()), {
    timeoutMs: 3_000,
    describe: async () => await stats.textContent(),
  });
  const text = await stats.textContent();
  const latency = Number(/~([\d.]+) s behind live/.exec(text)?.[1]);
  t.diagnostic(`stats:\n${text}`);
  assert.ok(latency >= 0 && latency < 5, `delay behind live: ${text}`);
  errors.assertNone('console or network errors while playing over HLS');
});

test('a viewer whose WebRTC is refused is playing over HLS within 5 s', async (t) => {
  await goLive(t, 'blockedcaster', clips.plain);
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  await page.route('**/api/whep/**', (route) => route.fulfill({
    status: 503,
    headers: { 'Retry-After': '1', 'Access-Control-Allow-Origin': '*' },
    contentType: 'application/json',
    body: JSON.stringify({ error: 'No room on any edge' }),
  }));
  const opened = Date.now();
  await page.goto(`${server.baseUrl}/blockedcaster`);
  let last = null;
  await waitFor(async () => {
    last = await playerState(page);
    return last.state === 'playing' && last.mode === 'hls';
  }, { timeoutMs: 5_000, describe: () => JSON.stringify(last) });
  t.diagnostic(`playing over HLS ${Date.now() - opened} ms after opening the page`);
  assert.match(last.reason, /503/);
  const played = await playsOverHls(page, 5_000);
  assert.deepEqual([played.width, played.height], [WIDTH, HEIGHT]);
});

test('compatibility mode switches to HLS and stays on; the HLS link is copied', async (t) => {
  await goLive(t, 'compatcaster', clips.plain);
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  t.after(() => context.close());
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/compatcaster`);
  await waitFor(async () => {
    const state = await playerState(page);
    return state.state === 'playing' && state.mode === 'webrtc';
  }, { timeoutMs: 10_000, describe: async () => JSON.stringify(await playerState(page)) });

  await page.getByTestId('player-compat').click();
  assert.equal(await page.getByTestId('player-compat').getAttribute('aria-pressed'), 'true');
  await playsOverHls(page, 10_000);

  await page.getByTestId('player-hls-link').click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, `${server.baseUrl}/hls/compatcaster/index.m3u8`);
  const playlist = await (await fetch(copied)).text();
  assert.match(playlist, /^#EXTM3U/);

  await page.reload();
  const again = await playsOverHls(page, 10_000);
  assert.equal(again.reason, 'compatibility mode');
  await page.getByTestId('player-compat').click();
  await waitFor(async () => {
    const state = await playerState(page);
    return state.state === 'playing' && state.mode === 'webrtc';
  }, { timeoutMs: 10_000, describe: async () => JSON.stringify(await playerState(page)) });
});
