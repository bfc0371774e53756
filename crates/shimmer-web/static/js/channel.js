// The channel page: mounts the chat and the player (with theatre mode and keyboard shortcuts),
// keeps the live and offline badges and the uptime in step with the player, opens the Share
// menu, and takes viewers along when the streamer raids another channel. The chat is loaded
// separately so that nothing in it (a failed download, an error while mounting) can stop the
// player.
import { formatNumber, t } from './i18n.js';
import { mountPlayer } from './player.js';
import { mountViewing } from './viewing.js';

// The chat's download starts first, so a player fault cannot stop it either; it mounts once a
// live player shows its first frame (or gave up, or after a second at most): mounting renders
// the chat's history and opens its socket, work that would otherwise delay the player's offer,
// answer and first decoded frame by tens of milliseconds on a busy machine.
const CHAT_WAITS_FOR_PLAYER_MS = 1000;
const playerSettled = new Promise((resolve) => {
  const live = document.querySelector('.player[data-whep]');
  if (!live || live.dataset.live !== 'true') {
    resolve();
    return;
  }
  setTimeout(resolve, CHAT_WAITS_FOR_PLAYER_MS);
  // Media events do not bubble: caught on the way down to the player's <video>.
  live.addEventListener('loadeddata', () => resolve(), { capture: true });
  live.addEventListener('shimmer:state', (event) => {
    if (!['connecting', 'playing'].includes(event.detail.state)) resolve();
  });
});
const chat = document.querySelector('[data-chat]');
if (chat) {
  Promise.all([import('./chat.js'), playerSettled])
    .then(([{ mountChat }]) => mountChat(chat))
    .catch((error) => {
      const notice = chat.querySelector('[data-chat-notice]');
      if (notice) {
        notice.textContent = t('js-chat-load-failed');
        notice.hidden = false;
      }
      console.warn('chat:', error);
    });
}

const player = document.querySelector('.player[data-whep]');
// While hosting, the player plays another channel: the page's badges, count and raids stay
// this channel's, and the page reloads when this channel goes live.
const hostEvents = player?.dataset.hostEvents;
if (hostEvents) {
  const own = new EventSource(hostEvents);
  own.onmessage = (event) => {
    try {
      // The first message is the status: this channel may have gone live since the page was made.
      const { type, live } = JSON.parse(event.data);
      if (type === 'stream_started' || (type === 'status' && live)) window.location.reload();
    } catch {
      /* not an event of ours */
    }
  };
  window.addEventListener('pagehide', () => own.close());
}
const layout = document.querySelector('.channel-layout');
if (player && hostEvents) {
  mountViewing(mountPlayer(player), layout);
} else if (player) {
  const liveBadge = document.querySelector('[data-live-badge]');
  const offlineBadge = document.querySelector('[data-offline-badge]');
  const viewerCount = document.querySelector('[data-viewer-count]');
  player.addEventListener('shimmer:state', (event) => {
    const offline = event.detail.state === 'offline';
    if (liveBadge) liveBadge.hidden = offline;
    if (offlineBadge) offlineBadge.hidden = !offline;
  });
  // Concurrent viewers arrive on the same event stream as the live status.
  player.addEventListener('shimmer:event', (event) => {
    const { type, viewers, live } = event.detail;
    if (!viewerCount) return;
    if ((type === 'status' || type === 'viewers') && typeof viewers === 'number') {
      viewerCount.textContent = formatNumber(viewers);
    }
    const wrapper = viewerCount.closest('[data-live-only]');
    if (wrapper && type === 'status') wrapper.hidden = !live;
    if (wrapper && type === 'stream_started') wrapper.hidden = false;
    if (wrapper && type === 'stream_ended') wrapper.hidden = true;
  });
  player.addEventListener('shimmer:event', (event) => {
    if (event.detail.type === 'raid') followRaid(player, event.detail);
  });
  mountUptime(player);
  mountViewing(mountPlayer(player), layout);
}
mountShare();

/** A running time as h:mm:ss. */
function clock(ms) {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const two = (n) => String(n).padStart(2, '0');
  return `${Math.floor(seconds / 3600)}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
}

/** "Live for 1:23:45" under the title, ticking every second from the stream's start while the
 *  channel is live; the live-update feed starts and ends it. */
function mountUptime(player) {
  const uptime = document.querySelector('[data-uptime]');
  if (!uptime) return;
  let timer = null;
  let since = null;
  const show = () => {
    uptime.textContent = t('js-channel-live-for', { time: clock(Date.now() - since) });
  };
  const start = (startedAt) => {
    since = startedAt;
    uptime.dataset.startedAt = String(startedAt);
    uptime.hidden = false;
    show();
    if (timer === null) timer = setInterval(show, 1000);
  };
  const stop = () => {
    clearInterval(timer);
    timer = null;
    uptime.hidden = true;
    delete uptime.dataset.startedAt;
  };
  const initial = Number(uptime.dataset.startedAt);
  if (initial > 0) start(initial);
  player.addEventListener('shimmer:event', (event) => {
    const { type, live, started_at: startedAt } = event.detail;
    if (type === 'status' && live && typeof startedAt === 'number') start(startedAt);
    else if (type === 'status' && !live) stop();
    // The event itself carries no time: the stream started just now.
    else if (type === 'stream_started') start(Date.now());
    else if (type === 'stream_ended') stop();
  });
}

/** The Share button: the system's share sheet where there is one, else the menu of links, with
 *  "Copy link" added when the clipboard can be written. */
function mountShare() {
  const menu = document.querySelector('[data-share]');
  if (!menu) return;
  const { url, title } = menu.dataset;
  const summary = menu.querySelector('summary');
  const copy = menu.querySelector('[data-share-copy]');
  const status = menu.querySelector('[data-share-status]');
  if (typeof navigator.share === 'function') {
    summary.addEventListener('click', (event) => {
      event.preventDefault();
      navigator.share({ title, url }).catch(() => {
        /* dismissed by the viewer */
      });
    });
  }
  if (copy && navigator.clipboard?.writeText) {
    copy.hidden = false;
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(url);
        status.textContent = t('js-channel-share-copied');
      } catch {
        status.textContent = t('js-channel-share-copy-failed', { url });
      }
    });
  }
  // Closing clears the confirmation at once (the `toggle` event comes a task later).
  const close = () => {
    menu.open = false;
    status.textContent = '';
  };
  menu.addEventListener('toggle', () => {
    if (!menu.open) status.textContent = '';
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && menu.open) {
      close();
      summary.focus();
    }
  });
  document.addEventListener('click', (event) => {
    if (menu.open && !menu.contains(event.target)) close();
  });
}

/** Seconds a viewer has to choose to stay before a raid takes them along. */
const RAID_DELAY_SECONDS = 5;

/** Shows the raid above the player and goes to the target unless the viewer stays. */
function followRaid(player, raid) {
  // The streamer stays on their own page; a second raid replaces the first banner.
  if (document.querySelector('article.channel[data-owner]')) return;
  if (typeof raid.to_username !== 'string' || !/^[A-Za-z0-9_.]+$/.test(raid.to_username)) return;
  document.querySelector('[data-raid-banner]')?.remove();
  const target = `/${raid.to_username}`;
  const banner = document.createElement('div');
  banner.className = 'raid-banner';
  banner.dataset.raidBanner = '';
  banner.setAttribute('role', 'status');
  const text = document.createElement('p');
  const go = document.createElement('a');
  go.href = target;
  go.className = 'button';
  go.textContent = t('js-raid-go-now', { name: raid.to_display_name });
  const stay = document.createElement('button');
  stay.type = 'button';
  stay.className = 'button secondary';
  stay.textContent = t('js-raid-stay');
  stay.dataset.testid = 'raid-stay';
  banner.append(text, go, stay);
  player.before(banner);
  let left = RAID_DELAY_SECONDS;
  const tell = () => {
    text.textContent = t('js-raid-countdown', { from: raid.from_display_name, to: raid.to_display_name, seconds: formatNumber(left) });
  };
  tell();
  const timer = setInterval(() => {
    left -= 1;
    if (left > 0) return tell();
    clearInterval(timer);
    window.location.assign(target);
  }, 1000);
  stay.addEventListener('click', () => {
    clearInterval(timer);
    text.textContent = t('js-raid-stayed', { from: raid.from_display_name, to: raid.to_display_name });
    stay.remove();
    go.textContent = t('js-raid-go', { name: raid.to_display_name });
  });
}
