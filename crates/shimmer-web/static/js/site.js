// Small enhancements for every page: show/hide and copy buttons for secret fields, and the
// footer's language menu, which switches as soon as a language is picked.
import { t } from './i18n.js';

function copyWithFallback(input) {
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(input.value);
  }
  // Without the Clipboard API (plain HTTP, older browsers): select the text and copy it.
  return new Promise((resolve, reject) => {
    const previousType = input.type;
    input.type = 'text';
    input.select();
    input.setSelectionRange(0, input.value.length);
    let copied = false;
    try {
      copied = document.execCommand('copy');
    } catch {
      copied = false;
    }
    input.type = previousType;
    window.getSelection()?.removeAllRanges();
    copied ? resolve() : reject(new Error('copy refused'));
  });
}

for (const button of document.querySelectorAll('[data-toggle-key]')) {
  button.addEventListener('click', () => {
    const input = document.getElementById(button.dataset.toggleKey);
    const show = input.type === 'password';
    input.type = show ? 'text' : 'password';
    button.textContent = show ? t('js-hide') : t('js-show');
    button.setAttribute('aria-pressed', String(show));
  });
}

for (const button of document.querySelectorAll('[data-copy]')) {
  button.addEventListener('click', async () => {
    const input = document.getElementById(button.dataset.copy);
    const status = document.querySelector(`[data-copy-status="${button.dataset.copy}"]`);
    try {
      await copyWithFallback(input);
      if (status) status.textContent = t('js-copied');
    } catch {
      input.type = 'text';
      input.select();
      if (status) status.textContent = t('js-copy-by-hand');
    }
  });
}

// Settings: on phones the grouped menu starts folded, so the page's own form comes first.
const settingsMenu = document.querySelector('[data-settings-menu]');
if (settingsMenu && window.matchMedia('(max-width: 640px)').matches) settingsMenu.open = false;

for (const select of document.querySelectorAll('select[data-autosubmit]')) {
  select.addEventListener('change', () => select.form.requestSubmit());
}
