// The channel page: mounts the chat and the player (with theatre mode and keyboard shortcuts),
// keeps the live and offline badges in step with the player, and takes viewers along when the
// streamer raids another channel. The chat is loaded separately so that nothing in it (a failed download, an error
// while mounting) can stop the player.
import { formatNumber, t } from './i18n.js';
import { mountPlayer } from './player.js';
import { mountViewing } from './viewing.js';

// The chat starts first (its download is asynchronous), so a player fault cannot stop it either.
const chat = document.querySelector('[data-chat]');
if (chat) {
  import('./chat.js')
    .then(({ mountChat }) => mountChat(chat))
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
  mountViewing(mountPlayer(player), layout);
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
