// Shimmer split over three processes (web, ingest, edge) on one PostgreSQL and one NATS, as
// `scripts/with-services.sh` provides them (SHIMMER_TEST_POSTGRES_URL, SHIMMER_TEST_NATS_URL):
// a stream pushed to the ingest node plays in Chromium on the web node's channel page, the
// player's WHEP offer redirected (307, cross-origin) to the edge, which pulls the channel over
// the relay; the viewer is counted once, under the signed-in identity of the web node's page.
// When the edge a player watches from is killed, the player plays again from the other edge.
//
// Run: cd tests/browser && ../../scripts/with-services.sh npm test

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startPush, launchBrowser, collectErrors, waitFor, logIn } from './harness.mjs';

const POSTGRES = process.env.SHIMMER_TEST_POSTGRES_URL;
const NATS = process.env.SHIMMER_TEST_NATS_URL;
if (!(POSTGRES && NATS) && process.env.SHIMMER_REQUIRE_POSTGRES) {
  throw new Error('cluster tests need SHIMMER_TEST_POSTGRES_URL and SHIMMER_TEST_NATS_URL');
}
const skip = !(POSTGRES && NATS) && 'needs PostgreSQL and NATS (run under scripts/with-services.sh)';
const PASSWORD = 'correct horse battery';

let browser;
const nodes = {};
let push;
/** The streamer the first test sends live, watched again by the fault test. */
let liveStreamer;

function node(roles, nodeId) {
  return startServer({
    env: {
      SHIMMER_DATABASE_URL: POSTGRES,
      SHIMMER_NATS_URL: NATS,
      SHIMMER_ROLES: roles,
      SHIMMER_NODE_ID: nodeId,
      SHIMMER_RELAY_BIND: '127.0.0.1:0',
    },
  });
}

before(async () => {
  if (skip) return;
  browser = await launchBrowser();
  // The web node migrates the shared database before the others start.
  nodes.web = await node('web', 'browser-web');
  [nodes.ingest, nodes.edge, nodes.edgeB] = await Promise.all([
    node('ingest', 'browser-ingest'),
    node('edge', 'browser-edge'),
    node('edge', 'browser-edge-b'),
  ]);
  // The cluster is ready once the web node's pages may connect to both edges (it learns of
  // edges from the registry, once a second).
  const origins = [nodes.edge, nodes.edgeB].map((edge) => new URL(edge.baseUrl).origin);
  await waitFor(
    async () => {
      const csp = (await fetch(nodes.web.baseUrl)).headers.get('content-security-policy') ?? '';
      return origins.every((origin) => csp.includes(origin));
    },
    {
      timeoutMs: 15_000,
      describe: async () => `CSP ${(await fetch(nodes.web.baseUrl)).headers.get('content-security-policy')}`,
    },
  );
});

after(async () => {
  await push?.stop();
  await browser?.close();
  for (const server of Object.values(nodes)) await server.cleanup();
});

/** The edge node whose origin serves `url`, if any. */
function edgeOf(url) {
  return [nodes.edge, nodes.edgeB].find((edge) => url?.startsWith(edge.baseUrl));
}

/** Frames the page's player has decoded on its current connection. */
function decodedFrames(page) {
  return page.evaluate(async () => {
    const report = await window.__shimmerPlayer?.pc?.getStats();
    let frames = 0;
    report?.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') frames = s.framesDecoded ?? 0;
    });
    return frames;
  });
}

test('a stream on the ingest node plays on the web node\'s channel page through the edge', { skip }, async () => {
  const streamer = `caster${Date.now() % 100000}`;
  const fan = `fan${Date.now() % 100000}`;
  await nodes.web.createUser({ username: streamer, password: PASSWORD });
  await nodes.web.createUser({ username: fan, password: PASSWORD });
  const key = await nodes.web.streamKey(streamer);
  push = await startPush(nodes.ingest, key, ['--loop']);
  liveStreamer = streamer;
  await waitFor(async () => (await nodes.web.run(['channel', 'status', streamer])).startsWith('live'), {
    timeoutMs: 15_000,
    describe: () => `push log:\n${push.output()}`,
  });

  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  const offers = [];
  page.on('response', (response) => {
    if (response.request().method() === 'POST' && response.url().includes('/api/whep/')) {
      offers.push({ url: response.url(), status: response.status() });
    }
  });
  try {
    await logIn(page, nodes.web.baseUrl, fan, PASSWORD);
    await page.goto(`${nodes.web.baseUrl}/${streamer}`);
    const state = () => page.evaluate(() => document.querySelector('.player[data-testid=player]')?.dataset.state);
    await waitFor(async () => (await state()) === 'playing', {
      timeoutMs: 20_000,
      describe: async () =>
        `player ${await state()}; offers ${JSON.stringify(offers)}; errors ${JSON.stringify(errors.errors)}`,
    });
    const decoded = () => decodedFrames(page);
    const frames = await waitFor(async () => (await decoded()) > 30 && (await decoded()), {
      timeoutMs: 10_000,
      describe: async () => `decoded ${await decoded()} frames`,
    });
    console.log(`# decoded ${frames} frames; offers ${JSON.stringify(offers)}`);
    // The offer went to the web node and was answered by an edge.
    assert.ok(
      offers.some((offer) => edgeOf(offer.url) && offer.status === 201),
      `an edge answered the offer: ${JSON.stringify(offers)}`,
    );
    const sessionUrl = await page.evaluate(() => window.__shimmerPlayer?.sessionUrl);
    assert.ok(edgeOf(sessionUrl), `the session lives on an edge: ${sessionUrl}`);

    // Counted once, as the signed-in fan (a second tab of the same fan adds nobody).
    const channelId = await page.locator('article[data-channel-id]').getAttribute('data-channel-id');
    const second = await context.newPage();
    await second.goto(`${nodes.web.baseUrl}/${streamer}`);
    await second.waitForFunction(
      () => document.querySelector('.player[data-testid=player]')?.dataset.state === 'playing',
      null,
      { timeout: 20_000 },
    );
    const figures = async () => (await fetch(`${nodes.web.baseUrl}/api/channels/${channelId}/viewers`)).json();
    await waitFor(async () => (await figures()).viewers === 1, {
      timeoutMs: 10_000,
      describe: async () => JSON.stringify(await figures()),
    });
    assert.equal((await figures()).unique, 1, 'two tabs of one signed-in viewer count once across nodes');

    // Closing the tabs ends the sessions on the edge (DELETE to the session URL there).
    await second.close();
    await page.close();
    await waitFor(async () => (await figures()).viewers === 0, {
      timeoutMs: 15_000,
      describe: async () => JSON.stringify(await figures()),
    });
    errors.assertNone('console or network errors across the nodes');
  } finally {
    await context.close();
  }
});

test('a player whose edge is killed plays again from the other edge within 5 s', { skip }, async () => {
  assert.ok(liveStreamer, 'the first test left a stream live');
  const streamer = liveStreamer;
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${nodes.web.baseUrl}/${streamer}`);
    const player = () =>
      page.evaluate(() => ({
        state: window.__shimmerPlayer?.state,
        sessionUrl: window.__shimmerPlayer?.sessionUrl,
      }));
    await waitFor(async () => (await player()).state === 'playing' && (await decodedFrames(page)) > 10, {
      timeoutMs: 20_000,
      describe: async () => JSON.stringify(await player()),
    });
    const before = await player();
    const doomed = edgeOf(before.sessionUrl);
    assert.ok(doomed, `playing from an edge: ${before.sessionUrl}`);
    const survivor = doomed === nodes.edge ? nodes.edgeB : nodes.edge;

    process.kill(doomed.pid, 'SIGKILL');
    const killed = Date.now();
    await waitFor(
      async () => {
        const now = await player();
        return now.state === 'playing' && now.sessionUrl?.startsWith(survivor.baseUrl) && (await decodedFrames(page)) > 5;
      },
      { timeoutMs: 5_000, describe: async () => JSON.stringify(await player()) },
    );
    console.log(`# playing again from the other edge ${Date.now() - killed} ms after kill -9`);
  } finally {
    await context.close();
  }
});
