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
  player.addEventListener('shimmer:state', (event) => {
    const offline = event.detail.state === 'offline';
    if (liveBadge) liveBadge.hidden = offline;
    if (offlineBadge) offlineBadge.hidden = !offline;
  });
  mountPlayer(player);
}
