// Tag selector with autocomplete, and subcategory suggestions.
//
// Enhances <input data-tag-selector name="tags"> (a comma-separated list, which is also what a
// browser without JavaScript submits): the tags become removable chips, typing suggests the
// category's tags (most used first) from /api/categories/<slug>/tags?q=, Enter or a comma adds
// the typed tag. The category comes from the form's [data-category-select], or from
// data-category when the form has no category field (editors). A [data-subcategory-input] gets a
// <datalist> of the category's subcategories; a name not in the list creates a new one on save.
import { t } from './i18n.js';

const MAX_TAGS = 10;
const TAG_PATTERN = /^[A-Za-z0-9 :-]{2,18}$/;

function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

async function suggestions(kind, category, query) {
  if (!category) return [];
  const url = `/api/categories/${encodeURIComponent(category)}/${kind}?q=${encodeURIComponent(query)}`;
  try {
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    if (!response.ok) return [];
    const body = await response.json();
    return body[kind] || [];
  } catch {
    return [];
  }
}

function categoryOf(input) {
  const select = input.form?.querySelector('[data-category-select]');
  return select ? select.value : input.dataset.category || '';
}

function mountTagSelector(input) {
  const tags = input.value.split(',').map((t) => t.trim()).filter(Boolean);
  const wrapper = document.createElement('div');
  wrapper.className = 'tag-selector';
  const chips = document.createElement('ul');
  chips.className = 'tag-list';
  chips.setAttribute('aria-label', t('js-tags-chosen'));
  const typing = document.createElement('input');
  typing.type = 'text';
  typing.id = `${input.id}-entry`;
  typing.maxLength = 18;
  typing.autocomplete = 'off';
  typing.placeholder = t('js-tags-add');
  typing.setAttribute('role', 'combobox');
  typing.setAttribute('aria-autocomplete', 'list');
  typing.setAttribute('aria-expanded', 'false');
  typing.dataset.testid = 'tag-entry';
  const list = document.createElement('ul');
  list.className = 'tag-suggestions';
  list.id = `${input.id}-suggestions`;
  list.setAttribute('role', 'listbox');
  list.hidden = true;
  typing.setAttribute('aria-controls', list.id);
  const message = document.createElement('p');
  message.className = 'field-error';
  message.setAttribute('role', 'status');
  message.hidden = true;
  wrapper.append(chips, typing, list, message);
  input.type = 'hidden';
  input.after(wrapper);
  const label = input.form?.querySelector(`label[for="${input.id}"]`);
  if (label) label.htmlFor = typing.id;

  const sync = () => {
    input.value = tags.join(', ');
    chips.replaceChildren(
      ...tags.map((tag, index) => {
        const item = document.createElement('li');
        const chip = document.createElement('span');
        chip.className = 'tag';
        chip.textContent = tag;
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'tag-remove';
        remove.textContent = '×';
        remove.setAttribute('aria-label', t('js-tags-remove', { tag }));
        remove.addEventListener('click', () => {
          tags.splice(index, 1);
          sync();
          typing.focus();
        });
        chip.append(remove);
        item.append(chip);
        return item;
      }),
    );
  };
  const say = (text) => {
    message.textContent = text;
    message.hidden = !text;
  };
  const close = () => {
    list.hidden = true;
    typing.setAttribute('aria-expanded', 'false');
  };
  const add = (raw) => {
    const tag = raw.trim().replace(/\s+/g, ' ');
    if (!tag) return;
    if (!TAG_PATTERN.test(tag)) {
      say(t('js-tags-invalid', { tag }));
      return;
    }
    if (tags.some((t) => t.toLowerCase() === tag.toLowerCase())) {
      say('');
    } else if (tags.length >= MAX_TAGS) {
      say(t('js-tags-too-many', { max: MAX_TAGS }));
      return;
    } else {
      tags.push(tag);
      say('');
    }
    typing.value = '';
    close();
    sync();
  };
  const show = (items) => {
    const fresh = items.filter((item) => !tags.some((t) => t.toLowerCase() === item.name.toLowerCase()));
    list.replaceChildren(
      ...fresh.map((item, index) => {
        const option = document.createElement('li');
        option.setAttribute('role', 'option');
        option.id = `${list.id}-${index}`;
        option.textContent = item.name;
        option.dataset.name = item.name;
        const count = document.createElement('span');
        count.className = 'muted';
        count.textContent = ` ${item.count}`;
        option.append(count);
        option.addEventListener('mousedown', (event) => {
          event.preventDefault();
          add(item.name);
        });
        return option;
      }),
    );
    list.hidden = fresh.length === 0;
    typing.setAttribute('aria-expanded', String(!list.hidden));
  };
  const lookup = debounce(async () => {
    show(await suggestions('tags', categoryOf(input), typing.value.trim()));
  }, 150);
  let active = -1;
  const highlight = (next) => {
    const options = [...list.children];
    if (options.length === 0) return;
    active = (next + options.length) % options.length;
    options.forEach((option, index) => option.setAttribute('aria-selected', String(index === active)));
    typing.setAttribute('aria-activedescendant', options[active].id);
  };
  typing.addEventListener('input', () => {
    if (typing.value.includes(',')) {
      const parts = typing.value.split(',');
      typing.value = parts.pop();
      parts.forEach(add);
    }
    active = -1;
    lookup();
  });
  typing.addEventListener('focus', lookup);
  typing.addEventListener('blur', () => setTimeout(close, 100));
  typing.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      highlight(active + (event.key === 'ArrowDown' ? 1 : -1));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const chosen = active >= 0 && !list.hidden ? list.children[active]?.dataset.name : null;
      add(chosen || typing.value);
    } else if (event.key === 'Escape') {
      close();
    } else if (event.key === 'Backspace' && typing.value === '' && tags.length > 0) {
      tags.pop();
      sync();
    }
  });
  // A tag typed but not yet added still counts when the form is sent.
  input.form?.addEventListener('submit', () => {
    if (typing.value.trim()) add(typing.value);
  });
  input.form?.querySelector('[data-category-select]')?.addEventListener('change', () => {
    if (tags.length > 0) say('Tags belong to a category: changing it replaces them when you save.');
  });
  sync();
}

function mountSubcategory(input) {
  const list = document.createElement('datalist');
  list.id = `${input.id}-options`;
  input.after(list);
  input.setAttribute('list', list.id);
  const refresh = debounce(async () => {
    const items = await suggestions('subcategories', categoryOf(input), input.value.trim());
    list.replaceChildren(
      ...items.map((item) => {
        const option = document.createElement('option');
        option.value = item.name;
        return option;
      }),
    );
  }, 150);
  input.addEventListener('input', refresh);
  input.addEventListener('focus', refresh);
}

for (const input of document.querySelectorAll('input[data-tag-selector]')) mountTagSelector(input);
for (const input of document.querySelectorAll('input[data-subcategory-input]')) mountSubcategory(input);
