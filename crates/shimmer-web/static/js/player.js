// Shimmer's live player: WebRTC playback over WHEP (draft-ietf-wish-whep), no bundler.
//
//   <div class="player" data-channel="alice" data-whep="/api/whep/alice" data-live="true"
//        data-events="/api/channels/1/events"></div>
//   import { mountPlayer } from "/static/js/player.js"; mountPlayer(div);
//
// - WHEP: one recvonly video and one recvonly audio transceiver; the offer is POSTed at once,
//   while the browser applies it and without waiting for ICE gathering: the server is ICE-lite
//   and learns the browser's address from its connectivity checks (peer-reflexive), so no
//   candidate needs to travel.
// - Autoplay with sound where the browser allows it, else muted with a visible unmute button.
//   Volume and mute are remembered in localStorage.
// - Live/offline switches come from Server-Sent Events (data-events): JSON messages whose "type"
//   is "stream_started" or "stream_ended". The player reconnects by itself when the channel goes
//   live again, and retries with backoff when a session fails or its media stops arriving for
//   two seconds (a server that died says nothing; ICE would notice only after several seconds).
// - HLS fallback (hls-playback.js): when the stream has B-frames (the WHEP answer says
//   `Shimmer-B-Frames: yes`), when WebRTC has not started playing within a few seconds or the
//   server refuses it (5xx), or when the viewer turns on compatibility mode (remembered). Once on
//   HLS the page stays on HLS. "HLS link" copies the playlist URL for external players.
// - A stats overlay (mode, resolution, frame rate, bitrate, loss, jitter, latency).
// - Picture-in-picture, where the browser offers it; a paused stream says "Paused".
// - The session is DELETEd on pagehide.
// - window.__shimmerPlayer exposes { pc, state, mode, sessionUrl, video } for tests and the
//   curious.

import { canPlayHls, playHls } from "./hls-playback.js";
import { formatNumber, t } from "./i18n.js";

const STORE_VOLUME = "shimmer.player.volume";
const STORE_MUTED = "shimmer.player.muted";
const STORE_COMPAT = "shimmer.player.compat";
// WebRTC that is not playing this long after the first attempt gives way to HLS.
const WEBRTC_START_MS = 4000;
const DISCONNECTED_GRACE_MS = 4000;
const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000];
const OFFLINE_POLL_MS = 15000;
// A playing session that receives no media for this long has lost its server (an edge that
// died says nothing, and ICE notices only after several seconds): connect afresh.
const STALL_MS = 2000;
const STALL_CHECK_MS = 250;

function readStore(key) {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStore(key, value) {
  try {
    window.localStorage.setItem(key, String(value));
  } catch {
    /* storage may be disabled; preferences are then per page */
  }
}

function el(tag, attrs = {}, children = []) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") e.textContent = v;
    else if (k === "hidden") e.hidden = Boolean(v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

/** A random per-browser key, so the server can count viewers rather than sessions. */
function viewerKey() {
  let key = readStore("shimmer.viewer");
  if (!key || !/^[A-Za-z0-9-]{8,64}$/.test(key)) {
    key = (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2)).slice(0, 64);
    writeStore("shimmer.viewer", key);
  }
  return key;
}

/** Ask for stereo Opus: Chrome configures its decoder from these fmtp parameters. */
function preferStereo(sdp) {
  const m = sdp.match(/a=rtpmap:(\d+) opus\/48000\/2/i);
  if (!m) return sdp;
  const pt = m[1];
  return sdp.replace(new RegExp(`a=fmtp:${pt} ([^\\r\\n]*)`), (line, params) =>
    /stereo=1/.test(params) ? line : `a=fmtp:${pt} ${params};stereo=1;sprop-stereo=1`,
  );
}

// Control icons as inline SVG: emoji and symbols such as U+26F6 are missing from many systems'
// fonts and then show as empty boxes.
const SPEAKER = '<path d="M11 5 6 9H2v6h4l5 4z" fill="currentColor" stroke="none"/>';
const ICONS = {
  volume: `${SPEAKER}<path d="M15.5 8.5a5 5 0 0 1 0 7M19 5a10 10 0 0 1 0 14"/>`,
  muted: `${SPEAKER}<path d="m16 9 6 6m0-6-6 6"/>`,
  fullscreen: '<path d="M8 3H3v5M16 3h5v5M8 21H3v-5M16 21h5v-5"/>',
  pip: '<rect x="2" y="4" width="20" height="16" rx="2"/><rect x="12" y="12" width="7" height="5" fill="currentColor"/>',
};

function icon(name) {
  const span = document.createElement("span");
  span.className = "player-icon";
  span.setAttribute("aria-hidden", "true");
  span.innerHTML = `<svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${ICONS[name]}</svg>`;
  return span;
}

function formatBitrate(bps) {
  if (!Number.isFinite(bps)) return "–";
  return bps >= 1e6 ? `${fixed(bps / 1e6, 2)} Mbit/s` : `${formatNumber(Math.round(bps / 1e3))} kbit/s`;
}

/** `value` with exactly `digits` decimals, in the page's language. */
function fixed(value, digits) {
  return formatNumber(value, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** The stats overlay's labels, by line. */
const STAT_LABELS = {
  mode: 'js-player-stats-mode',
  resolution: 'js-player-stats-resolution',
  video: 'js-player-stats-video',
  audio: 'js-player-stats-audio',
  loss: 'js-player-stats-loss-label',
  jitter: 'js-player-stats-jitter',
  latency: 'js-player-stats-latency',
};

/** The stats overlay's lines: each label in a column as wide as the longest, then its value; a
 * line without a name is its value alone. */
function statLines(lines) {
  const labels = lines.map(([name]) => (name ? t(STAT_LABELS[name]) : ""));
  const width = Math.max(...labels.map((label) => label.length)) + 2;
  return lines.map(([, value], i) => (labels[i] ? labels[i].padEnd(width) + value : value)).join("\n");
}

export function mountPlayer(element) {
  const whepUrl = new URL(element.dataset.whep || `/api/whep/${element.dataset.channel}`, location.href).href;
  const eventsUrl = element.dataset.events || null;
  const channelName = element.dataset.channel || "";
  const hlsUrl = new URL(element.dataset.hls || `/hls/${encodeURIComponent(channelName)}/index.m3u8`, location.href).href;

  // --- DOM ---
  element.classList.add("shimmer-player");
  const video = el("video", { playsinline: "", autoplay: "", "data-testid": "player-video" });
  video.playsInline = true;
  let offline = element.querySelector(".player-offline");
  if (!offline) {
    offline = el("div", { class: "player-offline" }, [
      el("p", { text: channelName ? t("js-player-offline", { name: channelName }) : t("js-player-offline-unnamed") }),
      el("p", { class: "muted", text: t("js-player-autoplay") }),
    ]);
    element.append(offline);
  }
  const status = el("div", { class: "player-status", role: "status", "aria-live": "polite", hidden: true });
  const unmute = el("button", { type: "button", class: "player-unmute", hidden: true, "data-testid": "player-unmute" }, [icon("muted"), ` ${t("js-player-tap-unmute")}`]);
  const muteBtn = el("button", { type: "button", class: "player-btn", "aria-label": t("js-player-mute"), "data-testid": "player-mute" });
  const volume = el("input", { type: "range", min: "0", max: "1", step: "0.05", class: "player-volume", "aria-label": t("js-player-volume") });
  const statsBtn = el("button", { type: "button", class: "player-btn", "aria-pressed": "false", "data-testid": "player-stats-toggle", text: t("js-player-stats") });
  const compatBtn = el("button", { type: "button", class: "player-btn", "aria-pressed": "false", title: t("js-player-compat-title"), "data-testid": "player-compat", text: "HLS" });
  const linkBtn = el("button", { type: "button", class: "player-btn player-hls-link", title: t("js-player-hls-link-title"), "aria-label": t("js-player-hls-link-label"), "data-testid": "player-hls-link", text: t("js-player-hls-link") });
  const fullBtn = el("button", { type: "button", class: "player-btn", "aria-label": t("js-player-full-screen"), "data-testid": "player-fullscreen" }, [icon("fullscreen")]);
  // Picture-in-picture only where the browser offers it (not in Firefox, nor when disabled).
  const pipBtn = document.pictureInPictureEnabled && typeof video.requestPictureInPicture === "function"
    ? el("button", { type: "button", class: "player-btn", "aria-label": t("js-player-pip"), "aria-pressed": "false", "data-testid": "player-pip" }, [icon("pip")])
    : null;
  const live = el("span", { class: "player-live", hidden: true, text: t("js-player-live") });
  const controls = el("div", { class: "player-controls" }, [muteBtn, volume, live, el("span", { class: "player-spacer" }), linkBtn, compatBtn, statsBtn, ...(pipBtn ? [pipBtn] : []), fullBtn]);
  const stats = el("pre", { class: "player-stats", hidden: true, "data-testid": "player-stats" });
  const stage = el("div", { class: "player-stage" }, [video, status, unmute, stats]);
  element.prepend(stage);
  element.append(controls);

  // --- Preferences ---
  const storedVolume = Number.parseFloat(readStore(STORE_VOLUME));
  video.volume = Number.isFinite(storedVolume) ? Math.min(1, Math.max(0, storedVolume)) : 1;
  let wantMuted = readStore(STORE_MUTED) === "true";
  video.muted = wantMuted;
  volume.value = String(video.volume);

  function renderMute() {
    muteBtn.replaceChildren(icon(video.muted || video.volume === 0 ? "muted" : "volume"));
    muteBtn.setAttribute("aria-label", video.muted ? t("js-player-unmute") : t("js-player-mute"));
    unmute.hidden = !(video.muted && !wantMuted && state === "playing");
  }
  muteBtn.addEventListener("click", () => {
    video.muted = !video.muted;
    wantMuted = video.muted;
    writeStore(STORE_MUTED, wantMuted);
    renderMute();
  });
  unmute.addEventListener("click", () => {
    video.muted = false;
    wantMuted = false;
    writeStore(STORE_MUTED, false);
    video.play().catch(() => {});
    renderMute();
  });
  volume.addEventListener("input", () => {
    video.volume = Number(volume.value);
    if (video.volume > 0 && video.muted) {
      video.muted = false;
      wantMuted = false;
      writeStore(STORE_MUTED, false);
    }
    writeStore(STORE_VOLUME, video.volume);
    renderMute();
  });
  fullBtn.addEventListener("click", () => {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else element.requestFullscreen?.().catch(() => {});
  });
  if (pipBtn) {
    pipBtn.addEventListener("click", () => {
      if (document.pictureInPictureElement === video) document.exitPictureInPicture().catch(() => {});
      else video.requestPictureInPicture().catch(() => {});
    });
    video.addEventListener("enterpictureinpicture", () => pipBtn.setAttribute("aria-pressed", "true"));
    video.addEventListener("leavepictureinpicture", () => pipBtn.setAttribute("aria-pressed", "false"));
  }
  // A paused live stream says so; playing again jumps back to live.
  video.addEventListener("pause", () => {
    if (state === "playing") {
      status.textContent = t("js-player-paused");
      status.hidden = false;
    }
  });
  video.addEventListener("play", () => {
    if (state === "playing") status.hidden = true;
  });

  // --- State ---
  let state = "idle"; // idle | connecting | playing | offline | retrying
  let isLive = element.dataset.live === "true";
  let pc = null;
  let sessionUrl = null;
  let attempt = 0;
  let retryTimer = null;
  let disconnectTimer = null;
  let generation = 0; // invalidates callbacks of torn-down sessions
  let mode = "webrtc"; // webrtc | hls; HLS is kept once chosen
  let hlsSession = null;
  let webRtcPlayed = false; // WebRTC played on this page: keep retrying it rather than fall back
  let startTimer = null;

  let compat = readStore(STORE_COMPAT) === "true";
  compatBtn.setAttribute("aria-pressed", String(compat));
  const exposed = { pc: null, state, mode: "webrtc", fallbackReason: null, sessionUrl: null, video, channel: channelName, hlsUrl, reconnects: 0 };
  window.__shimmerPlayer = exposed;

  function setState(next, message) {
    state = next;
    element.dataset.state = next;
    exposed.state = next;
    exposed.pc = pc;
    exposed.sessionUrl = sessionUrl;
    offline.hidden = next !== "offline";
    live.hidden = next !== "playing";
    status.hidden = !message;
    status.textContent = message || "";
    renderMute();
    element.dispatchEvent(new CustomEvent("shimmer:state", { detail: { state: next } }));
  }

  function deleteSession(url, keepalive) {
    if (!url) return;
    fetch(url, { method: "DELETE", keepalive }).catch(() => {});
  }

  /** Close the peer connection; DELETE the server's session unless the server has ended it. */
  /** Deletes the session a WHEP POST opened, when it opened one. */
  function releaseSession(res) {
    const loc = res.headers.get("Location");
    if (res.status === 201 && loc) deleteSession(new URL(loc, res.url || whepUrl).href, false);
  }

  function teardown({ serverEnded = false } = {}) {
    generation += 1;
    clearTimeout(disconnectTimer);
    clearTimeout(retryTimer);
    clearTimeout(startTimer);
    retryTimer = null;
    if (hlsSession) {
      hlsSession.stop();
      hlsSession = null;
    }
    if (pc) {
      pc.ontrack = null;
      pc.onconnectionstatechange = null;
      pc.close();
    }
    if (!serverEnded) deleteSession(sessionUrl, false);
    pc = null;
    sessionUrl = null;
    video.srcObject = null;
  }

  /** Connects again after a backoff; `{ soon: true }` skips the first step (the server is gone). */
  function scheduleRetry(reason, { soon = false } = {}) {
    if (!isLive) {
      goOffline();
      return;
    }
    const delay = soon && attempt === 0 ? 0 : BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)];
    attempt += 1;
    setState("retrying", `${reason} ${t("js-player-reconnecting")}`);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => connect(), delay + Math.random() * 250);
  }

  function goOffline(options) {
    teardown(options);
    setState("offline");
    clearTimeout(retryTimer);
    // Without a working event stream, look again now and then (a POST to an offline channel is a
    // cheap 404, but browsers log it as an error, so not while the event stream works).
    if (!eventsOk) retryTimer = setTimeout(() => (eventsOk ? undefined : connect()), OFFLINE_POLL_MS);
  }

  /** Reconnects when `peer` (of session `gen`) stops receiving media while playing. */
  function watchForStall(peer, gen) {
    let lastBytes = -1;
    let lastChange = performance.now();
    const timer = setInterval(async () => {
      if (gen !== generation) {
        clearInterval(timer);
        return;
      }
      let bytes = 0;
      try {
        (await peer.getStats()).forEach((s) => {
          if (s.type === "inbound-rtp") bytes += s.bytesReceived ?? 0;
        });
      } catch {
        return;
      }
      const now = performance.now();
      if (bytes !== lastBytes) {
        lastBytes = bytes;
        lastChange = now;
      } else if (now - lastChange >= STALL_MS && gen === generation) {
        clearInterval(timer);
        scheduleRetry(t("js-player-stream-stopped"), { soon: true });
      }
    }, STALL_CHECK_MS);
  }

  async function startPlayback() {
    video.muted = wantMuted;
    try {
      await video.play();
    } catch (err) {
      if (err && err.name === "NotAllowedError" && !video.muted) {
        // Autoplay with sound is blocked here: play muted and offer the unmute button.
        video.muted = true;
        try {
          await video.play();
        } catch {
          /* a later user gesture will start it */
        }
      }
    }
    renderMute();
  }

  /** Plays over HLS from now on; `reason` is shown in the stats. */
  function fallBack(reason) {
    mode = "hls";
    exposed.mode = "hls";
    exposed.fallbackReason = reason;
    connect();
  }

  async function connectHls() {
    teardown();
    const gen = generation;
    setState("connecting", t("js-player-connecting"));
    if (!canPlayHls(video)) {
      setState("error", t("js-player-no-player"));
      return;
    }
    video.addEventListener(
      "playing",
      () => {
        if (gen !== generation) return;
        attempt = 0;
        setState("playing");
      },
      { once: true },
    );
    let session;
    try {
      session = await playHls(video, hlsUrl, {
        onFatal(message, offline) {
          if (gen !== generation) return;
          if (offline) {
            isLive = false;
            goOffline();
          } else {
            scheduleRetry(message);
          }
        },
      });
    } catch {
      if (gen === generation) setState("error", t("js-player-hls-not-loaded"));
      return;
    }
    if (gen !== generation) {
      session.stop();
      return;
    }
    hlsSession = session;
    isLive = true;
    startPlayback();
  }

  async function connect() {
    if (compat && mode !== "hls") {
      mode = "hls";
      exposed.mode = "hls";
      exposed.fallbackReason = t("js-player-stats-compat");
    }
    if (mode === "hls") {
      await connectHls();
      return;
    }
    teardown();
    const gen = generation;
    if (!webRtcPlayed) {
      startTimer = setTimeout(() => {
        if (gen === generation && state !== "playing" && isLive) fallBack(t("js-player-fallback-timeout"));
      }, WEBRTC_START_MS);
    }
    setState("connecting", t("js-player-connecting"));
    let peer;
    try {
      peer = new RTCPeerConnection({ bundlePolicy: "max-bundle" });
    } catch (err) {
      setState("error", t("js-player-no-webrtc"));
      return;
    }
    pc = peer;
    exposed.pc = peer;
    let watching = false;
    const stream = new MediaStream();
    peer.addTransceiver("video", { direction: "recvonly" });
    peer.addTransceiver("audio", { direction: "recvonly" });
    peer.ontrack = (ev) => {
      if (gen !== generation) return;
      stream.addTrack(ev.track);
      if (video.srcObject !== stream) video.srcObject = stream;
    };
    peer.onconnectionstatechange = () => {
      if (gen !== generation) return;
      const s = peer.connectionState;
      if (s === "connected") {
        clearTimeout(disconnectTimer);
        clearTimeout(startTimer);
        webRtcPlayed = true;
        attempt = 0;
        setState("playing");
        startPlayback();
        if (!watching) {
          watching = true;
          watchForStall(peer, gen);
        }
      } else if (s === "disconnected") {
        clearTimeout(disconnectTimer);
        disconnectTimer = setTimeout(() => {
          if (gen === generation && peer.connectionState !== "connected") scheduleRetry(t("js-player-connection-lost"));
        }, DISCONNECTED_GRACE_MS);
      } else if (s === "failed" || s === "closed") {
        scheduleRetry(t("js-player-connection-lost"));
      }
    };
    try {
      const offer = await peer.createOffer();
      offer.sdp = preferStereo(offer.sdp);
      const applied = peer.setLocalDescription(offer);
      const posted = fetch(whepUrl, {
        method: "POST",
        headers: { "Content-Type": "application/sdp", "X-Shimmer-Viewer": viewerKey() },
        body: offer.sdp,
      });
      posted.catch(() => {});
      const res = await applied.then(
        () => posted,
        (err) => {
          posted.then(releaseSession, () => {});
          throw err;
        },
      );
      if (gen !== generation) {
        releaseSession(res); // torn down meanwhile
        return;
      }
      if (res.status === 404) {
        isLive = false;
        goOffline();
        return;
      }
      if (res.status >= 500 && !webRtcPlayed) {
        fallBack(t("js-player-fallback-refused", { status: res.status }));
        return;
      }
      if (res.status !== 201) {
        let msg = t("js-player-server-answered", { status: res.status });
        try {
          msg = (await res.json()).error || msg;
        } catch {
          /* not JSON */
        }
        scheduleRetry(msg.endsWith(".") ? msg : `${msg}.`);
        return;
      }
      // In a cluster the offer may have been redirected to an edge: the session lives there.
      const loc = res.headers.get("Location");
      sessionUrl = loc ? new URL(loc, res.url || whepUrl).href : null;
      exposed.sessionUrl = sessionUrl;
      if (res.headers.get("Shimmer-B-Frames") === "yes" && canPlayHls(video)) {
        fallBack(t("js-player-fallback-b-frames"));
        return;
      }
      const answer = await res.text();
      await peer.setRemoteDescription({ type: "answer", sdp: answer });
      isLive = true;
    } catch (err) {
      if (gen === generation) scheduleRetry(t("js-player-could-not-start"));
    }
  }

  // --- Live/offline events (SSE) ---
  let eventsOk = false;
  if (eventsUrl && "EventSource" in window) {
    const source = new EventSource(eventsUrl);
    source.onopen = () => {
      eventsOk = true;
    };
    source.onerror = () => {
      eventsOk = false; // EventSource reconnects by itself
    };
    const onEvent = (data) => {
      let ev;
      try {
        ev = JSON.parse(data);
      } catch {
        return;
      }
      element.dispatchEvent(new CustomEvent("shimmer:event", { detail: ev }));
      if (ev.type === "status") {
        // The first message of every (re)connected event stream: catches a stream that started
        // between rendering the page and subscribing, or while the event stream was down.
        if (ev.live && state === "offline") {
          isLive = true;
          attempt = 0;
          connect();
        } else if (!ev.live && state === "offline") {
          setState("offline"); // clears "restarting" once the server is back
        }
      } else if (ev.type === "stream_started") {
        isLive = true;
        attempt = 0;
        exposed.reconnects += 1;
        if (state !== "playing" && state !== "connecting") connect();
      } else if (ev.type === "restarting") {
        // The server is going down for a restart; the event stream reconnects by itself and
        // its first status message says whether the channel is live again.
        if (state === "offline") setState("offline", t("js-player-restarting"));
      } else if (ev.type === "stream_ended") {
        isLive = false;
        // The server ends every session of a stream when the stream ends; a DELETE now would only
        // earn a 404 (logged as an error by browsers).
        goOffline({ serverEnded: true });
      }
    };
    source.onmessage = (e) => onEvent(e.data);
    source.addEventListener("stream_started", (e) => onEvent(e.data));
    source.addEventListener("stream_ended", (e) => onEvent(e.data));
    window.addEventListener("pagehide", () => source.close());
  }

  // --- Stats overlay ---
  let statsTimer = null;
  let last = null;
  async function renderStats() {
    if (mode === "hls") {
      const quality = video.getVideoPlaybackQuality ? video.getVideoPlaybackQuality() : null;
      const latency = hlsSession ? hlsSession.latency() : NaN;
      stats.textContent = statLines([
        ["mode", t("js-player-stats-hls", { reason: exposed.fallbackReason || t("js-player-stats-compat") })],
        ["resolution", `${video.videoWidth || "?"}×${video.videoHeight || "?"}`],
        [
          "video",
          t("js-player-stats-frames-dropped", {
            decoded: quality ? formatNumber(quality.totalVideoFrames) : "?",
            dropped: quality ? formatNumber(quality.droppedVideoFrames) : "?",
          }),
        ],
        ["latency", t("js-player-stats-behind-live", { seconds: Number.isFinite(latency) ? fixed(latency, 1) : "?" })],
      ]);
      return;
    }
    if (!pc) {
      stats.textContent = t("js-player-stats-not-connected");
      return;
    }
    const report = await pc.getStats();
    const now = { t: performance.now(), v: null, a: null, pair: null };
    report.forEach((s) => {
      if (s.type === "inbound-rtp" && s.kind === "video") now.v = s;
      if (s.type === "inbound-rtp" && s.kind === "audio") now.a = s;
      if (s.type === "candidate-pair" && s.nominated && s.state === "succeeded") now.pair = s;
    });
    const lines = [["mode", "WebRTC"]];
    const v = now.v;
    if (v) {
      const dt = last && last.v ? (now.t - last.t) / 1000 : 0;
      const vBits = dt > 0 ? ((v.bytesReceived - last.v.bytesReceived) * 8) / dt : NaN;
      const aBits = dt > 0 && now.a && last.a ? ((now.a.bytesReceived - last.a.bytesReceived) * 8) / dt : NaN;
      const lost = v.packetsLost || 0;
      const loss = v.packetsReceived + lost > 0 ? (100 * lost) / (v.packetsReceived + lost) : 0;
      const buffer = v.jitterBufferEmittedCount ? (1000 * v.jitterBufferDelay) / v.jitterBufferEmittedCount : NaN;
      const rtt = now.pair && now.pair.currentRoundTripTime != null ? now.pair.currentRoundTripTime * 1000 : NaN;
      lines.push(["resolution", `${v.frameWidth || "?"}×${v.frameHeight || "?"} @ ${formatNumber(v.framesPerSecond || 0)} fps`]);
      lines.push(["video", t("js-player-stats-video-rate", { rate: formatBitrate(vBits), frames: formatNumber(v.framesDecoded || 0) })]);
      lines.push(["audio", formatBitrate(aBits)]);
      lines.push(["loss", t("js-player-stats-loss", { percent: fixed(loss, 2), packets: formatNumber(lost) })]);
      lines.push(["jitter", `${fixed((v.jitter || 0) * 1000, 1)} ms`]);
      lines.push([
        "latency",
        t("js-player-stats-latency-rtc", {
          network: Number.isFinite(rtt) ? fixed(rtt / 2, 0) : "?",
          buffer: Number.isFinite(buffer) ? fixed(buffer, 0) : "?",
        }),
      ]);
    } else {
      lines.push(["", t("js-player-stats-waiting")]);
    }
    stats.textContent = statLines(lines);
    last = now;
  }
  statsBtn.addEventListener("click", () => {
    const show = stats.hidden;
    stats.hidden = !show;
    statsBtn.setAttribute("aria-pressed", String(show));
    clearInterval(statsTimer);
    last = null;
    if (show) {
      renderStats().catch(() => {});
      statsTimer = setInterval(() => renderStats().catch(() => {}), 1000);
    }
  });

  compatBtn.addEventListener("click", () => {
    compat = !compat;
    writeStore(STORE_COMPAT, String(compat));
    compatBtn.setAttribute("aria-pressed", String(compat));
    mode = compat ? "hls" : "webrtc";
    exposed.mode = mode;
    exposed.fallbackReason = compat ? t("js-player-stats-compat") : null;
    if (isLive) connect();
  });
  linkBtn.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(hlsUrl);
      linkBtn.textContent = t("js-player-copied");
    } catch {
      window.prompt(t("js-player-hls-prompt"), hlsUrl);
    }
    setTimeout(() => (linkBtn.textContent = t("js-player-hls-link")), 2000);
  });

  // --- Lifecycle ---
  window.addEventListener("pagehide", () => {
    generation += 1;
    deleteSession(sessionUrl, true);
    sessionUrl = null;
    if (pc) pc.close();
    pc = null;
  });
  // Coming back from the back/forward cache: start again.
  window.addEventListener("pageshow", (e) => {
    if (e.persisted && isLive) connect();
  });

  if (isLive) connect();
  else goOffline();

  return {
    get state() {
      return state;
    },
    get pc() {
      return pc;
    },
    reconnect: () => connect(),
    /** Pauses or resumes the picture (space on the channel page). */
    togglePlay: () => {
      if (video.paused) {
        video.play().catch(() => {});
        return true;
      }
      video.pause();
      return false;
    },
    toggleMute: () => muteBtn.click(),
    toggleFullscreen: () => fullBtn.click(),
    /** The controls bar, for pages that add their own buttons to it. */
    controls,
    fullscreenButton: fullBtn,
    stop: () => {
      isLive = false;
      teardown();
      setState("offline");
    },
  };
}

export default mountPlayer;
