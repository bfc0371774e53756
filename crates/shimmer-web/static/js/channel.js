// The channel page: mounts the chat and the player, and keeps the live and offline badges in step
// with the player. The chat is loaded separately so that nothing in it (a failed download, an error
// while mounting) can stop the player.
import { mountPlayer } from './player.js';

// The chat starts first (its download is asynchronous), so a player fault cannot stop it either.
const chat = document.querySelector('[data-chat]');
if (chat) {
  import('./chat.js')
    .then(({ mountChat }) => mountChat(chat))
    .catch((error) => {
      const notice = chat.querySelector('[data-chat-notice]');
      if (notice) {
        notice.textContent = 'Chat could not load. Reload the page to try again.';
        notice.hidden = false;
      }
      console.warn('chat:', error);
    });
}

const player = document.querySelector('.player[data-whep]');
if (player) {
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
      viewerCount.textContent = String(viewers);
    }
    const wrapper = viewerCount.closest('[data-live-only]');
    if (wrapper && type === 'status') wrapper.hidden = !live;
    if (wrapper && type === 'stream_started') wrapper.hidden = false;
    if (wrapper && type === 'stream_ended') wrapper.hidden = true;
  });
  mountPlayer(player);
}
