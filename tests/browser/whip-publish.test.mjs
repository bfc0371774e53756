// WHIP ingest from a browser: headless Chromium with a fake camera and microphone
// (`--use-fake-device-for-media-stream`) publishes with getUserMedia + RTCPeerConnection and a
// fetch POST of its offer to /api/whip (the stream key as bearer token), as OBS 30+ does.
//
//  - the channel goes live;
//  - a second Chromium page on the channel page decodes video at the camera's resolution and
//    receives Opus with non-silent samples (the fake microphone's beep);
//  - DELETE of the resource (and closing the peer connection) takes the channel offline within
//    5 s, and the player says so.
//
// Run: cd tests/browser && node --test whip-publish.test.mjs
//   (needs target/debug/shimmer and /usr/bin/chromium)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, collectErrors, waitFor } from './harness.mjs';


let server;
let publisherBrowser;
let viewerBrowser;

const channelStatus = async (name) => (await server.run(['channel', 'status', name])).trim();

/** The viewer page's inbound-rtp figures: decoded frames and size, audio packets and energy. */
function viewerStats(page) {
  return page.evaluate(async () => {
    const player = window.__shimmerPlayer;
    const element = document.querySelector('.player[data-testid=player]');
    const result = { state: element?.dataset.state ?? null, video: null, audio: null };
    if (!player?.pc) return result;
    (await player.pc.getStats()).forEach((s) => {
      if (s.type !== 'inbound-rtp') return;
      if (s.kind === 'video') {
        result.video = { framesDecoded: s.framesDecoded ?? 0, frameWidth: s.frameWidth ?? 0, frameHeight: s.frameHeight ?? 0 };
      } else if (s.kind === 'audio') {
        result.audio = {
          packetsReceived: s.packetsReceived ?? 0,
          totalAudioEnergy: s.totalAudioEnergy ?? 0,
          audioLevel: s.audioLevel ?? 0,
        };
      }
    });
    return result;
  });
}

/** getUserMedia (fake camera and microphone), a sendonly RTCPeerConnection, and the offer
 * POSTed to /api/whip with the key as bearer token, as a web studio would. */
function publishFromPage(page, key) {
  return page.evaluate(async (key) => {
    const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    const pc = new RTCPeerConnection();
    for (const track of stream.getTracks()) {
      const transceiver = pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
      if (track.kind === 'video') {
        const params = transceiver.sender.getParameters();
        params.degradationPreference = 'maintain-resolution';
        await transceiver.sender.setParameters(params);
      }
    }
    await pc.setLocalDescription(await pc.createOffer());
    // Wait for host candidates: WHIP sends them all in the offer.
    await new Promise((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve();
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
      setTimeout(resolve, 2_000);
    });
    const response = await fetch('/api/whip', {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp', Authorization: `Bearer ${key}` },
      body: pc.localDescription.sdp,
    });
    const body = await response.text();
    if (response.status !== 201) return { status: response.status, body };
    await pc.setRemoteDescription({ type: 'answer', sdp: body });
    window.__whip = { pc, stream, location: response.headers.get('Location') };
    const settings = stream.getVideoTracks()[0].getSettings();
    return {
      status: response.status,
      contentType: response.headers.get('Content-Type'),
      location: response.headers.get('Location'),
      width: settings.width,
      height: settings.height,
    };
  }, key);
}

before(async () => {
  [server, publisherBrowser, viewerBrowser] = await Promise.all([
    startServer(),
    launchBrowser({ args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] }),
    launchBrowser(),
  ]);
  await server.createUser({ username: 'browsercaster' });
  await server.createUser({ username: 'closer' });
});

after(async () => {
  await publisherBrowser?.close();
  await viewerBrowser?.close();
  await server?.cleanup();
});

test('Chromium publishes over WHIP; another Chromium plays it; DELETE ends the stream', async (t) => {
  t.after(() => {
    if (t.passed === false) t.diagnostic(`server log (tail):\n${server.log().slice(-6_000)}`);
  });
  const key = (await server.streamKey('browsercaster')).trim();

  // The publisher: a page of the site (same origin as the endpoint, as a web studio would be).
  const publisherContext = await publisherBrowser.newContext();
  t.after(() => publisherContext.close());
  const publisher = await publisherContext.newPage();
  await publisher.goto(`${server.baseUrl}/`);
  const published = await publishFromPage(publisher, key);
  assert.equal(published.status, 201, `POST /api/whip: ${published.body}`);
  assert.equal(published.contentType, 'application/sdp');
  assert.match(published.location, /^\/api\/whip\/sessions\/[0-9a-f]{32}$/);
  t.diagnostic(`fake camera ${published.width}x${published.height}`);
  await waitFor(
    () => publisher.evaluate(() => window.__whip.pc.connectionState === 'connected'),
    { timeoutMs: 10_000, describe: () => publisher.evaluate(() => window.__whip.pc.connectionState) },
  );
  assert.match(await channelStatus('browsercaster'), /^live /);

  // The viewer: the channel page plays at the camera's size, with audible Opus.
  const viewerContext = await viewerBrowser.newContext({ viewport: { width: 1280, height: 800 } });
  t.after(() => viewerContext.close());
  const errors = collectErrors(viewerContext);
  const viewer = await viewerContext.newPage();
  await viewer.goto(`${server.baseUrl}/browsercaster`);
  let last = null;
  const stats = await waitFor(
    async () => {
      last = await viewerStats(viewer);
      const ok =
        last.video?.framesDecoded > 30 &&
        last.video.frameWidth === published.width &&
        last.video.frameHeight === published.height &&
        last.audio?.packetsReceived > 50 &&
        last.audio.totalAudioEnergy > 0;
      return ok && last;
    },
    { timeoutMs: 20_000, describe: () => JSON.stringify(last) },
  );
  t.diagnostic(`viewer: ${JSON.stringify(stats)}`);
  assert.equal(stats.state, 'playing');

  // Stopping the publisher: DELETE the resource, close the connection; offline within 5 s.
  const stoppedAt = Date.now();
  const deleted = await publisher.evaluate(async () => {
    const response = await fetch(window.__whip.location, { method: 'DELETE' });
    window.__whip.pc.close();
    window.__whip.stream.getTracks().forEach((track) => track.stop());
    return response.status;
  });
  assert.equal(deleted, 200);
  await waitFor(async () => (await channelStatus('browsercaster')) === 'offline', {
    timeoutMs: 5_000,
    describe: () => channelStatus('browsercaster'),
  });
  assert.ok(Date.now() - stoppedAt < 5_000);
  await waitFor(async () => (await viewerStats(viewer)).state !== 'playing', {
    timeoutMs: 5_000,
    describe: async () => JSON.stringify(await viewerStats(viewer)),
  });
  errors.assertNone('the viewer page logs no errors');
});

test('closing the peer connection without DELETE also takes the channel offline within 5 s', async (t) => {
  t.after(() => {
    if (t.passed === false) t.diagnostic(`server log (tail):\n${server.log().slice(-6_000)}`);
  });
  const key = (await server.streamKey('closer')).trim();
  const context = await publisherBrowser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/`);
  const published = await publishFromPage(page, key);
  assert.equal(published.status, 201, `POST /api/whip: ${published.body}`);
  await waitFor(() => page.evaluate(() => window.__whip.pc.connectionState === 'connected'), {
    timeoutMs: 10_000,
  });
  assert.match(await channelStatus('closer'), /^live /);
  const closedAt = Date.now();
  await page.evaluate(() => {
    window.__whip.pc.close();
    window.__whip.stream.getTracks().forEach((track) => track.stop());
  });
  await waitFor(async () => (await channelStatus('closer')) === 'offline', {
    timeoutMs: 5_000,
    describe: () => channelStatus('closer'),
  });
  t.diagnostic(`offline ${Date.now() - closedAt} ms after close()`);
});
