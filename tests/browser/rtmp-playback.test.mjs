// RTMP to the browser: Debian's ffmpeg publishes H.264 + AAC over RTMP (what OBS and hardware
// encoders send), and headless Chromium plays it on the channel page over WebRTC.
//
//  - the channel goes live; the player decodes video at the source's resolution (640x360, not
//    the FTL test media's 1280x720) and receives Opus whose decoded samples are not silent (the
//    AAC was transcoded once on the server; getStats' totalAudioEnergy grows);
//  - stopping ffmpeg takes the channel offline within 5 s and the page shows it.
//
// Run: cd tests/browser && node --test rtmp-playback.test.mjs

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
let clip;

function playerStats(page) {
  return page.evaluate(async () => {
    const player = window.__shimmerPlayer;
    const element = document.querySelector('.player[data-testid=player]');
    const result = { state: element?.dataset.state ?? null, video: null, audio: null };
    if (!player?.pc) return result;
    (await player.pc.getStats()).forEach((s) => {
      if (s.type !== 'inbound-rtp') return;
      if (s.kind === 'video') {
        result.video = { framesDecoded: s.framesDecoded ?? 0, width: s.frameWidth ?? 0, height: s.frameHeight ?? 0 };
      } else if (s.kind === 'audio') {
        result.audio = {
          codecId: s.codecId,
          packetsReceived: s.packetsReceived ?? 0,
          totalSamplesReceived: s.totalSamplesReceived ?? 0,
          totalAudioEnergy: s.totalAudioEnergy ?? 0,
        };
      }
    });
    if (result.audio?.codecId) result.audio.mimeType = (await player.pc.getStats()).get(result.audio.codecId)?.mimeType;
    return result;
  });
}

before(async () => {
  const dir = await tempDir('shimmer-rtmp-media-');
  clip = path.join(dir, 'clip.mkv');
  await execFileAsync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
    '-f', 'lavfi', '-i', `testsrc=size=${WIDTH}x${HEIGHT}:rate=30`,
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100', '-t', '4',
    '-c:v', 'libx264', '-profile:v', 'main', '-preset', 'veryfast', '-tune', 'zerolatency', '-bf', '0',
    '-g', '30', '-pix_fmt', 'yuv420p', '-threads', '1', '-c:a', 'aac', '-ac', '2', clip,
  ], { timeout: 60_000 });
  server = await startServer();
  browser = await launchBrowser();
  await server.createUser({ username: 'rtmpcaster' });
});

after(async () => {
  await browser?.close();
  await server?.cleanup();
});

test('ffmpeg over RTMP plays in Chromium with its own resolution and audible Opus, and goes offline when it stops', async (t) => {
  const key = await server.streamKey('rtmpcaster');
  const encoder = publishRtmp(server, clip, key);
  t.after(() => encoder.stop());
  t.after(() => {
    if (t.passed === false) {
      t.diagnostic(`server log (tail):\n${server.log().slice(-6_000)}`);
      t.diagnostic(`ffmpeg:\n${encoder.output()}`);
    }
  });
  const status = () => server.run(['channel', 'status', 'rtmpcaster']);
  await waitFor(async () => (await status()).startsWith('live'), {
    timeoutMs: 10_000,
    describe: async () => `channel is ${await status()}`,
  });

  const context = await browser.newContext();
  t.after(() => context.close());
  const errors = collectErrors(context);
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/rtmpcaster`);
  let last = null;
  const stats = await waitFor(
    async () => {
      last = await playerStats(page);
      return last.state === 'playing' &&
        last.video?.framesDecoded > 30 &&
        last.audio?.totalAudioEnergy > 0 &&
        last.audio.totalSamplesReceived > 48_000 &&
        last;
    },
    { timeoutMs: 10_000, describe: () => JSON.stringify(last) },
  );
  t.diagnostic(JSON.stringify(stats));
  assert.deepEqual([stats.video.width, stats.video.height], [WIDTH, HEIGHT], 'the source resolution');
  assert.equal(stats.audio.mimeType?.toLowerCase(), 'audio/opus', 'the AAC arrives as Opus');
  // A 440 Hz sine at ffmpeg's default amplitude (1/8 of full scale) has energy well above
  // silence: more than 1e-4 per second of samples.
  const seconds = stats.audio.totalSamplesReceived / 48_000;
  assert.ok(stats.audio.totalAudioEnergy / seconds > 1e-4, `audio energy ${stats.audio.totalAudioEnergy} over ${seconds} s`);
  errors.assertNone('console or network errors while playing');

  const stopped = Date.now();
  await encoder.stop();
  await waitFor(async () => (await status()) === 'offline', {
    timeoutMs: 5_000,
    describe: async () => `channel is still ${await status()} ${Date.now() - stopped} ms after ffmpeg stopped`,
  });
  await waitFor(async () => (await playerStats(page)).state === 'offline', {
    timeoutMs: 5_000,
    describe: async () => `player state ${(await playerStats(page)).state}`,
  });
});
