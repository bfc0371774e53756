// The page's language for scripts: the messages the server put in the page's `#i18n` data block
// (catalogue ids starting with `js-`), and numbers and times written in the page's language.

const messages = (() => {
  try {
    return JSON.parse(document.getElementById('i18n')?.textContent || '{}');
  } catch {
    return {};
  }
})();

/** The page's language (`<html lang>`). */
export const lang = document.documentElement.lang || 'en';

/** The message `key` with `{$name}` placeholders filled from `args`. */
export function t(key, args = {}) {
  const text = messages[key] ?? key;
  return text.replace(/\{\$([a-zA-Z0-9_-]+)\}/g, (whole, name) =>
    name in args ? String(args[name]) : whole,
  );
}

/** A number with the page language's separators. */
export function formatNumber(value, options = {}) {
  return new Intl.NumberFormat(lang, options).format(value);
}

/** A clock time (hours and minutes) in the page's language. */
export function formatClock(ms) {
  return new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' }).format(new Date(ms));
}
