// The pop-out chat (`/<username>/chat`): the chat panel alone, for a second window, an OBS dock
// or, with `?transparent=1`, an overlay.
import { mountChat } from './chat.js';

const chat = document.querySelector('[data-chat]');
if (chat) mountChat(chat);
