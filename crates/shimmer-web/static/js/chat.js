// Live chat: connects a [data-chat] panel to its WebSocket and renders the channel's messages.
//
// Messages arrive as typed tokens (text, link, emote) and are built with DOM APIs only: message
// data is never parsed as HTML. Everything is guarded, so a chat failure shows in the chat's
// notice and never reaches the rest of the page (the player keeps playing).
import { formatClock, formatNumber, lang, t } from './i18n.js';

const MAX_MESSAGES = 300;
const STICK_THRESHOLD_PX = 32;
const KEEPALIVE_MS = 25_000;
const SEND_TIMEOUT_MS = 5_000;
const BACKOFF_START_MS = 1_000;
const BACKOFF_MAX_MS = 15_000;
// The server's close code when it goes down for a restart (WebSocket 1012, Service Restart).
const CLOSE_RESTARTING = 1012;
// The server's close code and reason when staff banned the account from the platform: the
// chat stays closed (reconnecting would only come back signed out).
const CLOSE_POLICY = 1008;
const BANNED_REASON = 'account banned';
const TIMESTAMPS_KEY = 'shimmer.chat.timestamps';
// People offered when typing @: the most recent chatters, newest first.
const RECENT_CHATTERS = 50;
const MENTION_SUGGESTIONS = 6;
const HEX_COLOR = /^#[0-9a-f]{6}$/i;

const BADGES = {
  streamer: { label: t('js-badge-streamer'), title: t('js-badge-streamer-title') },
  moderator: { label: t('js-badge-moderator'), title: t('js-badge-moderator-title') },
  subscriber: { label: t('js-badge-subscriber'), title: t('js-badge-subscriber-title') },
  staff: { label: t('js-badge-staff'), title: t('js-badge-staff-title') },
  platform_founder: { label: t('js-badge-founder'), title: t('js-badge-founder-title') },
  platform_supporter: { label: t('js-badge-supporter'), title: t('js-badge-supporter-title') },
};

const ACTIONS = [
  { action: 'short_timeout', permission: 'short_timeout', label: t('js-chat-action-short-timeout') },
  { action: 'long_timeout', permission: 'long_timeout', label: t('js-chat-action-long-timeout') },
  { action: 'ban', permission: 'ban', label: t('js-chat-action-ban') },
  { action: 'unban', permission: 'unban', label: t('js-chat-action-unban') },
];

/** What a moderator is told once an action on `name` took effect. */
const DONE = {
  short_timeout: 'js-chat-done-short-timeout',
  long_timeout: 'js-chat-done-long-timeout',
  ban: 'js-chat-done-ban',
  unban: 'js-chat-done-unban',
  delete_message: 'js-chat-done-delete',
};

/** A step of a chatter's moderation history, as the chatter card lists it. */
const HISTORY = {
  short_timeout: 'js-card-history-short-timeout',
  long_timeout: 'js-card-history-long-timeout',
  ban: 'js-card-history-ban',
  unban: 'js-card-history-unban',
  delete_message: 'js-card-history-delete',
};

/** The message `key` in the plural form `count` takes in the page's language. */
function plural(key, count, args = {}) {
  const form = new Intl.PluralRules(lang).select(count);
  const text = t(`${key}-${form}`, { ...args, count: formatNumber(count) });
  return text === `${key}-${form}` ? t(`${key}-other`, { ...args, count: formatNumber(count) }) : text;
}

/** "12 Mar 2024" (with the time when `withTime`), as the page's language writes dates. */
function longDate(ms, withTime = false) {
  const options = { year: 'numeric', month: 'short', day: 'numeric' };
  if (withTime) Object.assign(options, { hour: '2-digit', minute: '2-digit' });
  return new Date(ms).toLocaleString(lang, options);
}

/** "today", "5 days ago", "3 months ago", "2 years ago", in the page's language. */
function age(ms) {
  const days = Math.floor((Date.now() - ms) / 86_400_000);
  const relative = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  if (days < 60) return relative.format(-days, 'day');
  if (days < 730) return relative.format(-Math.floor(days / 30), 'month');
  return relative.format(-Math.floor(days / 365), 'year');
}

function readPreference(key) {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writePreference(key, value) {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Storage unavailable (private mode, blocked): the preference lasts for this page only.
  }
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** "4:05" or "1:02:03": what is left of a wait. */
function remaining(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** "30 seconds", "5 minutes", "2 hours": a timeout's length, rounded, in the page's language. */
function durationWords(ms) {
  const seconds = Math.max(1, Math.round(ms / 1000));
  const say = (value, unit) =>
    new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
  if (seconds < 90) return say(seconds, 'second');
  if (seconds < 90 * 60) return say(Math.round(seconds / 60), 'minute');
  if (seconds < 36 * 3600) return say(Math.round(seconds / 3600), 'hour');
  return say(Math.round(seconds / 86400), 'day');
}

/** Whether a message's text mentions @username (not as part of a longer name). */
export function mentions(tokens, username) {
  if (!username) return false;
  const escaped = username.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(^|[^\\w@])@${escaped}(?![\\w])`, 'i');
  return (Array.isArray(tokens) ? tokens : []).some((token) => token && token.type === 'text'
    && typeof token.text === 'string' && pattern.test(token.text));
}

function clockTime(ms) {
  return formatClock(ms);
}

/**
 * A system line's words in the page's language: follows and raids from their facts (the
 * server's English `text` is for other clients), anything else as the server wrote it.
 */
function systemText(line) {
  const name = line.user && typeof line.user.display_name === 'string' ? line.user.display_name : null;
  if (line.kind === 'follow' && name) return t('js-chat-followed', { name });
  const raid = line.raid;
  if (line.kind === 'raid' && raid && typeof raid.from === 'string' && Number.isInteger(raid.viewers)) {
    return raid.outgoing
      ? plural('js-chat-raid-outgoing', raid.viewers, { from: raid.from, to: String(raid.to ?? '') })
      : plural('js-chat-raid-incoming', raid.viewers, { from: raid.from });
  }
  return String(line.text ?? '');
}

/** The refusal when too many chatter cards were asked for at once: its words are shown as they are. */
class TooManyCards extends Error {}

/** A link's URL if it is safe to make clickable (http or https only), else null. */
function safeUrl(url) {
  if (typeof url !== 'string') return null;
  if (!/^https?:\/\//i.test(url)) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Builds the body of a message from its tokens. */
export function renderTokens(tokens) {
  const body = el('span', 'chat-body');
  for (const token of Array.isArray(tokens) ? tokens : []) {
    if (!token || typeof token !== 'object') continue;
    const text = typeof token.text === 'string' ? token.text : '';
    if (token.type === 'link') {
      const href = token.clickable ? safeUrl(token.url) : null;
      if (href) {
        const link = el('a', 'chat-link', text);
        link.href = href;
        link.rel = 'ugc nofollow noopener';
        link.target = '_blank';
        body.append(link);
      } else {
        body.append(document.createTextNode(text));
      }
    } else if (token.type === 'emote' && typeof token.src === 'string' && token.src.startsWith('/')) {
      const image = el('img', 'chat-emote');
      image.alt = text;
      image.title = text;
      image.src = token.src;
      image.loading = 'lazy';
      image.decoding = 'async';
      body.append(image);
    } else {
      body.append(document.createTextNode(text));
    }
  }
  return body;
}

/** Mounts the chat on a [data-chat] element. Never throws; failures show in the chat's notice. */
export function mountChat(root, { WebSocketImpl = window.WebSocket } = {}) {
  let chat;
  try {
    chat = new Chat(root, WebSocketImpl);
    chat.start();
  } catch (error) {
    showFailure(root, error);
  }
  return chat;
}

function showFailure(root, error) {
  try {
    const notice = root?.querySelector?.('[data-chat-notice]');
    if (notice) {
      notice.textContent = t('js-chat-start-failed');
      notice.hidden = false;
    }
    console.warn('chat:', error);
  } catch {
    // nothing else to do
  }
}

class Chat {
  constructor(root, WebSocketImpl) {
    this.root = root;
    this.WebSocketImpl = WebSocketImpl;
    this.log = root.querySelector('[data-chat-log]');
    this.jump = root.querySelector('[data-chat-jump]');
    this.notice = root.querySelector('[data-chat-notice]');
    this.form = root.querySelector('[data-chat-form]');
    this.input = root.querySelector('[data-chat-input]');
    this.sendButton = root.querySelector('[data-chat-send]');
    if (!this.log) throw new Error('the chat has no [data-chat-log]');
    this.socketPath = root.dataset.socket || `/chat/${root.dataset.channelId}/socket`;
    this.messages = new Map(); // id -> element
    this.me = null;
    this.permissions = {};
    this.canSend = false;
    this.stuck = true;
    this.socket = null;
    this.attempt = 0;
    this.reconnectTimer = 0;
    this.keepaliveTimer = 0;
    this.pendingSend = null; // { text, earlierPings, timer, refused }
    this.pingsInFlight = 0;
    this.pendingAction = null; // { action, name }
    this.banned = new Set(); // user ids this page saw banned (and not unbanned since)
    this.connectionText = '';
    this.personalText = '';
    this.personalTimer = 0;
    this.menu = null;
    this.closed = false;
    this.colors = new Map(); // palette key -> CSS colour for both themes
    this.chatters = new Map(); // lower-case username -> username, oldest first
    this.replyTo = null; // { id, name, excerpt }
    this.suggestions = null; // { list, items, active, start }
  }

  start() {
    this.buildChrome();
    this.listen();
    this.connect();
  }

  // ----- page structure ------------------------------------------------------------------

  buildChrome() {
    const header = el('div', 'chat-header');
    const title = el('h2', 'chat-title', t('js-chat-title'));
    const toggle = el('button', 'chat-toggle', t('js-chat-timestamps'));
    toggle.type = 'button';
    toggle.dataset.chatTimestamps = '';
    this.timestampsToggle = toggle;
    header.append(title, toggle);
    this.root.prepend(header);
    // The saved preference (a cookie, set by the preferences page) wins; else this browser's.
    const saved = this.root.dataset.timestamps;
    this.setTimestamps(saved ? saved === 'on' : readPreference(TIMESTAMPS_KEY) === '1', false);

    this.refusal = el('p', 'chat-refusal');
    this.refusal.setAttribute('role', 'alert');
    this.refusal.dataset.chatRefusal = '';
    this.refusal.hidden = true;
    const anchor = this.form ?? this.root.querySelector('.chat-login');
    if (anchor) anchor.before(this.refusal);
    else this.root.append(this.refusal);

    // The channel's rules, shown before the first message, and what keeps me out right now.
    this.rules = el('ul', 'chat-rules');
    this.rules.dataset.chatRules = '';
    this.rules.setAttribute('aria-label', t('js-chat-rules'));
    this.rules.hidden = true;
    this.gateNote = el('p', 'chat-gate');
    this.gateNote.dataset.chatGate = '';
    this.gateNote.hidden = true;
    this.refusal.before(this.rules, this.gateNote);
    this.blocked = null; // { message, until }

    // The message being answered, above the input, and the @mention suggestions.
    this.replyBar = el('div', 'chat-replying');
    this.replyBar.dataset.chatReplying = '';
    this.replyBar.hidden = true;
    this.replyText = el('span', 'chat-replying-text');
    const cancelReply = el('button', 'chat-replying-cancel', t('js-chat-cancel-reply'));
    cancelReply.type = 'button';
    cancelReply.addEventListener('click', this.guard(() => {
      this.setReply(null);
      this.input?.focus();
    }));
    this.replyBar.append(this.replyText, cancelReply);
    this.mentionList = el('ul', 'chat-mentions');
    this.mentionList.id = `chat-mentions-${Math.random().toString(36).slice(2)}`;
    this.mentionList.setAttribute('role', 'listbox');
    this.mentionList.setAttribute('aria-label', t('js-chat-mention-list'));
    this.mentionList.dataset.chatMentions = '';
    this.mentionList.hidden = true;
    if (this.form) this.form.before(this.replyBar, this.mentionList);

    this.menuSlot = el('div', 'chat-menu-slot');
    this.menuSlot.hidden = true;
    (this.notice ?? this.refusal).before(this.menuSlot);

    // When the log shrinks or grows (a menu or notice opens, the window resizes), a reader at
    // the bottom stays at the bottom.
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver(this.guard(() => {
        if (this.stuck) this.log.scrollTop = this.log.scrollHeight;
      })).observe(this.log);
    }
    this.log.tabIndex = 0;
    this.root.classList.add('chat-mounted');
  }

  setTimestamps(on, remember = true) {
    this.root.classList.toggle('chat-show-times', on);
    this.timestampsToggle.setAttribute('aria-pressed', String(on));
    this.timestampsToggle.title = on ? t('js-chat-hide-times') : t('js-chat-show-times');
    if (remember) {
      writePreference(TIMESTAMPS_KEY, on ? '1' : '0');
      document.cookie = `shimmer_chat_timestamps=${on ? 'on' : 'off'}; path=/; max-age=31536000; samesite=lax`;
    }
  }

  guard(fn) {
    return (...args) => {
      try {
        return fn.apply(this, args);
      } catch (error) {
        this.fail(error);
        return undefined;
      }
    };
  }

  fail(error) {
    this.connectionText = t('js-chat-failed');
    this.renderNotice();
    console.warn('chat:', error);
  }

  listen() {
    this.timestampsToggle.addEventListener('click', this.guard(() => {
      this.setTimestamps(!this.root.classList.contains('chat-show-times'));
    }));
    this.log.addEventListener('scroll', this.guard(() => {
      this.stuck = this.atBottom();
      if (this.stuck && this.jump) this.jump.hidden = true;
    }), { passive: true });
    this.jump?.addEventListener('click', this.guard(() => {
      this.scrollToBottom();
      this.log.focus({ preventScroll: true });
    }));
    this.log.addEventListener('click', this.guard((event) => this.onLogClick(event)));
    this.root.addEventListener('keydown', this.guard((event) => {
      if (event.key === 'Escape' && this.menu) {
        event.preventDefault();
        this.closeMenu(true);
      }
    }));
    if (this.form && this.input) {
      this.form.addEventListener('submit', this.guard((event) => {
        event.preventDefault();
        this.submit();
      }));
      this.input.addEventListener('input', this.guard(() => {
        if (!this.refusal.hidden && !this.pendingSend) this.clearRefusal();
        this.suggestMentions();
      }));
      this.input.addEventListener('keydown', this.guard((event) => this.onInputKey(event)));
      this.input.addEventListener('blur', this.guard(() => {
        // Let a click on a suggestion land first.
        setTimeout(this.guard(() => this.closeSuggestions()), 150);
      }));
      this.input.setAttribute('aria-autocomplete', 'list');
      this.input.setAttribute('aria-controls', this.mentionList.id);
    }
    window.addEventListener('pagehide', () => {
      this.closed = true;
      try {
        this.socket?.close(1000);
      } catch {
        // closing anyway
      }
    });
  }

  // ----- connection ----------------------------------------------------------------------

  connect() {
    clearTimeout(this.reconnectTimer);
    if (this.closed) return;
    const url = new URL(this.socketPath, window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    let socket;
    try {
      socket = new this.WebSocketImpl(url.href);
    } catch (error) {
      this.scheduleReconnect();
      console.warn('chat: could not open the socket', error);
      return;
    }
    this.socket = socket;
    if (this.attempt === 0 && this.messages.size === 0) {
      this.root.dataset.chatState = 'connecting';
      this.connectionText = t('js-chat-connecting');
      this.renderNotice();
    }
    socket.addEventListener('message', this.guard((event) => {
      if (socket !== this.socket) return;
      this.onFrame(event.data);
    }));
    socket.addEventListener('close', this.guard((event) => {
      if (socket !== this.socket) return;
      this.socket = null;
      clearInterval(this.keepaliveTimer);
      this.releaseSend();
      if (this.closed) return;
      if (event && event.code === CLOSE_POLICY && event.reason === BANNED_REASON) {
        this.closed = true;
        this.setInputEnabled(false);
        this.root.dataset.chatState = 'banned';
        this.connectionText = t('js-chat-account-banned');
        this.renderNotice();
      } else if (event && event.code === CLOSE_RESTARTING) {
        // The server is restarting: say so, and reconnect from a short first delay.
        this.attempt = 0;
        this.scheduleReconnect(t('js-chat-restarting'));
      } else {
        this.scheduleReconnect();
      }
    }));
    // 'error' is always followed by 'close'; listening keeps it from being reported as uncaught.
    socket.addEventListener('error', () => {});
  }

  scheduleReconnect(notice = t('js-chat-reconnecting')) {
    if (this.closed) return;
    this.setInputEnabled(false);
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** this.attempt);
    const delay = base / 2 + Math.random() * (base / 2);
    this.attempt += 1;
    this.root.dataset.chatState = 'reconnecting';
    this.connectionText = notice;
    this.renderNotice();
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  send(frame) {
    if (!this.socket || this.socket.readyState !== 1) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  // ----- frames from the server ----------------------------------------------------------

  onFrame(data) {
    if (typeof data !== 'string') return;
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (!frame || typeof frame !== 'object') return;
    if (frame.type === 'batch') {
      this.onBatch(Array.isArray(frame.frames) ? frame.frames : []);
      return;
    }
    this.handleFrame(frame);
  }

  // A busy room's frames of one tick, in order: runs of messages are added together (one
  // layout pass), everything else as if it had come alone.
  onBatch(frames) {
    let messages = [];
    for (const frame of frames) {
      if (!frame || typeof frame !== 'object') continue;
      if (frame.type === 'message') {
        if (frame.message) messages.push(frame.message);
        continue;
      }
      if (messages.length) this.addMessages(messages);
      messages = [];
      this.handleFrame(frame);
    }
    if (messages.length) this.addMessages(messages);
  }

  handleFrame(frame) {
    switch (frame.type) {
      case 'welcome':
        return this.onWelcome(frame);
      case 'history':
        return this.onHistory(Array.isArray(frame.messages) ? frame.messages : [],
          Array.isArray(frame.system) ? frame.system : []);
      case 'message':
        if (frame.message) this.addMessages([frame.message]);
        return undefined;
      case 'system':
        return this.onSystem(frame);
      case 'hidden':
        return this.removeMessages(Array.isArray(frame.message_ids) ? frame.message_ids : []);
      case 'moderation':
        return this.onModeration(frame);
      case 'gate':
        this.renderRules(Array.isArray(frame.rules) ? frame.rules : []);
        return this.block(frame.blocked && typeof frame.blocked.message === 'string' ? frame.blocked : null);
      case 'refused':
        return this.onRefused(frame);
      case 'error':
        // Keeps the message being sent in the input, as a refusal does.
        return this.onRefused({ message: frame.message ?? t('js-chat-trouble') });
      case 'pong':
        return this.onPong();
      case 'lagged':
        return this.showStatus(t('js-chat-lagged'));
      case 'support':
        return this.onSupport(frame);
      default:
        return undefined;
    }
  }

  onWelcome(frame) {
    this.attempt = 0;
    this.me = frame.user && typeof frame.user.id === 'number' ? frame.user : null;
    this.permissions = frame.permissions && typeof frame.permissions === 'object' ? frame.permissions : {};
    this.canSend = Boolean(frame.can_send) && Boolean(this.me);
    this.root.classList.toggle('chat-can-delete', Boolean(this.permissions.delete));
    if (this.input && Number.isInteger(frame.max_chars) && frame.max_chars > 0) {
      this.input.maxLength = frame.max_chars;
    }
    this.connectionText = '';
    this.applyRestriction(frame.restriction);
    this.renderNotice();
    this.renderRules(Array.isArray(frame.rules) ? frame.rules : []);
    this.block(frame.blocked && typeof frame.blocked.message === 'string' ? frame.blocked : null);
    this.renderPicker(Array.isArray(frame.emotes) ? frame.emotes : []);
    this.colors = new Map();
    for (const color of Array.isArray(frame.colors) ? frame.colors : []) {
      if (color && typeof color.key === 'string' && HEX_COLOR.test(color.light) && HEX_COLOR.test(color.dark)) {
        this.colors.set(color.key, `light-dark(${color.light}, ${color.dark})`);
      }
    }
    // Controls depend on the permissions, which may have changed since the last connection.
    for (const [, node] of this.messages) {
      if (node.chatMessage) this.decorate(node, node.chatMessage);
    }
    clearInterval(this.keepaliveTimer);
    this.pingsInFlight = 0;
    this.keepaliveTimer = setInterval(() => {
      if (!this.pendingSend) this.ping();
    }, KEEPALIVE_MS);
  }

  // A ban or timeout already in force when the chat opens.
  applyRestriction(restriction) {
    if (!restriction || !this.me) return;
    clearTimeout(this.personalTimer);
    if (restriction.banned) {
      this.personalText = t('js-chat-banned');
    } else if (Number.isFinite(restriction.expires_at)) {
      this.personalText = t('js-chat-timed-out-until', { time: clockTime(restriction.expires_at) });
      const wait = Math.max(0, restriction.expires_at - Date.now()) + 500;
      this.personalTimer = setTimeout(this.guard(() => {
        this.personalText = t('js-chat-timeout-over');
        this.renderNotice();
      }), Math.min(wait, 2 ** 31 - 1));
    }
  }

  // The emote picker: the platform's emotes first, then the channel's (the server's order).
  renderPicker(emotes) {
    this.picker?.remove();
    this.pickerToggle?.remove();
    this.picker = null;
    this.pickerToggle = null;
    const usable = emotes.filter((emote) => emote && typeof emote.name === 'string'
      && typeof emote.src === 'string' && emote.src.startsWith('/emotes/'));
    if (!this.form || !this.input || usable.length === 0) return;
    const toggle = el('button', 'chat-emote-toggle', t('js-chat-emotes'));
    toggle.type = 'button';
    toggle.dataset.chatEmotes = '';
    toggle.setAttribute('aria-expanded', 'false');
    const picker = el('div', 'chat-emote-picker');
    picker.hidden = true;
    picker.dataset.chatPicker = '';
    picker.setAttribute('role', 'group');
    picker.setAttribute('aria-label', t('js-chat-emotes'));
    for (const emote of usable) {
      const button = el('button', 'chat-emote-choice');
      button.type = 'button';
      button.title = emote.name;
      button.dataset.emote = emote.name;
      button.setAttribute('aria-label', emote.name);
      const image = el('img');
      image.src = emote.src;
      image.alt = emote.name;
      image.width = 32;
      image.height = 32;
      button.append(image);
      button.addEventListener('click', this.guard(() => this.insertEmote(emote.name)));
      picker.append(button);
    }
    toggle.addEventListener('click', this.guard(() => {
      picker.hidden = !picker.hidden;
      toggle.setAttribute('aria-expanded', String(!picker.hidden));
    }));
    picker.addEventListener('keydown', this.guard((event) => {
      if (event.key === 'Escape') {
        picker.hidden = true;
        toggle.setAttribute('aria-expanded', 'false');
        toggle.focus();
      }
    }));
    this.form.before(picker);
    this.input.after(toggle);
    this.picker = picker;
    this.pickerToggle = toggle;
  }

  insertEmote(name) {
    const input = this.input;
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? input.value.length;
    const before = input.value.slice(0, start);
    const spaceBefore = before && !before.endsWith(' ') ? ' ' : '';
    const insert = `${spaceBefore}${name} `;
    if (input.value.length - (end - start) + insert.length > input.maxLength && input.maxLength > 0) return;
    input.setRangeText(insert, start, end, 'end');
    input.focus();
  }

  onHistory(history, system) {
    const valid = history.filter((message) => message && Number.isInteger(message.id));
    const lines = system.filter((line) => line && Number.isInteger(line.id));
    for (const line of lines) valid.push({ id: line.id, system: line });
    if (valid.length > 0) {
      // After a reconnect, messages hidden while we were away are missing from the history.
      const ids = new Set(valid.map((message) => message.id));
      const oldest = Math.min(...ids);
      const gone = [...this.messages.keys()].filter((id) => id >= oldest && !ids.has(id));
      this.removeMessages(gone);
    }
    this.addMessages(valid);
    // Ready once the history is shown (tests and styles can rely on it).
    this.root.dataset.chatState = 'open';
  }

  onModeration(frame) {
    const target = frame.target_user_id;
    if (Number.isInteger(target)) {
      if (frame.action === 'ban') this.banned.add(target);
      if (frame.action === 'unban') this.banned.delete(target);
    }
    const pending = this.pendingAction;
    if (pending && pending.userId === target && pending.action === frame.action) {
      this.pendingAction = null;
      this.showStatus(t(DONE[frame.action] ?? 'js-chat-done-other', { name: pending.name }));
    }
    if (!this.me || target !== this.me.id) return;
    clearTimeout(this.personalTimer);
    switch (frame.action) {
      case 'short_timeout':
      case 'long_timeout': {
        const timed = Number.isFinite(frame.expires_at);
        const words = timed
          ? { length: durationWords(frame.expires_at - Date.now()), time: clockTime(frame.expires_at) }
          : {};
        this.personalText = timed ? t('js-chat-you-were-timed-out-for', words) : t('js-chat-you-were-timed-out');
        this.block({
          code: 'timed_out',
          message: timed ? t('js-chat-you-are-timed-out-for', words) : t('js-chat-you-are-timed-out'),
          until: Number.isFinite(frame.expires_at) ? frame.expires_at : undefined,
        });
        if (Number.isFinite(frame.expires_at)) {
          const wait = Math.max(0, frame.expires_at - Date.now()) + 500;
          this.personalTimer = setTimeout(() => {
            this.personalText = t('js-chat-timeout-over');
            this.renderNotice();
          }, Math.min(wait, 2 ** 31 - 1));
        }
        break;
      }
      case 'ban':
        this.personalText = t('js-chat-banned');
        this.block({ message: t('js-chat-banned') });
        break;
      case 'unban':
        this.personalText = t('js-chat-unbanned');
        this.clearRefusal();
        this.block(null);
        break;
      case 'delete_message':
        this.personalText = t('js-chat-message-deleted');
        break;
      default:
        return;
    }
    this.renderNotice();
  }

  onRefused(frame) {
    const message = String(frame.message ?? t('js-chat-refused'));
    if (this.pendingSend) this.pendingSend.refused = true;
    else if (this.pendingAction) this.pendingAction = null;
    this.showRefusal(message);
  }

  ping() {
    if (this.send({ type: 'ping' })) this.pingsInFlight += 1;
  }

  onPong() {
    this.pingsInFlight = Math.max(0, this.pingsInFlight - 1);
    const pending = this.pendingSend;
    if (!pending) return;
    if (pending.earlierPings > 0) {
      // The answer to a keepalive sent before this message.
      pending.earlierPings -= 1;
      return;
    }
    this.releaseSend();
    // Accepted: clear the input unless the chatter already typed something else.
    if (!pending.refused && this.input && this.input.value === pending.text) {
      this.input.value = '';
      this.setReply(null);
    }
  }

  releaseSend() {
    if (!this.pendingSend) return;
    clearTimeout(this.pendingSend.timer);
    this.pendingSend = null;
    if (this.sendButton) this.sendButton.disabled = !this.canSend || !this.socket || Boolean(this.blocked);
  }

  // ----- sending -------------------------------------------------------------------------

  submit() {
    if (!this.input || this.pendingSend) return;
    const text = this.input.value;
    if (text.trim() === '') {
      this.showRefusal(t('js-chat-type-first'));
      return;
    }
    if (!this.canSend) {
      this.showRefusal(this.me ? t('js-chat-cannot-chat-here') : t('js-chat-log-in'));
      return;
    }
    const frame = { type: 'send', text };
    if (this.replyTo && !text.trimStart().startsWith('/')) frame.reply_to = this.replyTo.id;
    this.closeSuggestions();
    if (!this.send(frame)) {
      this.showRefusal(t('js-chat-not-connected-kept'));
      return;
    }
    // The server handles one frame at a time: a refusal for this message arrives before the
    // pong for the ping sent right after it.
    const earlierPings = this.pingsInFlight;
    this.ping();
    this.clearRefusal();
    this.pendingSend = {
      text,
      earlierPings,
      refused: false,
      timer: setTimeout(() => this.releaseSend(), SEND_TIMEOUT_MS),
    };
    if (this.sendButton) this.sendButton.disabled = true;
    this.stuck = true;
    this.scrollToBottom();
  }

  setInputEnabled(enabled) {
    if (this.input) this.input.disabled = !enabled;
    if (this.sendButton) this.sendButton.disabled = !enabled || Boolean(this.pendingSend);
  }

  /** The channel's rules as a short list above the input (hidden when it has none). */
  renderRules(rules) {
    this.rules.replaceChildren(...rules.filter((rule) => typeof rule === 'string').map((rule) => el('li', '', rule)));
    this.rules.hidden = this.rules.childElementCount === 0;
  }

  /**
   * Keeps the input closed while something keeps me from chatting (a ban, a timeout, a rule I
   * do not meet yet), with the reason (which says how long); opens it again when that ends by
   * itself.
   */
  block(blocked) {
    clearTimeout(this.blockTimer);
    clearInterval(this.countdownTimer);
    this.blocked = blocked;
    if (blocked) {
      this.gateNote.replaceChildren(document.createTextNode(blocked.message));
      this.gateNote.hidden = false;
      this.gateNote.dataset.code = typeof blocked.code === 'string' ? blocked.code : '';
      if (this.input) this.input.placeholder = t('js-chat-cannot-chat-now');
      if (Number.isFinite(blocked.until)) {
        // A live countdown of what is left, next to the reason.
        const countdown = el('span', 'chat-countdown');
        countdown.dataset.chatCountdown = '';
        countdown.setAttribute('role', 'timer');
        const tick = () => {
          const left = blocked.until - Date.now();
          countdown.textContent = ` ${t('js-chat-again-in', { time: remaining(left) })}`;
          if (this.input) this.input.placeholder = t('js-chat-again-in-short', { time: remaining(left) });
        };
        tick();
        this.gateNote.append(countdown);
        this.countdownTimer = setInterval(this.guard(tick), 1000);
        const wait = Math.max(0, blocked.until - Date.now()) + 500;
        this.blockTimer = setTimeout(this.guard(() => this.block(null)), Math.min(wait, 2 ** 31 - 1));
      }
    } else {
      this.gateNote.textContent = '';
      this.gateNote.hidden = true;
      delete this.gateNote.dataset.code;
      if (this.input) this.input.placeholder = t('js-chat-placeholder');
    }
    this.setInputEnabled(this.canSend && !blocked);
  }

  // ----- notices -------------------------------------------------------------------------

  renderNotice() {
    if (!this.notice) return;
    const text = [this.connectionText, this.personalText, this.statusText].filter(Boolean).join(' ');
    this.notice.textContent = text;
    this.notice.hidden = text === '';
  }

  showStatus(text) {
    clearTimeout(this.statusTimer);
    this.statusText = text;
    this.renderNotice();
    this.statusTimer = setTimeout(() => {
      this.statusText = '';
      this.renderNotice();
    }, 6_000);
  }

  showRefusal(message) {
    this.refusal.textContent = message;
    this.refusal.hidden = false;
  }

  clearRefusal() {
    this.refusal.textContent = '';
    this.refusal.hidden = true;
  }

  // ----- messages ------------------------------------------------------------------------

  atBottom() {
    return this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight <= STICK_THRESHOLD_PX;
  }

  scrollToBottom() {
    this.log.scrollTop = this.log.scrollHeight;
    this.stuck = true;
    if (this.jump) this.jump.hidden = true;
  }

  addMessages(list) {
    const wasStuck = this.stuck || this.atBottom();
    let added = 0;
    for (const message of list) {
      if (!message || !Number.isInteger(message.id) || this.messages.has(message.id)) continue;
      const node = message.system ? this.renderSystem(message.system) : this.renderMessage(message);
      this.insertInOrder(node, message.id);
      this.messages.set(message.id, node);
      added += 1;
    }
    if (added === 0) return;
    this.prune();
    if (wasStuck) {
      this.scrollToBottom();
    } else if (this.jump) {
      this.jump.hidden = false;
    }
  }

  /** A line of its own for someone supporting the channel, kept in order with messages. */
  onSupport(frame) {
    const name = typeof frame.display_name === 'string' ? frame.display_name : t('js-chat-someone');
    const amount = typeof frame.amount === 'string' ? frame.amount : '';
    const kind = ['donated', 'gifted'].includes(frame.kind) ? frame.kind : 'subscribed';
    const message = typeof frame.message === 'string' ? frame.message : '';
    const text = {
      donated: t('js-chat-donated', { name, amount }),
      gifted: t('js-chat-gifted', { name, recipient: message }),
      subscribed: t('js-chat-subscribed', { name }),
    }[kind];
    const wasStuck = this.stuck || this.atBottom();
    const node = el('div', `chat-support chat-support-${kind}`);
    node.append(el('span', 'chat-support-text', text));
    if (kind === 'donated' && message !== '') {
      node.append(el('span', 'chat-support-message', message));
    }
    const last = this.log.lastElementChild;
    node.dataset.messageId = last ? last.dataset.messageId : '0';
    this.log.append(node);
    if (wasStuck) this.scrollToBottom();
  }

  insertInOrder(node, id) {
    const last = this.log.lastElementChild;
    if (!last || Number(last.dataset.messageId) < id) {
      this.log.append(node);
      return;
    }
    for (const child of this.log.children) {
      if (Number(child.dataset.messageId) > id) {
        child.before(node);
        return;
      }
    }
    this.log.append(node);
  }

  prune() {
    while (this.messages.size > MAX_MESSAGES) {
      const first = this.log.firstElementChild;
      if (!first) break;
      this.messages.delete(Number(first.dataset.messageId));
      if (this.menu && this.menu.node === first) this.closeMenu(false);
      first.remove();
    }
  }

  removeMessages(ids) {
    for (const id of ids) {
      const node = this.messages.get(id);
      if (!node) continue;
      if (this.menu && this.menu.node === node) this.closeMenu(false);
      node.remove();
      this.messages.delete(id);
    }
    if (this.atBottom()) {
      this.stuck = true;
      if (this.jump) this.jump.hidden = true;
    }
  }

  renderMessage(message) {
    const node = el('div', 'chat-message');
    node.dataset.messageId = String(message.id);
    if (Number.isInteger(message.user_id)) node.dataset.userId = String(message.user_id);
    node.chatMessage = message;
    const tokens = Array.isArray(message.tokens) ? message.tokens : [];
    if (tokens.length === 1 && tokens[0]?.type === 'emote') node.classList.add('chat-message-large');

    const created = Number(message.created_at);
    const time = el('time', 'chat-time', Number.isFinite(created) ? clockTime(created) : '');
    if (Number.isFinite(created)) time.dateTime = new Date(created).toISOString();

    const badges = el('span', 'chat-badges');
    const seen = new Set();
    for (const badge of Array.isArray(message.badges) ? message.badges : []) {
      const known = BADGES[badge];
      if (!known || seen.has(badge)) continue;
      seen.add(badge);
      const label = el('span', `chat-badge chat-badge-${badge}`, known.label);
      label.title = known.title;
      badges.append(label);
    }

    const name = el('span', 'chat-name');
    name.dataset.chatName = '';
    const action = message.kind === 'action';
    if (action) node.classList.add('chat-message-action');
    const separator = el('span', 'chat-separator', action ? ' ' : ': ');
    const body = renderTokens(tokens);
    if (message.reply && Number.isInteger(message.reply.id)) node.append(this.renderReplyTo(message.reply));
    node.append(time, badges, name, separator, body);
    if (this.me && mentions(tokens, this.me.username)) {
      node.classList.add('chat-message-mention');
      node.dataset.mentionsMe = '';
    }
    this.rememberChatter(message.username);
    this.decorate(node, message);
    return node;
  }

  /** The quoted parent above a reply: its author and the start of its text. */
  renderReplyTo(reply) {
    const quote = el('div', 'chat-reply-to');
    quote.dataset.chatReplyTo = String(reply.id);
    const who = String(reply.display_name || reply.username || t('js-chat-someone'));
    quote.append(el('span', 'chat-reply-author', t('js-chat-replying-to', { name: who })));
    const excerpt = typeof reply.excerpt === 'string' ? reply.excerpt : null;
    quote.append(el('span', 'chat-reply-excerpt', excerpt === null ? ` ${t('js-chat-reply-removed')}` : `: ${excerpt}`));
    return quote;
  }

  /** A system line (a follow, an answer to a command): no author menu, styled apart. */
  renderSystem(line) {
    const kind = typeof line.kind === 'string' ? line.kind : 'notice';
    const node = el('div', `chat-system chat-system-${kind.replace(/[^a-z_]/g, '')}`);
    node.dataset.systemKind = kind;
    if (Number.isInteger(line.id)) node.dataset.messageId = String(line.id);
    node.setAttribute('role', 'note');
    node.append(el('span', 'chat-system-text', systemText(line)));
    if (line.user && typeof line.user.username === 'string') this.rememberChatter(line.user.username);
    return node;
  }

  onSystem(frame) {
    if (Number.isInteger(frame.id)) {
      this.addMessages([{ id: frame.id, system: frame }]);
      return;
    }
    // An answer to my command: shown at the end, never stored; it takes the id of the line
    // before it, so later messages still sort after it.
    const wasStuck = this.stuck || this.atBottom();
    const node = this.renderSystem(frame);
    const last = this.log.lastElementChild;
    if (last?.dataset.messageId) node.dataset.messageId = last.dataset.messageId;
    this.log.append(node);
    if (wasStuck) this.scrollToBottom();
  }

  rememberChatter(username) {
    if (typeof username !== 'string' || username === '' || username === 'deleted-user') return;
    const key = username.toLowerCase();
    this.chatters.delete(key);
    this.chatters.set(key, username);
    while (this.chatters.size > RECENT_CHATTERS) this.chatters.delete(this.chatters.keys().next().value);
  }

  // ----- replies ---------------------------------------------------------------------------

  setReply(message) {
    if (!message) {
      this.replyTo = null;
      this.replyBar.hidden = true;
      this.replyText.textContent = '';
      return;
    }
    const name = String(message.display_name || message.username || t('js-chat-someone'));
    const text = (Array.isArray(message.tokens) ? message.tokens : [])
      .map((token) => (token && typeof token.text === 'string' ? token.text : '')).join('');
    const excerpt = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    this.replyTo = { id: message.id, name, excerpt };
    this.replyText.textContent = t('js-chat-replying-to-excerpt', { name, excerpt });
    this.replyBar.hidden = false;
    this.input?.focus();
  }

  // ----- @mention suggestions ------------------------------------------------------------

  /** The @word being typed before the caret, if any. */
  mentionQuery() {
    const input = this.input;
    const caret = input.selectionStart ?? input.value.length;
    const match = /(^|\s)@(\w{0,25})$/.exec(input.value.slice(0, caret));
    if (!match) return null;
    return { prefix: match[2].toLowerCase(), start: caret - match[2].length - 1, end: caret };
  }

  suggestMentions() {
    const query = this.mentionQuery();
    if (!query) {
      this.closeSuggestions();
      return;
    }
    const mine = this.me?.username?.toLowerCase();
    const names = [...this.chatters.entries()].reverse()
      .filter(([key]) => key !== mine && key.startsWith(query.prefix))
      .slice(0, MENTION_SUGGESTIONS)
      .map(([, name]) => name);
    if (names.length === 0) {
      this.closeSuggestions();
      return;
    }
    const items = names.map((name, index) => {
      const item = el('li', 'chat-mention-option', `@${name}`);
      item.id = `${this.mentionList.id}-${index}`;
      item.setAttribute('role', 'option');
      item.dataset.username = name;
      item.addEventListener('mousedown', (event) => event.preventDefault());
      item.addEventListener('click', this.guard(() => this.acceptMention(name)));
      return item;
    });
    this.mentionList.replaceChildren(...items);
    this.mentionList.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    this.suggestions = { items, active: 0, query };
    this.highlightSuggestion(0);
  }

  highlightSuggestion(index) {
    const state = this.suggestions;
    if (!state) return;
    state.active = (index + state.items.length) % state.items.length;
    state.items.forEach((item, i) => item.setAttribute('aria-selected', String(i === state.active)));
    this.input.setAttribute('aria-activedescendant', state.items[state.active].id);
  }

  acceptMention(name) {
    const query = this.mentionQuery() ?? this.suggestions?.query;
    this.closeSuggestions();
    if (!query) return;
    this.input.setRangeText(`@${name} `, query.start, query.end, 'end');
    this.input.focus();
  }

  closeSuggestions() {
    if (!this.suggestions && this.mentionList.hidden) return;
    this.suggestions = null;
    this.mentionList.hidden = true;
    this.mentionList.replaceChildren();
    this.input?.setAttribute('aria-expanded', 'false');
    this.input?.removeAttribute('aria-activedescendant');
  }

  onInputKey(event) {
    const state = this.suggestions;
    if (!state) {
      if (event.key === 'Escape' && this.replyTo) this.setReply(null);
      return;
    }
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      this.highlightSuggestion(state.active + (event.key === 'ArrowDown' ? 1 : -1));
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      this.acceptMention(state.items[state.active].dataset.username);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      this.closeSuggestions();
    }
  }

  /** The part that depends on the viewer's permissions: a name that opens the actions menu. */
  decorate(node, message) {
    const display = String(message.display_name || message.username || 'unknown');
    const username = String(message.username || '');
    const current = node.querySelector('[data-chat-name]');
    const actionable = this.opensCard(message);
    const name = el(actionable ? 'button' : 'span', 'chat-name', display);
    name.dataset.chatName = '';
    if (username && username.toLowerCase() !== display.toLowerCase()) name.title = username;
    if (actionable) {
      name.type = 'button';
      name.setAttribute('aria-haspopup', 'dialog');
      name.setAttribute('aria-expanded', 'false');
    }
    const color = this.colors.get(message.color);
    if (color) name.style.setProperty('--chat-name-color', color);
    current.replaceWith(name);
    node.querySelector('.chat-reply-button')?.remove();
    if (this.canSend && Number.isInteger(message.user_id)) {
      const reply = el('button', 'chat-reply-button', t('js-chat-reply'));
      reply.type = 'button';
      reply.dataset.chatReply = '';
      reply.setAttribute('aria-label', t('js-chat-reply-to', { name: display }));
      node.append(reply);
    }
  }

  /** Whether a message's name opens its author's card: anyone's but my own. */
  opensCard(message) {
    if (!Number.isInteger(message.user_id) || typeof message.username !== 'string' || message.username === '') return false;
    return !(this.me && message.user_id === this.me.id);
  }

  /**
   * What the viewer may do about a message's author, for the menu its name opens: moderation
   * actions the viewer is allowed (ban or unban, whichever applies to the author as far as this
   * page has seen), deleting this one message, and reporting it.
   */
  userActions(message) {
    if (!this.me || !Number.isInteger(message.user_id) || message.user_id === this.me.id) return [];
    const banned = this.banned.has(message.user_id);
    const actions = ACTIONS.filter(({ action, permission }) => {
      if (!this.permissions[permission]) return false;
      if (action === 'unban') return banned;
      return !banned;
    });
    if (this.permissions.delete && Number.isInteger(message.id)) {
      actions.push({ action: 'delete_message', label: t('js-chat-action-delete') });
    }
    if (this.canSend) actions.push({ action: 'reply', label: t('js-chat-reply') });
    // Everyone signed in may report a message to the staff team.
    if (message.username) actions.push({ action: 'report', label: t('js-chat-action-report') });
    return actions;
  }

  /** Opens the report form for a message's author, naming the message. */
  report(message) {
    const query = new URLSearchParams({
      username: String(message.username),
      location: 'chat',
      message_id: String(message.id),
    });
    window.location.assign(`/report?${query}`);
  }

  onLogClick(event) {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const node = target.closest('.chat-message');
    if (!node || !node.chatMessage) return;
    if (target.closest('button[data-chat-reply]')) {
      this.setReply(node.chatMessage);
      return;
    }
    const name = target.closest('button[data-chat-name]');
    if (name) {
      if (this.menu && this.menu.node === node) this.closeMenu(true);
      else this.openMenu(node, name);
    }
  }

  // ----- the chatter's card: who they are here, and what I may do about them ---------------

  openMenu(node, nameButton) {
    this.closeMenu(false);
    const message = node.chatMessage;
    if (!this.opensCard(message)) return;
    const actions = this.userActions(message);
    const display = String(message.display_name || message.username);
    const menu = el('div', 'chat-menu');
    menu.setAttribute('role', 'dialog');
    const moderating = actions.some(({ action }) => action !== 'report' && action !== 'reply');
    menu.setAttribute('aria-label', moderating ? t('js-chat-moderate', { name: display }) : t('js-chat-actions-for', { name: display }));
    menu.dataset.chatMenu = '';
    menu.append(el('span', 'chat-menu-title', display));
    const card = el('div', 'chat-card');
    card.dataset.chatCard = '';
    card.setAttribute('aria-live', 'polite');
    card.append(el('p', 'chat-card-loading', t('js-card-loading')));
    menu.append(card);
    const buttons = el('div', 'chat-menu-buttons');
    this.renderActions(buttons, message, display);
    menu.append(buttons);
    const cancel = el('button', 'chat-menu-close', t('js-chat-close'));
    cancel.type = 'button';
    cancel.addEventListener('click', this.guard(() => this.closeMenu(true)));
    menu.append(cancel);
    this.menuSlot.replaceChildren(menu);
    this.menuSlot.hidden = false;
    nameButton.setAttribute('aria-expanded', 'true');
    node.classList.add('chat-message-selected');
    this.menu = { node, nameButton, element: menu };
    (menu.querySelector('.chat-menu-action, .chat-menu-reply, .chat-menu-report') ?? cancel).focus();
    this.loadCard(message, card, buttons, display);
  }

  /** The buttons of what I may do about `message`'s author (moderation, delete, reply, report). */
  renderActions(buttons, message, display) {
    const actions = this.userActions(message);
    buttons.replaceChildren();
    for (const { action, label } of actions) {
      // The report entry is not a moderation action, and is styled and counted apart.
      const kinds = { report: 'chat-menu-report', reply: 'chat-menu-reply' };
      const button = el('button', kinds[action] ?? 'chat-menu-action', label);
      button.type = 'button';
      button.dataset.action = action;
      button.addEventListener('click', this.guard(() => {
        if (action === 'report') {
          this.report(message);
          return;
        }
        if (action === 'reply') {
          this.closeMenu(false);
          this.setReply(message);
          return;
        }
        if (action === 'delete_message') {
          if (!this.send({ type: 'delete', message_id: message.id })) {
            this.showRefusal(t('js-chat-not-connected'));
          }
          this.closeMenu(true);
          return;
        }
        this.pendingAction = { action, userId: message.user_id, name: display };
        if (!this.send({ type: 'moderate', action, user_id: message.user_id })) {
          this.showRefusal(t('js-chat-not-connected'));
        }
        this.closeMenu(true);
      }));
      buttons.append(button);
    }
  }

  /** Fills the card from the server: avatar, account age, follow, badges, and for moderators
   * the chatter's standing and history in this channel. */
  async loadCard(message, card, buttons, display) {
    const channelId = this.root.dataset.channelId;
    const url = `/api/channels/${encodeURIComponent(channelId)}/chatters/${encodeURIComponent(message.username)}`;
    let data = null;
    try {
      const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (response.ok) data = await response.json();
      else if (response.status === 429) throw new TooManyCards(t('js-card-too-many'));
    } catch (error) {
      if (this.menu?.element.contains(card)) {
        card.replaceChildren(el('p', 'chat-card-error', error instanceof TooManyCards ? error.message : t('js-card-failed')));
      }
      return;
    }
    if (!this.menu || !this.menu.element.contains(card)) return;
    if (!data || typeof data !== 'object') {
      card.replaceChildren(el('p', 'chat-card-error', t('js-card-failed')));
      return;
    }
    this.guard(() => this.renderCard(message, card, buttons, display, data))();
  }

  renderCard(message, card, buttons, display, data) {
    const head = el('div', 'chat-card-head');
    if (typeof data.avatar_url === 'string' && data.avatar_url.startsWith('/avatars/')) {
      const avatar = el('img', 'chat-card-avatar');
      avatar.src = data.avatar_url;
      avatar.alt = '';
      avatar.width = 48;
      avatar.height = 48;
      head.append(avatar);
    }
    const who = el('div', 'chat-card-who');
    const profile = el('a', 'chat-card-profile', `@${String(data.username ?? message.username)}`);
    profile.href = `/${encodeURIComponent(String(data.username ?? message.username))}/profile`;
    who.append(profile);
    const badges = el('span', 'chat-badges');
    for (const badge of Array.isArray(data.badges) ? data.badges : []) {
      const known = BADGES[badge];
      if (!known) continue;
      const label = el('span', `chat-badge chat-badge-${badge}`, known.label);
      label.title = known.title;
      badges.append(label);
    }
    if (badges.childElementCount > 0) who.append(badges);
    head.append(who);

    const facts = el('ul', 'chat-card-facts');
    const created = Number(data.created_at);
    if (Number.isFinite(created)) {
      const item = el('li', '', t('js-card-created', { date: longDate(created), age: age(created) }));
      item.dataset.cardCreated = '';
      facts.append(item);
    }
    const followed = Number(data.followed_at);
    const follow = el('li', '', data.followed_at == null ? t('js-card-not-following')
      : t('js-card-following-since', { date: longDate(followed), age: age(followed) }));
    follow.dataset.cardFollow = '';
    facts.append(follow);
    const parts = [head, facts];

    const moderation = data.moderation && typeof data.moderation === 'object' ? data.moderation : null;
    if (moderation) {
      const standing = el('p', 'chat-card-standing');
      standing.dataset.cardStanding = '';
      const until = Number(moderation.timed_out_until);
      if (moderation.banned) standing.textContent = t('js-card-banned');
      else if (Number.isFinite(until) && until > 0) standing.textContent = t('js-card-timed-out-until', { time: clockTime(until) });
      else standing.textContent = t('js-card-in-good-standing');
      parts.push(standing);
      const history = Array.isArray(moderation.history) ? moderation.history : [];
      const title = el('p', 'chat-card-history-title', history.length === 0 ? t('js-card-no-history') : t('js-card-history'));
      parts.push(title);
      if (history.length > 0) {
        const list = el('ul', 'chat-card-history');
        list.dataset.cardHistory = '';
        for (const step of history) {
          const what = HISTORY[step.action] ? t(HISTORY[step.action]) : String(step.action);
          const when = Number(step.created_at);
          const date = Number.isFinite(when) ? longDate(when, true) : '';
          list.append(el('li', '', typeof step.moderator === 'string'
            ? t('js-card-history-step-by', { what, moderator: step.moderator, date })
            : t('js-card-history-step', { what, date })));
        }
        parts.push(list);
      }
      // What the server says holds now decides between Ban and Unban.
      const wasBanned = this.banned.has(message.user_id);
      if (Boolean(moderation.banned) !== wasBanned) {
        if (moderation.banned) this.banned.add(message.user_id);
        else this.banned.delete(message.user_id);
        const focused = buttons.contains(document.activeElement);
        this.renderActions(buttons, message, display);
        if (focused) (buttons.querySelector('button') ?? this.menu?.element.querySelector('.chat-menu-close'))?.focus();
      }
    }
    card.replaceChildren(...parts);
  }

  closeMenu(returnFocus) {
    const menu = this.menu;
    if (!menu) return;
    this.menu = null;
    this.menuSlot.replaceChildren();
    this.menuSlot.hidden = true;
    menu.node.classList.remove('chat-message-selected');
    menu.nameButton.setAttribute('aria-expanded', 'false');
    if (returnFocus && menu.nameButton.isConnected) menu.nameButton.focus();
  }
}
