// Test harness for Shimmer's browser suites: starts real `shimmer serve` processes on free ports
// in throwaway data folders, launches Debian's Chromium through playwright-core, and offers small
// helpers (dev mailbox, operator CLI, console/network error collection, WCAG contrast audit).
//
// Every server is stopped by its own PID (SIGTERM, then SIGKILL after a grace period), also when a
// test fails or the test process exits early; nothing is ever stopped by name.

import { spawn, execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const execFileAsync = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));

/** The shimmer binary: $SHIMMER_BIN, or the debug build of this workspace. */
export const SHIMMER_BIN = path.resolve(here, process.env.SHIMMER_BIN ?? '../../target/debug/shimmer');

/** Chromium: $CHROMIUM_BIN, or Debian's package. */
export const CHROMIUM_BIN = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

/** Flags that keep Debian's Chromium quiet and usable headless in a container (see TESTING.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

// ---------------------------------------------------------------------------------------------
// Process bookkeeping: whatever we started is stopped (by PID) and removed when node exits.

const livePids = new Set();
const ownedDirs = new Set();

process.on('exit', () => {
  for (const pid of livePids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const dir of ownedDirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort
    }
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => process.exit(130));
}

/** A TCP port that was free a moment ago (open a server on port 0, read its port, close it). */
export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A free UDP port (for suites that give the server an FTL/WebRTC media port). */
export async function freeUdpPort(host = '127.0.0.1') {
  const dgram = await import('node:dgram');
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, host, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// eslint-disable-next-line no-control-regex
const stripAnsi = (text) => text.replace(/\x1b\[[0-9;]*m/g, '');

/** Make a fresh temporary folder that is removed when the test process exits. */
export async function tempDir(prefix = 'shimmer-test-') {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  ownedDirs.add(dir);
  return dir;
}

/**
 * Run the shimmer CLI (not `serve`) against a data folder, e.g. `['user', 'create', ...]`.
 * Resolves to trimmed stdout; rejects with stdout/stderr in the message when it exits non-zero.
 */
export async function runCli(cliArgs, { dataDir, env = {}, bin = SHIMMER_BIN, timeoutMs = 30_000 } = {}) {
  const args = [...cliArgs];
  if (dataDir && !args.includes('--data-dir')) args.push('--data-dir', dataDir);
  try {
    const { stdout } = await execFileAsync(bin, args, {
      env: { ...process.env, NO_COLOR: '1', ...env },
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout.trim();
  } catch (error) {
    const detail = [error.stdout, error.stderr].filter(Boolean).map(stripAnsi).join('\n');
    throw new Error(`shimmer ${args.join(' ')} failed (${error.code ?? error.signal}): ${detail}`);
  }
}

/**
 * Start `shimmer serve` on a free port and wait until /healthz answers.
 *
 * Options:
 *  - dataDir: reuse this folder (e.g. to restart on the same data); default a fresh mkdtemp folder
 *    that is deleted by cleanup() or at exit.
 *  - env: extra environment variables (e.g. SHIMMER_NATS_URL), args: extra `serve` arguments.
 *  - port / host: pin the web address (default: a free port on 127.0.0.1).
 *  - readyPath, timeoutMs: readiness probe.
 *  - quiet: false to echo the server's log to stderr as it runs (handy when debugging).
 *
 * Returns { baseUrl, host, port, ftlPort, dataDir, pid, process, log(), run(cliArgs), stop(), cleanup() }.
 *  - run(cliArgs) runs the CLI against this server's data folder and environment.
 *  - stop() stops the process by its PID (SIGTERM, then SIGKILL after 5 s); the data stays.
 *  - cleanup() stops it and deletes the data folder if the harness created it.
 */
export async function startServer(options = {}) {
  const attempts = options.port ? 1 : 3;
  let lastError;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    try {
      return await startServerOnce(options);
    } catch (error) {
      lastError = error;
      // A free port can be taken between probing and binding; try another one.
      if (!/address (already )?in use/i.test(String(error.message))) break;
    }
  }
  throw lastError;
}

async function startServerOnce({
  dataDir,
  env = {},
  args = [],
  port,
  host = '127.0.0.1',
  readyPath = '/healthz',
  timeoutMs = 20_000,
  quiet = true,
  bin = SHIMMER_BIN,
} = {}) {
  const ownsDir = !dataDir;
  const dir = dataDir ?? (await tempDir('shimmer-browser-'));
  const webPort = port ?? (await freePort(host));
  const baseUrl = `http://${host}:${webPort}`;
  // Ingest gets its own free ports too, so servers never collide on FTL's well-known 8084.
  const ftlPort = env.SHIMMER_FTL__CONTROL_PORT ?? String(await freePort(host));
  // The Prometheus listener too (its default, 127.0.0.1:9090, would be shared by every server).
  const metricsPort = await freePort(host);
  const rtmpPort = await freePort(host);
  const serverEnv = {
    ...process.env,
    NO_COLOR: '1',
    SHIMMER_FTL__BIND_ADDRESS: host,
    SHIMMER_FTL__CONTROL_PORT: ftlPort,
    SHIMMER_FTL__MEDIA_PORT: '0',
    SHIMMER_WEBRTC__BIND: `${host}:0`,
    // RTMP's well-known 1935 would be shared by every server as well.
    SHIMMER_RTMP_BIND: `${host}:${rtmpPort}`,
    SHIMMER_METRICS_BIND: `${host}:${metricsPort}`,
    ...env,
  };
  const child = spawn(bin, ['serve', '--bind', `${host}:${webPort}`, '--data-dir', dir, ...args], {
    cwd: dir,
    env: serverEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) {
    await new Promise((resolve) => child.once('error', resolve));
    throw new Error(`could not start ${bin}`);
  }
  livePids.add(pid);

  let output = '';
  const collect = (chunk) => {
    const text = chunk.toString();
    output += text;
    if (!quiet) process.stderr.write(`[shimmer ${pid}] ${text}`);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      livePids.delete(pid);
      resolve(exited);
    });
  });

  async function stop() {
    if (exited) return exited;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return exitPromise;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5_000);
    const result = await exitPromise;
    clearTimeout(timer);
    return result;
  }

  async function cleanup() {
    await stop();
    if (ownsDir) {
      await rm(dir, { recursive: true, force: true });
      ownedDirs.delete(dir);
    }
  }

  const server = {
    baseUrl,
    host,
    port: webPort,
    /** The FTL control (TCP) port, for `shimmer push --server host:ftlPort`. */
    ftlPort: Number(ftlPort),
    /** The RTMP port, for `rtmp://host:rtmpPort/live/<key>`. */
    rtmpPort,
    /** Where Prometheus metrics are served (`metrics_bind`), e.g. `${metricsUrl}/metrics`. */
    metricsUrl: `http://${host}:${metricsPort}`,
    dataDir: dir,
    pid,
    process: child,
    env,
    log: () => stripAnsi(output),
    exited: () => exited,
    run: (cliArgs, runOptions = {}) =>
      runCli(cliArgs, { dataDir: dir, env, bin, ...runOptions }),
    stop,
    cleanup,
    /** Create an account with the CLI; returns the printed user id. */
    createUser: (user) => createUser(server, user),
    /** The channel's stream key, as `shimmer channel key` prints it. */
    streamKey: (username) => runCli(['channel', 'key', username], { dataDir: dir, env, bin }),
    /** Links in the newest dev-mailbox mail to `address`. */
    mailLinks: (address, opts) => latestMailLinks(baseUrl, address, opts),
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      throw new Error(
        `shimmer serve exited early (${exited.code ?? exited.signal}):\n${stripAnsi(output)}`,
      );
    }
    try {
      const response = await fetch(baseUrl + readyPath, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await cleanup();
      throw new Error(`shimmer serve not ready after ${timeoutMs} ms:\n${stripAnsi(output)}`);
    }
    await sleep(40);
  }
}

/** Create a user through `shimmer user create`; returns the id it prints. */
export async function createUser(server, { username, email, password, confirmed = true, admin = false }) {
  const args = ['user', 'create', '--username', username, '--email', email ?? `${username}@example.test`];
  args.push('--password', password ?? 'correct horse battery');
  if (confirmed) args.push('--confirmed');
  if (admin) args.push('--admin');
  return server.run(args);
}

// ---------------------------------------------------------------------------------------------
// Media: test files and `shimmer push`

let mediaPromise = null;

/**
 * Test media, generated once per process with Debian's ffmpeg into a temporary folder (see
 * TESTING.md): 6 s of 1280x720 30 fps H.264 main without B-frames, a keyframe every 2 s
 * (-g 60), -tune zerolatency; and 6 s of 48 kHz stereo Opus in Ogg with 20 ms frames.
 * Resolves to { dir, video, audio, width, height, fps, keyframeInterval }.
 */
export function testMedia({ ffmpeg = process.env.FFMPEG_BIN ?? 'ffmpeg', seconds = 6 } = {}) {
  mediaPromise ??= (async () => {
    const dir = await tempDir('shimmer-media-');
    const video = path.join(dir, 'test.h264');
    const audio = path.join(dir, 'test.opus');
    const common = ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y'];
    await execFileAsync(ffmpeg, [
      ...common, '-f', 'lavfi', '-i', 'testsrc=size=1280x720:rate=30', '-t', String(seconds),
      '-c:v', 'libx264', '-profile:v', 'main', '-preset', 'veryfast', '-tune', 'zerolatency',
      '-bf', '0', '-g', '60', '-keyint_min', '60', '-sc_threshold', '0', '-pix_fmt', 'yuv420p',
      '-b:v', '2500k', '-threads', '1', '-f', 'h264', video,
    ], { timeout: 60_000 });
    await execFileAsync(ffmpeg, [
      ...common, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', String(seconds),
      '-ac', '2', '-c:a', 'libopus', '-b:a', '128k', '-frame_duration', '20', '-application', 'lowdelay',
      '-f', 'ogg', audio,
    ], { timeout: 60_000 });
    return { dir, video, audio, width: 1280, height: 720, fps: 30, keyframeInterval: 2 };
  })();
  mediaPromise.catch(() => {
    mediaPromise = null;
  });
  return mediaPromise;
}

/**
 * `ffmpeg -re -stream_loop -1 -i clip -c copy -f flv rtmp://…/live/KEY` to `server`'s RTMP
 * port, as OBS or a hardware encoder publishes; `stop()` ends it by PID.
 */
export function publishRtmp(server, clip, key) {
  const child = spawn('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-re', '-stream_loop', '-1', '-i', clip,
    '-c', 'copy', '-f', 'flv', `rtmp://${server.host}:${server.rtmpPort}/live/${key}`,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    output: () => stderr,
    async stop() {
      try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ }
      await exited;
    },
  };
}

/**
 * Stream the test media to `server` over FTL with `shimmer push` (plus `extraArgs`, e.g.
 * ['--loop'] or ['--duration', '5']). Resolves once the process is spawned to
 * { pid, process, output(), summary(), exited, stop() }:
 *  - exited: a promise of { code, signal } when the process ends;
 *  - summary(): the JSON summary line it printed (parsed), or null;
 *  - stop(): SIGINT (the client says goodbye), wait up to `graceMs`, then SIGKILL; by PID.
 */
export async function startPush(server, key, extraArgs = [], { media, bin = SHIMMER_BIN, quiet = true } = {}) {
  const files = media ?? (await testMedia());
  const args = [
    'push', '--server', `${server.host}:${server.ftlPort}`, '--key', key,
    '--video', files.video, '--audio', files.audio, ...extraArgs,
  ];
  const child = spawn(bin, args, {
    env: { ...process.env, NO_COLOR: '1', ...(server.env ?? {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) {
    await new Promise((resolve) => child.once('error', resolve));
    throw new Error(`could not start ${bin} push`);
  }
  livePids.add(pid);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    if (!quiet) process.stderr.write(`[push ${pid}] ${chunk}`);
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    if (!quiet) process.stderr.write(`[push ${pid}] ${chunk}`);
  });
  let result = null;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      result = { code, signal };
      livePids.delete(pid);
      resolve(result);
    });
  });
  const push = {
    pid,
    process: child,
    exited,
    output: () => stripAnsi(stdout + stderr),
    summary() {
      const line = stdout.trim().split('\n').reverse().find((l) => l.trim().startsWith('{'));
      try {
        return line ? JSON.parse(line) : null;
      } catch {
        return null;
      }
    },
    async stop({ graceMs = 5_000 } = {}) {
      if (result) return result;
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        return exited;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, graceMs);
      const outcome = await exited;
      clearTimeout(timer);
      return outcome;
    },
  };
  return push;
}

// ---------------------------------------------------------------------------------------------
// Dev mailbox

const decodeEntities = (text) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&#x2F;|&#47;/g, '/')
    .replace(/&amp;/g, '&');

/** The mails listed on /dev/mailbox: [{ id, href, subject, to }], in the page's order (newest first). */
export async function listMail(baseUrl) {
  const response = await fetch(`${baseUrl}/dev/mailbox`);
  if (!response.ok) throw new Error(`/dev/mailbox answered ${response.status}`);
  const html = await response.text();
  const mails = [];
  // The recipient is part of each link's text, so links to mails with one subject differ.
  const item = /<li>\s*<a href="(\/dev\/mailbox\/([^"]+))">\s*<strong>([\s\S]*?)<\/strong>\s*<span class="mail-to">to ([\s\S]*?)<\/span>\s*<\/a>/g;
  for (const match of html.matchAll(item)) {
    mails.push({
      href: decodeEntities(match[1]),
      id: decodeEntities(match[2]),
      subject: decodeEntities(match[3]).trim(),
      to: decodeEntities(match[4]).trim(),
    });
  }
  return mails;
}

/**
 * The links (absolute URLs) in the newest mail to `address` on /dev/mailbox, plus its subject.
 * Polls for up to `timeoutMs` because mail is written just after the request that sends it.
 * `subject` (string or RegExp) narrows which mail counts.
 */
export async function latestMailLinks(baseUrl, address, { subject, timeoutMs = 5_000 } = {}) {
  const wanted = address.toLowerCase();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = (await listMail(baseUrl)).filter((mail) => {
      if (!mail.to.toLowerCase().includes(wanted)) return false;
      if (subject === undefined) return true;
      return subject instanceof RegExp ? subject.test(mail.subject) : mail.subject.includes(subject);
    });
    if (mails.length > 0) {
      const mail = mails[0];
      const body = await (await fetch(baseUrl + mail.href)).text();
      const main = body.slice(body.indexOf('<pre'), body.indexOf('</pre>'));
      const links = [...main.matchAll(/<a href="([^"]+)"/g)].map((m) => new URL(decodeEntities(m[1]), baseUrl).href);
      return { ...mail, links };
    }
    if (Date.now() > deadline) throw new Error(`no mail to ${address} on ${baseUrl}/dev/mailbox`);
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------------------------
// Browser

/** Launch Debian's Chromium headless with the flags from TESTING.md (plus any `args`). */
export function launchBrowser({ args = [], ...options } = {}) {
  return chromium.launch({
    executablePath: CHROMIUM_BIN,
    headless: true,
    args: [...CHROMIUM_ARGS, ...args],
    ...options,
  });
}

/**
 * Watch a page (or every page of a context) for console errors, uncaught exceptions, failed
 * requests and HTTP error responses of sub-resources. `ignore` is a list of strings/RegExps matched
 * against the URL (and message text) of an event to leave out, e.g. an asset another team has not
 * written yet. Returns { errors, clear(), assertNone(message) }.
 *
 * Main-document responses with 4xx status (a 404 page, a form re-rendered with 422) are not
 * errors by themselves, and neither is Chromium's console line about them.
 */
export function collectErrors(target, { ignore = [] } = {}) {
  const errors = [];
  const documentErrorUrls = new Set();
  const ignored = (...texts) =>
    texts.some((text) =>
      ignore.some((rule) => (rule instanceof RegExp ? rule.test(text ?? '') : (text ?? '').includes(rule))),
    );
  const watch = (page) => {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const url = message.location()?.url ?? '';
      if (ignored(url, message.text())) return;
      // Chromium reports every 4xx/5xx response on the console, including the page itself.
      if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())
          && documentErrorUrls.has(url)) return;
      errors.push(`console error on ${page.url()}: ${message.text()} (${url})`);
    });
    page.on('pageerror', (error) => {
      if (ignored(error.message, error.stack)) return;
      errors.push(`uncaught exception on ${page.url()}: ${error.stack ?? error.message}`);
    });
    page.on('requestfailed', (request) => {
      const failure = request.failure()?.errorText ?? 'failed';
      // Navigating away aborts open requests (e.g. an event stream); that is not a fault.
      if (failure === 'net::ERR_ABORTED') return;
      if (ignored(request.url())) return;
      errors.push(`request failed: ${request.method()} ${request.url()}: ${failure}`);
    });
    page.on('response', (response) => {
      const request = response.request();
      if (response.status() < 400) return;
      if (request.isNavigationRequest() && response.status() < 500) {
        documentErrorUrls.add(response.url());
        return;
      }
      if (ignored(response.url())) return;
      errors.push(`HTTP ${response.status()} for ${request.method()} ${response.url()} (from ${request.frame()?.url()})`);
    });
  };
  if (typeof target.pages === 'function') {
    target.pages().forEach(watch);
    target.on('page', watch);
  } else {
    watch(target);
  }
  return {
    errors,
    clear: () => errors.splice(0, errors.length),
    assertNone(context = 'page errors') {
      if (errors.length > 0) throw new Error(`${context}:\n  ${errors.join('\n  ')}`);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Accessibility checks run inside the page

/**
 * WCAG contrast of every visible element with direct text (and every text input with a value):
 * its colour against the effective background (the first ancestor-or-self background that is not
 * transparent, composited over what is beneath it), and the border of every visible text field
 * against its surroundings (3:1, WCAG 1.4.11). Returns the failures and how many were checked.
 */
export async function auditContrast(page) {
  return page.evaluate(() => {
    const parse = (value) => {
      const m = value.match(/rgba?\(([^)]+)\)/);
      if (!m) {
        const srgb = value.match(/color\(srgb ([^)]+)\)/);
        if (!srgb) return null;
        const [rgb, alpha] = srgb[1].split('/');
        const [r, g, b] = rgb.trim().split(/\s+/).map((x) => Number(x) * 255);
        return { r, g, b, a: alpha === undefined ? 1 : Number(alpha) };
      }
      const parts = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
    };
    const over = (top, bottom) => {
      const a = top.a + bottom.a * (1 - top.a);
      if (a === 0) return { r: 0, g: 0, b: 0, a: 0 };
      const mix = (t, b) => (t * top.a + b * bottom.a * (1 - top.a)) / a;
      return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a };
    };
    const luminance = ({ r, g, b }) => {
      const channel = (c) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const ratio = (x, y) => {
      const [l1, l2] = [luminance(x), luminance(y)].sort((p, q) => q - p);
      return (l1 + 0.05) / (l2 + 0.05);
    };
    const hex = ({ r, g, b }) =>
      '#' + [r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('');
    // The canvas colour behind everything: white, or dark when the root's colour-scheme is dark.
    const canvas = getComputedStyle(document.documentElement).colorScheme.includes('dark') &&
      !getComputedStyle(document.documentElement).colorScheme.includes('light')
      ? { r: 18, g: 18, b: 18, a: 1 }
      : { r: 255, g: 255, b: 255, a: 1 };
    const backgroundOf = (element) => {
      const layers = [];
      for (let node = element; node; node = node.parentElement) {
        const style = getComputedStyle(node);
        if (style.backgroundImage && style.backgroundImage !== 'none') {
          return { image: style.backgroundImage, node };
        }
        const color = parse(style.backgroundColor);
        if (color && color.a > 0) {
          layers.push(color);
          if (color.a >= 1) break;
        }
      }
      let result = canvas;
      for (const layer of layers.reverse()) result = over(layer, result);
      return { color: result };
    };
    const describe = (element) => {
      const id = element.id ? `#${element.id}` : '';
      const cls = element.classList.length ? `.${[...element.classList].join('.')}` : '';
      return `${element.tagName.toLowerCase()}${id}${cls}`;
    };
    const visible = (element) => {
      if (!element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
      const rect = element.getBoundingClientRect();
      if (rect.width < 1 || rect.height < 1) return false;
      if (rect.right + window.scrollX <= 0 || rect.bottom + window.scrollY <= 0) return false;
      return true;
    };
    const failures = [];
    const warnings = [];
    let checked = 0;
    for (const element of document.body.querySelectorAll('*')) {
      if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(element.tagName)) continue;
      const isField =
        (element.tagName === 'INPUT' && !['hidden', 'checkbox', 'radio', 'submit', 'button', 'range', 'color', 'file'].includes(element.type) && element.value) ||
        element.tagName === 'SELECT' || element.tagName === 'TEXTAREA';
      const hasText = [...element.childNodes].some(
        (node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim() !== '',
      );
      if (!hasText && !isField) continue;
      if (!visible(element)) continue;
      const style = getComputedStyle(element);
      const fg = parse(style.color);
      const bg = backgroundOf(element);
      const text = (isField ? element.value || element.selectedOptions?.[0]?.text || '' : element.textContent)
        .trim().replace(/\s+/g, ' ').slice(0, 60);
      if (!fg) {
        warnings.push(`${describe(element)} "${text}": unparsed colour ${style.color}`);
        continue;
      }
      if (bg.image) {
        warnings.push(`${describe(element)} "${text}": background image on ${describe(bg.node)}, not checked`);
        continue;
      }
      const effectiveFg = over(fg, bg.color);
      const value = ratio(effectiveFg, bg.color);
      const size = parseFloat(style.fontSize);
      const bold = Number(style.fontWeight) >= 700;
      const large = size >= 24 || (size >= 18.66 && bold);
      const needed = large ? 3 : 4.5;
      checked += 1;
      if (value + 1e-6 < needed) {
        failures.push(
          `${describe(element)} "${text}": ${value.toFixed(2)}:1 < ${needed}:1 ` +
            `(${hex(effectiveFg)} on ${hex(bg.color)}, ${size}px${bold ? ' bold' : ''})`,
        );
      }
    }
    // Non-text contrast (WCAG 1.4.11): a text field's border against what surrounds it, 3:1.
    for (const field of document.body.querySelectorAll('input, select, textarea')) {
      if (field.tagName === 'INPUT' && ['hidden', 'checkbox', 'radio', 'submit', 'button', 'range', 'color', 'file', 'image'].includes(field.type)) continue;
      if (!visible(field)) continue;
      const style = getComputedStyle(field);
      if (parseFloat(style.borderTopWidth) < 1 || style.borderTopStyle === 'none') continue;
      const border = parse(style.borderTopColor);
      const around = backgroundOf(field.parentElement);
      if (!border || around.image || border.a === 0) continue;
      const value = ratio(over(border, around.color), around.color);
      checked += 1;
      if (value + 1e-6 < 3) {
        failures.push(
          `${describe(field)} border: ${value.toFixed(2)}:1 < 3:1 (${hex(over(border, around.color))} on ${hex(around.color)})`,
        );
      }
    }
    return { failures, warnings, checked };
  });
}

/** Horizontal overflow: how far the document is wider than the viewport (0 when it fits). */
export async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const scroller = document.scrollingElement;
    const overflow = scroller.scrollWidth - window.innerWidth;
    const culprits = [];
    if (overflow > 0) {
      for (const element of document.body.querySelectorAll('*')) {
        const rect = element.getBoundingClientRect();
        if (rect.right > window.innerWidth + 0.5 && element.checkVisibility()) {
          culprits.push(`${element.tagName.toLowerCase()}${element.className ? '.' + String(element.className).split(' ').join('.') : ''} right=${Math.round(rect.right)}`);
        }
      }
    }
    return { overflow: Math.max(0, overflow), culprits: culprits.slice(0, 10) };
  });
}

// ---------------------------------------------------------------------------------------------
// Small conveniences shared by suites

/** Log in through the form; resolves once the response page has loaded. Staff accounts must
 * use two-factor sign-in: when the server sends one to enrolment, this enrols it (remembering
 * the key), and answers the code step of later log-ins with a fresh code. */
export async function logIn(page, baseUrl, login, password, { remember = false } = {}) {
  await page.goto(`${baseUrl}/users/login`);
  await page.fill('#login', login);
  await page.fill('#password', password);
  if (remember) await page.check('input[name="remember"]');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/users/login"] button[type="submit"]')]);
  const url = new URL(page.url());
  if (url.pathname === '/users/login/two-factor' && totpKeys.has(login)) {
    await page.fill('#code', totpCode(totpKeys.get(login), 1));
    await Promise.all([page.waitForNavigation(), page.click('form[action="/users/login/two-factor"] button')]);
  } else if (url.pathname === '/users/settings/two-factor') {
    totpKeys.set(login, await enrolTwoFactor(page));
  }
}

const totpKeys = new Map();

/** Decodes RFC 4648 base32 (no padding). */
function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    const value = alphabet.indexOf(char);
    if (value < 0) throw new Error(`not base32: ${char}`);
    bits += value.toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The RFC 6238 code (SHA-1, 6 digits, 30 s) for the step `offset` steps from now. */
export function totpCode(base32Key, offset = 0) {
  const step = Math.floor(Date.now() / 1000 / 30) + offset;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const hmac = createHmac('sha1', base32Decode(base32Key)).update(counter).digest();
  const at = hmac[hmac.length - 1] & 0x0f;
  const value = (hmac.readUInt32BE(at) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, '0');
}

/** Enrols the signed-in account of `page` in two-factor sign-in from the manual key; returns
 * the key. */
export async function enrolTwoFactor(page) {
  const key = (await page.locator('[data-testid="totp-key"]').innerText()).trim();
  await page.fill('#confirm-code', totpCode(key));
  await Promise.all([page.waitForNavigation(), page.click('form[action="/users/settings/two-factor/confirm"] button')]);
  await page.locator('[data-testid="recovery-codes"]').waitFor();
  return key;
}

/** A unique-enough suffix for names created by tests that share a server. */
let counter = 0;
/**
 * Poll `probe` until it returns a truthy value (which is returned); fail after `timeoutMs` with
 * `describe()` in the message.
 */
export async function waitFor(probe, { timeoutMs, intervalMs = 100, describe = () => '' }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export function uniqueName(prefix = 'user') {
  counter += 1;
  return `${prefix}${process.pid % 1000}${counter}`;
}
