// The channel page: mounts the player and keeps the live badge in step with the stream.
import { mountPlayer } from './player.js';

const player = document.querySelector('.player[data-whep]');
if (player) {
  mountPlayer(player);
}
