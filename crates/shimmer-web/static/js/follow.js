// Follow, unfollow and the live-notification switch on the channel page, without a reload.
// The forms work without JavaScript too; here they are sent with fetch, asking for JSON.
import { formatNumber, t } from './i18n.js';

const bar = document.querySelector('[data-follow]');
const followForm = bar?.querySelector('[data-follow-form]');
const notifyForm = bar?.querySelector('[data-notify-form]');

async function send(form, body) {
  const response = await fetch(form.action, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body),
    credentials: 'same-origin',
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

function show(state) {
  const name = bar.dataset.follow;
  const button = followForm.querySelector('button');
  followForm.action = `/${name}/${state.following ? 'unfollow' : 'follow'}`;
  button.textContent = state.following ? t('js-unfollow') : t('js-follow');
  button.classList.toggle('secondary', state.following);
  notifyForm.hidden = !state.following;
  notifyForm.querySelector('input[type=checkbox]').checked = state.notifications;
  const count = bar.querySelector('[data-follower-count]');
  if (count) count.textContent = formatNumber(state.followers);
}

if (followForm && notifyForm) {
  const csrf = followForm.querySelector('input[name=_csrf]').value;
  followForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = followForm.querySelector('button');
    button.disabled = true;
    try {
      show(await send(followForm, { _csrf: csrf }));
    } catch {
      followForm.submit();
    } finally {
      button.disabled = false;
    }
  });
  const toggle = notifyForm.querySelector('input[type=checkbox]');
  toggle.addEventListener('change', async () => {
    const body = { _csrf: csrf };
    if (toggle.checked) body.enabled = 'on';
    try {
      show(await send(notifyForm, body));
    } catch {
      notifyForm.submit();
    }
  });
}
