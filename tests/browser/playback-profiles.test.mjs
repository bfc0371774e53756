// Playback of an H.264 High stream (x264's and OBS's default profile) in Debian's Chromium,
// whose WebRTC offer lists Baseline, Constrained Baseline, Main and High 4:4:4 but not High.
// The server answers with the viewer's best matching format (High 4:4:4 here, whose decoders
// play High) instead of a profile the browser never offered, which left it without video.
//
//  - the media is made at test time by ffmpeg with `-profile:v high -pix_fmt yuv420p -bf 0`
//    (ffprobe confirms the profile) and pushed with `shimmer push` over FTL;
//  - the channel page plays: > 30 decoded frames at 1280x720 and audio packets;
//  - the answer's H.264 format is one the offer listed, and a session answered with another
//    profile than the stream's is counted on the metrics listener's /metrics by both profiles.
//
// Run: cd tests/browser && node --test playback-profiles.test.mjs
//   (needs target/debug/shimmer, /usr/bin/chromium and ffmpeg)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  startServer,
  startPush,
  testMedia,
  tempDir,
  launchBrowser,
  collectErrors,
} from './harness.mjs';

const execFileAsync = promisify(execFile);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const PLAYING_WITHIN_MS = 8_000;

let browser;
let server;
let push;
let media;

/** 6 s of 1280x720 30 fps H.264 High, 4:2:0, no B-frames, keyframe every 2 s; Opus from testMedia. */
async function highProfileMedia() {
  const base = await testMedia();
  const dir = await tempDir('shimmer-high-');
  const video = path.join(dir, 'high.h264');
  await execFileAsync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
    '-f', 'lavfi', '-i', 'testsrc=size=1280x720:rate=30', '-t', '6',
    '-c:v', 'libx264', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-bf', '0',
    '-preset', 'veryfast', '-tune', 'zerolatency', '-g', '60', '-keyint_min', '60',
    '-sc_threshold', '0', '-b:v', '2500k', '-threads', '1', '-f', 'h264', video,
  ], { timeout: 60_000 });
  const { stdout } = await execFileAsync('ffprobe', [
    '-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=profile,pix_fmt',
    '-of', 'default=noprint_wrappers=1', video,
  ]);
  assert.match(stdout, /profile=High\n/, `ffmpeg made High: ${stdout}`);
  assert.match(stdout, /pix_fmt=yuv420p/, `ffmpeg made 4:2:0: ${stdout}`);
  return { ...base, dir, video };
}

async function waitFor(probe, { timeoutMs, intervalMs = 100, describe = () => '' }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${await describe()}`);
    await sleep(intervalMs);
  }
}

/** Chromium's own recvonly offer's H.264 profile-level-ids (packetization-mode=1). */
async function offeredH264(page) {
  const sdp = await page.evaluate(async () => {
    const pc = new RTCPeerConnection();
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    const offer = await pc.createOffer();
    pc.close();
    return offer.sdp;
  });
  return [...sdp.matchAll(/a=fmtp:\d+ (.*packetization-mode=1.*)/g)]
    .map((m) => /profile-level-id=([0-9a-f]{6})/i.exec(m[1])?.[1]?.toLowerCase())
    .filter(Boolean);
}

/** The player's state, inbound-rtp figures and the remote description's H.264 profile-level-id. */
function playerStats(page) {
  return page.evaluate(async () => {
    const player = window.__shimmerPlayer;
    const element = document.querySelector('.player[data-testid=player]');
    const result = { state: element?.dataset.state ?? null, video: null, audio: null, answered: null };
    if (!player?.pc) return result;
    const answer = player.pc.remoteDescription?.sdp ?? '';
    result.answered = /profile-level-id=([0-9a-f]{6})/i.exec(answer)?.[1]?.toLowerCase() ?? null;
    (await player.pc.getStats()).forEach((s) => {
      if (s.type !== 'inbound-rtp') return;
      if (s.kind === 'video') {
        result.video = { framesDecoded: s.framesDecoded ?? 0, frameWidth: s.frameWidth ?? 0, frameHeight: s.frameHeight ?? 0 };
      } else if (s.kind === 'audio') {
        result.audio = { packetsReceived: s.packetsReceived ?? 0 };
      }
    });
    return result;
  });
}

/** Sum of the mismatch counter's series whose labels include `labels`. */
async function mismatches(labels) {
  const text = await (await fetch(`${server.metricsUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('shimmer_webrtc_profile_mismatch_sessions_total{'))
    .filter((line) => Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

before(async () => {
  const [made, started, launched] = await Promise.all([highProfileMedia(), startServer(), launchBrowser()]);
  media = made;
  server = started;
  browser = launched;
  await server.createUser({ username: 'highstreamer' });
  push = await startPush(server, await server.streamKey('highstreamer'), ['--loop'], { media });
  await waitFor(async () => (await server.run(['channel', 'status', 'highstreamer'])).startsWith('live'), {
    timeoutMs: 10_000,
    describe: () => `push log:\n${push.output()}`,
  });
});

after(async () => {
  await push?.stop();
  await browser?.close();
  await server?.cleanup();
});

test("Debian's Chromium plays a High-profile stream pushed with shimmer push", async (t) => {
  t.after(() => {
    if (t.passed === false) t.diagnostic(`server log (tail):\n${server.log().slice(-6_000)}`);
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  t.after(() => context.close());
  const errors = collectErrors(context);
  const page = await context.newPage();
  const offered = await offeredH264(page);
  t.diagnostic(`Chromium offers H.264 ${offered.join(', ')}`);
  const offersHigh = offered.some((id) => id.startsWith('6400'));

  const started = Date.now();
  await page.goto(`${server.baseUrl}/highstreamer`);
  let last = null;
  const stats = await waitFor(
    async () => {
      last = await playerStats(page);
      return (
        last.state === 'playing' &&
        last.video?.framesDecoded > 30 &&
        last.video.frameWidth === media.width &&
        last.video.frameHeight === media.height &&
        last.audio?.packetsReceived > 0 &&
        last
      );
    },
    {
      timeoutMs: PLAYING_WITHIN_MS,
      intervalMs: 100,
      describe: () => `no playback: ${JSON.stringify(last)}`,
    },
  );
  t.diagnostic(`playing after ${Date.now() - started} ms: ${JSON.stringify(stats)}`);
  assert.ok(stats.answered, 'the answer names an H.264 profile-level-id');
  const answeredProfile = stats.answered.slice(0, 4);
  assert.ok(
    offered.some((id) => id.slice(0, 4) === answeredProfile),
    `the answered profile ${stats.answered} is one the browser offered (${offered.join(', ')})`,
  );
  if (offersHigh) {
    assert.equal(answeredProfile, '6400', 'a browser offering High gets High');
    assert.equal(await mismatches({ stream_profile: 'high' }), 0);
  } else {
    assert.notEqual(answeredProfile, '6400');
    assert.equal(await mismatches({ stream_profile: 'high' }), 1, 'the session is counted as a profile mismatch');
  }
  errors.assertNone('console or network errors while playing');
});
