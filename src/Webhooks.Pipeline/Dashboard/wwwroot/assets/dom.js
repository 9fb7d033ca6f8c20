// Small DOM helpers. Text from the API always goes in as text nodes, never as markup.

/** h('button.secondary', { onclick }, 'Text', child) → an element. */
export function h(tag, props, ...children) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name);
  if (classes.length) el.className = classes.join(' ');
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

let ids = 0;
/** A fresh id for label/aria wiring. */
export const uid = (prefix) => `${prefix}-${++ids}`;

/** A labelled input: label, optional hint, the control; errors land in a slot below it (see showFieldErrors). */
export function field(labelText, control, hint) {
  control.id ||= uid('f');
  const hintEl = hint ? h('p.hint', { id: uid('hint') }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div.field', { dataset: { field: control.name || '' } }, h('label', { for: control.id }, labelText), hintEl, control);
}

export const time = (iso) => iso ? new Date(iso).toLocaleString() : '—';
export const ms = (n) => n === null || n === undefined ? '—' : `${Math.round(n)} ms`;

/** The status region: a short sentence a screen reader announces. */
export function announce(text) {
  const status = document.getElementById('status');
  status.textContent = '';
  // A new text node after a clear makes screen readers read a repeated message again.
  requestAnimationFrame(() => { status.textContent = text; });
}

/** The page-level alert: an error without a field to stand next to. */
export function alertError(error) {
  const alert = document.getElementById('alert');
  if (!error) { alert.hidden = true; alert.textContent = ''; return; }
  alert.hidden = false;
  alert.replaceChildren(h('strong', {}, error.problem?.title || 'Something went wrong'), ' ', error.message);
}

/**
 * Puts each of the problem's field messages next to its field inside `form` (matched on the field's
 * name, then its first segment: "projects.include[0]" → "projects"); messages without a field go to a
 * summary at the top of the form. Returns whether anything was shown.
 */
export function showFieldErrors(form, error) {
  clearFieldErrors(form);
  const summary = form.querySelector('.form-errors');
  const unplaced = [];
  for (const [key, messages] of Object.entries(error.fieldErrors || {})) {
    const name = key.replace(/^\$\.?/, '');
    const holder = form.querySelector(`[data-field="${CSS.escape(name)}"]`)
      || form.querySelector(`[data-field="${CSS.escape(name.split(/[.[]/)[0].toLowerCase())}"]`);
    const text = messages.map((m) => `${label(holder, name)} ${m}`).join(' ');
    if (!holder) { unplaced.push(text); continue; }
    const message = h('p.field-error', { id: uid('err') }, text);
    holder.append(message);
    const control = holder.querySelector('input, select, textarea');
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), message.id].filter(Boolean).join(' '));
    }
  }
  if (summary) {
    const heading = error.problem?.title || 'The request was refused.';
    summary.hidden = false;
    summary.replaceChildren(h('strong', {}, heading), ' ', unplaced.length ? unplaced.join(' ') : (Object.keys(error.fieldErrors || {}).length ? 'See the messages by the fields below.' : error.message));
  }
  const first = form.querySelector('[aria-invalid=true]');
  (first || summary)?.focus?.();
  return true;
}

function label(holder, name) {
  const text = holder?.querySelector('label, legend')?.textContent;
  return text || name;
}

export function clearFieldErrors(form) {
  form.querySelectorAll('.field-error').forEach((e) => e.remove());
  form.querySelectorAll('[aria-invalid]').forEach((c) => {
    c.removeAttribute('aria-invalid');
    const kept = (c.getAttribute('aria-describedby') || '').split(' ').filter((id) => id && !id.startsWith('err-')).join(' ');
    if (kept) c.setAttribute('aria-describedby', kept); else c.removeAttribute('aria-describedby');
  });
  const summary = form.querySelector('.form-errors');
  if (summary) { summary.hidden = true; summary.textContent = ''; }
}

/** Copies text, and says so in the status region. */
export async function copy(text, what) {
  try {
    await navigator.clipboard.writeText(text);
    announce(`${what} copied to the clipboard.`);
  } catch {
    announce(`Select the ${what.toLowerCase()} and copy it by hand: the browser refused the clipboard.`);
  }
}

/** A modal dialog: focus is kept inside and Escape closes it (the browser's own <dialog>); removed when closed. */
export function openDialog(titleText, ...content) {
  const titleId = uid('dlg');
  const dialog = h('dialog', { 'aria-labelledby': titleId }, h('h2', { id: titleId }, titleText), ...content);
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

/** A table that scrolls sideways on a narrow screen and stacks its cells on a phone. */
export function table(caption, headings, rows) {
  return h('div.table-scroll', { role: 'region', 'aria-label': caption, tabindex: '0' },
    h('table.responsive', {},
      h('caption.visually-hidden', {}, caption),
      h('thead', {}, h('tr', {}, headings.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((c, i) => h('td', { dataset: { label: headings[i] } }, c)))))));
}
