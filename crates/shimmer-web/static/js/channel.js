// The channel page: mounts the player and keeps the live and offline badges in step with it.
import { mountPlayer } from './player.js';

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
