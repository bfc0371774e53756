// The channel page's ways of watching: theatre mode (the player as wide as the window, chat
// beside it; remembered in localStorage), keyboard shortcuts (space, m, f, t, and ? for their
// list) that never fire while typing, and the shortcuts' help dialog (Esc closes it).

import { t } from './i18n.js';

const THEATRE_KEY = 'shimmer.channel.theatre';

const SHORTCUTS = [
  [t('js-key-space'), t('js-shortcut-play')],
  ['M', t('js-shortcut-mute')],
  ['F', t('js-player-full-screen')],
  ['T', t('js-theatre')],
  ['?', t('js-shortcut-help')],
  ['Esc', t('js-shortcut-close')],
];

const THEATRE_ICON =
  '<svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="2" ' +
  'stroke-linecap="round" stroke-linejoin="round"><rect x="2" y="6" width="20" height="12" rx="1"/></svg>';

function readTheatre() {
  try {
    return window.localStorage.getItem(THEATRE_KEY) === 'on';
  } catch {
    return false;
  }
}

function writeTheatre(on) {
  try {
    window.localStorage.setItem(THEATRE_KEY, on ? 'on' : 'off');
  } catch {
    // Storage unavailable: theatre mode lasts for this page only.
  }
}

/** Whether a key press belongs to something being typed or a control that uses the key. */
function typing(event) {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return false;
  if (target.closest('input, textarea, select, [contenteditable]:not([contenteditable="false"])')) return true;
  // Space presses a focused button, link or disclosure; it must not also pause the stream.
  return event.key === ' ' && Boolean(target.closest('button, a[href], summary, [role="button"]'));
}

function helpDialog() {
  const dialog = document.createElement('dialog');
  dialog.className = 'shortcuts-dialog';
  dialog.dataset.testid = 'shortcuts-help';
  dialog.setAttribute('aria-labelledby', 'shortcuts-title');
  const title = document.createElement('h2');
  title.id = 'shortcuts-title';
  title.textContent = t('js-shortcuts');
  const list = document.createElement('dl');
  for (const [key, what] of SHORTCUTS) {
    const term = document.createElement('dt');
    const kbd = document.createElement('kbd');
    kbd.textContent = key;
    term.append(kbd);
    const description = document.createElement('dd');
    description.textContent = what;
    list.append(term, description);
  }
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'button secondary';
  close.textContent = t('js-chat-close');
  close.addEventListener('click', () => dialog.close());
  dialog.append(title, list, close);
  document.body.append(dialog);
  return dialog;
}

/**
 * Adds theatre mode and the keyboard shortcuts to a mounted player (`mountPlayer`'s answer)
 * inside `layout` (the element holding the player and the chat).
 */
export function mountViewing(player, layout) {
  const theatreButton = document.createElement('button');
  theatreButton.type = 'button';
  theatreButton.className = 'player-btn player-theatre';
  theatreButton.setAttribute('aria-label', t('js-theatre'));
  theatreButton.dataset.testid = 'player-theatre';
  theatreButton.innerHTML = THEATRE_ICON;
  player.controls.insertBefore(theatreButton, player.fullscreenButton);

  const setTheatre = (on) => {
    layout.classList.toggle('theatre', on);
    layout.dataset.theatre = on ? 'on' : 'off';
    theatreButton.setAttribute('aria-pressed', String(on));
  };
  const toggleTheatre = () => {
    const on = !layout.classList.contains('theatre');
    setTheatre(on);
    writeTheatre(on);
  };
  setTheatre(readTheatre());
  theatreButton.addEventListener('click', toggleTheatre);

  let dialog = null;
  const showHelp = () => {
    dialog ??= helpDialog();
    if (!dialog.open) dialog.showModal();
  };
  const links = document.querySelector('.channel-links');
  if (links) {
    const helpButton = document.createElement('button');
    helpButton.type = 'button';
    helpButton.className = 'link-button';
    helpButton.textContent = t('js-shortcuts');
    helpButton.dataset.testid = 'shortcuts-button';
    helpButton.addEventListener('click', showHelp);
    links.append(' · ', helpButton);
  }

  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (dialog?.open || typing(event)) return;
    switch (event.key) {
      case ' ':
        player.togglePlay();
        break;
      case 'm':
      case 'M':
        player.toggleMute();
        break;
      case 'f':
      case 'F':
        player.toggleFullscreen();
        break;
      case 't':
      case 'T':
        toggleTheatre();
        break;
      case '?':
        showHelp();
        break;
      default:
        return;
    }
    event.preventDefault();
  });
}
