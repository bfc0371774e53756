// HLS playback for the live player: the fallback when WebRTC cannot play a stream (B-frames,
// UDP blocked, no room on an edge) or the viewer chose compatibility mode.
//
// Safari plays HLS natively; everywhere else hls.js (vendored under /static/vendor/hls.js with
// its licence) is loaded on first use only, so pages that play over WebRTC never fetch it.

import { t } from "./i18n.js";

const HLS_MODULE = "/static/vendor/hls.js/hls.light.min.mjs";

let hlsModule = null;

function loadHls() {
  if (!hlsModule) hlsModule = import(HLS_MODULE).then((module) => module.default);
  return hlsModule;
}

/** True when this browser can play HLS at all (natively or through Media Source). */
export function canPlayHls(video) {
  return Boolean(
    video.canPlayType("application/vnd.apple.mpegurl") ||
      window.ManagedMediaSource ||
      window.MediaSource,
  );
}

/**
 * Starts playing `url` (a multivariant playlist) in `video`.
 * `onFatal(message, offline)` is called once when playback cannot go on; `offline` is true when
 * the server said the channel is not live.
 * Returns { stop(), latency() }: latency in seconds behind the live edge, when known.
 */
export async function playHls(video, url, { onFatal }) {
  video.srcObject = null;
  if (!window.MediaSource && !window.ManagedMediaSource && video.canPlayType("application/vnd.apple.mpegurl")) {
    video.src = url;
    const failed = () => onFatal(t("js-hls-failed"), false);
    video.addEventListener("error", failed, { once: true });
    return {
      stop() {
        video.removeEventListener("error", failed);
        video.removeAttribute("src");
        video.load();
      },
      latency() {
        const end = video.seekable.length ? video.seekable.end(video.seekable.length - 1) : NaN;
        return Number.isFinite(end) ? end - video.currentTime : NaN;
      },
    };
  }
  const Hls = await loadHls();
  // No worker: the site's policy allows scripts from itself only, and parsing on the main thread
  // is cheap for one rendition.
  const hls = new Hls({ lowLatencyMode: true, enableWorker: false, backBufferLength: 30 });
  let stopped = false;
  hls.on(Hls.Events.ERROR, (_event, data) => {
    if (stopped || !data.fatal) return;
    const status = data.response && data.response.code;
    stopped = true;
    hls.destroy();
    onFatal(status === 404 ? t("js-hls-ended") : t("js-hls-stopped"), status === 404);
  });
  hls.loadSource(url);
  hls.attachMedia(video);
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      hls.destroy();
      video.removeAttribute("src");
    },
    latency() {
      return hls.latency;
    },
  };
}
