// Time to first frame in Chromium: from the player creating its RTCPeerConnection (and from the
// start of its WHEP POST) to the first video frame the page presents, over fresh page loads of a
// live channel (real FTL push, H.264 with a keyframe every 2 s). Not part of `npm test`.
//
//   node bench-ttff.mjs [--runs 20] [--assert-median-ms 500] [--quiet]
//   node bench-ttff.mjs --runs 3            # smoke mode for CI (a few seconds)
//   node bench-ttff.mjs --player-script old-player.js   # A/B: serve another player.js
//   node bench-ttff.mjs --runs 5 --long-tasks           # where a slow load spent its time
//   node bench-ttff.mjs --whep-delay-ms 40              # the WHEP POST held 40 ms, like a
//                                                       # round trip over a real network
//
// Each run opens the channel page in a new browser context (no shared cache or connections)
// and measures, in the page:
//  - peer connection created: when the page's first RTCPeerConnection is constructed (the
//    constructor is wrapped before any script runs);
//  - POST start: the Resource Timing entry of the WHEP POST (startTime of the fetch);
//  - first frame: `video.requestVideoFrameCallback`'s presentationTime of the first frame
//    (registered as soon as the player adds its <video>);
// plus the POST's own duration (startTime to responseEnd) and navigation-to-first-frame, and
// the steps in between, from the peer connection's creation: createOffer, setLocalDescription,
// the WHEP response reaching the page, setRemoteDescription, the ICE and connection states
// (`pc_connected` is DTLS done), the track, and the last packet of the first frame to its
// presentation (`receiveTime`). `--long-tasks` also logs each load's long tasks (> 50 ms).
// Prints one JSON line: runs, median/p90/min/max ms of POST-to-first-frame, the same of peer
// connection to first frame (`pc_to_first_frame`), and the breakdown (medians).
// Exits 1 when a run shows no frame within 10 s or the median exceeds --assert-median-ms.
//
// Uses $SHIMMER_BIN (default target/debug/shimmer) and $CHROMIUM_BIN like the tests.

import { readFileSync } from 'node:fs';
import { startServer, startPush, testMedia, launchBrowser, SHIMMER_BIN } from './harness.mjs';

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  if (index === -1) return fallback;
  const value = process.argv[index + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
  return value;
}

const RUNS = Number(option('runs', '20'));
const ASSERT_MEDIAN = option('assert-median-ms', null);
const QUIET = process.argv.includes('--quiet');
const PLAYER_SCRIPT = option('player-script', null);
const WHEP_DELAY_MS = Number(option('whep-delay-ms', '0'));
const FRAME_TIMEOUT_MS = 10_000;
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error('--runs must be a positive integer');
if (!(WHEP_DELAY_MS >= 0)) throw new Error('--whep-delay-ms must be a number of milliseconds');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (...args) => {
  if (!QUIET) console.error(...args);
};

/** Runs in the page before any of its scripts: timestamps the first presented video frame. */
function instrument() {
  window.__ttff = { firstFrame: null, frameMeta: null, pcCreated: null, marks: {} };
  const Native = window.RTCPeerConnection;
  if (Native) {
    window.RTCPeerConnection = function (...args) {
      const first = window.__ttff.pcCreated === null;
      if (first) window.__ttff.pcCreated = performance.now();
      const pc = new Native(...args);
      if (first) {
        // Marks along the way, so the breakdown says where the time goes.
        const marks = window.__ttff.marks;
        const mark = (name) => {
          if (marks[name] === undefined) marks[name] = performance.now();
        };
        for (const method of ['createOffer', 'setLocalDescription', 'setRemoteDescription']) {
          const original = pc[method].bind(pc);
          pc[method] = async (...callArgs) => {
            mark(`${method}Start`);
            const result = await original(...callArgs);
            mark(`${method}Done`);
            return result;
          };
        }
        pc.addEventListener('iceconnectionstatechange', () => mark(`ice_${pc.iceConnectionState}`));
        pc.addEventListener('connectionstatechange', () => mark(`pc_${pc.connectionState}`));
        pc.addEventListener('track', () => mark('track'));
      }
      return pc;
    };
    window.RTCPeerConnection.prototype = Native.prototype;
  }
  window.__ttff.longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__ttff.longTasks.push([entry.startTime, entry.duration, entry.attribution?.[0]?.containerSrc || entry.name]);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    /* no long task timing */
  }
  const nativeFetch = window.fetch.bind(window);
  window.fetch = async (resource, init) => {
    const response = await nativeFetch(resource, init);
    if (String(resource).includes('/api/whep/') && window.__ttff.pcCreated !== null) {
      window.__ttff.marks.whepResponse ??= performance.now();
    }
    return response;
  };
  const watch = (video) => {
    if (video.__ttffWatched || typeof video.requestVideoFrameCallback !== 'function') return;
    video.__ttffWatched = true;
    video.requestVideoFrameCallback((now, meta) => {
      window.__ttff.firstFrame = meta.presentationTime ?? now;
      window.__ttff.frameMeta = { now, presentationTime: meta.presentationTime, width: meta.width, height: meta.height, receiveTime: meta.receiveTime ?? null };
    });
  };
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType !== 1) continue;
        if (node.tagName === 'VIDEO') watch(node);
        else node.querySelectorAll?.('video').forEach(watch);
      }
    }
  }).observe(document, { childList: true, subtree: true });
}

function quantile(sorted, q) {
  // Nearest-rank.
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1];
}

function summarise(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (x) => Math.round(x * 10) / 10;
  return {
    median_ms: round(sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2),
    p90_ms: round(quantile(sorted, 0.9)),
    min_ms: round(sorted[0]),
    max_ms: round(sorted[sorted.length - 1]),
  };
}

async function measureOnce(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript(instrument);
    if (PLAYER_SCRIPT !== null) {
      await context.route('**/static/js/player.js', (route) => route.fulfill({
        status: 200,
        contentType: 'text/javascript',
        body: readFileSync(PLAYER_SCRIPT, 'utf8'),
      }));
    }
    if (WHEP_DELAY_MS > 0) {
      // Loopback has no round trip; this holds the offer as a network would (ICE and media,
      // over UDP, are not delayed).
      await context.route('**/api/whep/**', async (route) => {
        if (route.request().method() === 'POST') await sleep(WHEP_DELAY_MS);
        await route.continue();
      });
    }
    const page = await context.newPage();
    await page.goto(url);
    const handle = await page.waitForFunction(
      () => {
        const t = window.__ttff;
        if (!t || t.firstFrame === null) return null;
        const post = performance
          .getEntriesByType('resource')
          .find((entry) => entry.initiatorType === 'fetch' && new URL(entry.name).pathname.startsWith('/api/whep/'));
        if (!post) return null;
        return {
          ttff: t.firstFrame - post.startTime,
          pcToFrame: t.firstFrame - t.pcCreated,
          pcToPost: post.startTime - t.pcCreated,
          post: post.responseEnd - post.startTime,
          postStart: post.startTime,
          navToFrame: t.firstFrame,
          size: `${t.frameMeta.width}x${t.frameMeta.height}`,
          state: document.querySelector('.player[data-testid=player]')?.dataset.state,
          longTasks: t.longTasks.filter(([start, duration]) => start + duration > t.pcCreated && start < t.firstFrame).map(([start, duration, what]) => [Math.round(start - t.pcCreated), Math.round(duration), what]),
          marks: Object.fromEntries(Object.entries(t.marks).map(([name, at]) => [name, at - t.pcCreated])),
          receiveToFrame: t.frameMeta.receiveTime === null ? null : t.firstFrame - t.frameMeta.receiveTime,
        };
      },
      null,
      { timeout: FRAME_TIMEOUT_MS, polling: 50 },
    );
    return await handle.jsonValue();
  } finally {
    await context.close();
  }
}

const [media, server, browser] = await Promise.all([testMedia(), startServer(), launchBrowser()]);
let push;
let exitCode = 0;
try {
  await server.createUser({ username: 'bench' });
  push = await startPush(server, await server.streamKey('bench'), ['--loop']);
  for (let i = 0; ; i += 1) {
    if ((await server.run(['channel', 'status', 'bench'])).startsWith('live')) break;
    if (i > 100) throw new Error(`the channel did not go live:\n${push.output()}`);
    await sleep(100);
  }
  const url = `${server.baseUrl}/bench`;
  // One unmeasured load warms up Chromium's process pool and the server's lazy paths.
  await measureOnce(browser, url);

  const results = [];
  for (let run = 0; run < RUNS; run += 1) {
    // Spread the loads over the keyframe interval (2 s), so the keyframe cache is exercised at
    // every phase of the GOP rather than at one.
    await sleep(137 * (run % 7));
    const result = await measureOnce(browser, url);
    results.push(result);
    log(`run ${run + 1}/${RUNS}: peer connection→first frame ${result.pcToFrame.toFixed(1)} ms, POST→first frame ${result.ttff.toFixed(1)} ms (POST ${result.post.toFixed(1)} ms, navigation→frame ${result.navToFrame.toFixed(0)} ms, ${result.size})`);
    if (process.argv.includes("--long-tasks")) log(`  long tasks after the peer connection [start, duration, what]: ${JSON.stringify(result.longTasks)}`);
  }
  const ttff = summarise(results.map((r) => r.ttff));
  const summary = {
    metric: 'whep_post_to_first_frame',
    runs: RUNS,
    ...ttff,
    pc_to_first_frame: summarise(results.map((r) => r.pcToFrame)),
    pc_to_post_median_ms: summarise(results.map((r) => r.pcToPost)).median_ms,
    post_median_ms: summarise(results.map((r) => r.post)).median_ms,
    nav_to_frame_median_ms: summarise(results.map((r) => r.navToFrame)).median_ms,
    // Median time of each step, from the peer connection's creation.
    steps_from_pc_median_ms: Object.fromEntries(
      [...new Set(results.flatMap((r) => Object.keys(r.marks)))]
        .map((name) => [name, results.map((r) => r.marks[name]).filter((v) => v !== undefined)])
        .map(([name, values]) => [name, summarise(values).median_ms])
        .sort((a, b) => a[1] - b[1]),
    ),
    last_packet_to_frame_median_ms: results.some((r) => r.receiveToFrame !== null)
      ? summarise(results.map((r) => r.receiveToFrame).filter((v) => v !== null)).median_ms
      : null,
    frame_size: [...new Set(results.map((r) => r.size))].join(','),
    source: `${media.width}x${media.height} ${media.fps} fps H.264, keyframe every ${media.keyframeInterval} s`,
    shimmer_bin: SHIMMER_BIN,
    player_script: PLAYER_SCRIPT ?? 'served',
    whep_delay_ms: WHEP_DELAY_MS,
  };
  console.log(JSON.stringify(summary));
  if (ASSERT_MEDIAN !== null && ttff.median_ms > Number(ASSERT_MEDIAN)) {
    console.error(`median ${ttff.median_ms} ms exceeds ${ASSERT_MEDIAN} ms`);
    exitCode = 1;
  }
} catch (error) {
  console.error(`bench-ttff failed: ${error.stack ?? error}`);
  console.error(`server log (tail):\n${server.log().slice(-4_000)}`);
  exitCode = 1;
} finally {
  await push?.stop();
  await browser.close();
  await server.cleanup();
}
process.exit(exitCode);
