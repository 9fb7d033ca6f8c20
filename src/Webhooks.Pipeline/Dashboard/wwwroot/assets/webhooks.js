// Webhooks: the list of an organization's, the create and edit form, and one webhook's page.
import { h, field, time, announce, table, showFieldErrors, clearFieldErrors, copy, openDialog, uid } from './dom.js';
import { verificationSnippets, setupGuidance } from './snippets.js';
import { deliveryChart } from './chart.js';
import { deliveryHistory } from './deliveries.js';

const TYPES = ['generic', 'slack', 'teams', 'discord'];
const hashOf = (org, id, rest = '') => `#/orgs/${encodeURIComponent(org)}${id ? `/webhooks/${encodeURIComponent(id)}` : ''}${rest}`;

export const badge = (type) => h('span.badge.' + type, {}, type);
const events = (list) => list.includes('all') ? 'All events' : list.join(', ');
const enabledPill = (w) => h('span.pill.' + (w.enabled ? 'on' : 'off'), {}, w.enabled ? 'Enabled' : 'Disabled');

export async function webhookList(app, org) {
  const body = h('div', { 'aria-busy': 'true' }, h('p', {}, 'Loading webhooks…'));
  const more = h('button.secondary', { type: 'button', hidden: true }, 'Load more webhooks');
  app.render(`Webhooks of ${org}`, app.crumbs(org),
    h('div.actions', {},
      h('a.button.needs-manage', { href: hashOf(org, null, '/new') }, 'New webhook'),
      h('a', { href: '#/catalogue' }, 'Event catalogue')),
    body, more);
  const rows = [];
  const show = () => body.replaceChildren(rows.length === 0
    ? h('p', {}, app.canManage ? 'No webhook yet. Create one to start receiving events.' : 'No webhook yet.')
    : table('Webhooks', ['Name', 'URL', 'Events', 'Status', 'Last triggered', 'Last status code'], rows.map((w) => [
      [h('a', { href: hashOf(org, w.id) }, w.name), badge(w.type)],
      h('span.url', {}, w.url),
      events(w.events),
      [enabledPill(w), w.disabledReason ? h('span.hint', {}, ` ${w.disabledReason}`) : null],
      time(w.lastTriggeredAt),
      w.lastStatusCode ?? '—',
    ])));
  const load = async (token) => {
    const page = await app.api.webhooks(org, token);
    rows.push(...page.data);
    show();
    body.removeAttribute('aria-busy');
    more.hidden = !page.nextPageToken;
    more.onclick = () => load(page.nextPageToken).catch(app.fail);
  };
  await load();
}

async function eventTypeNames(app) {
  app.eventTypes ||= (await app.api.eventTypes()).data;
  return app.eventTypes;
}

export async function webhookForm(app, org, id) {
  if (!app.canManage) return app.go(hashOf(org, id));
  const [types, found] = await Promise.all([eventTypeNames(app), id ? app.api.getWebhook(org, id) : null]);
  const current = found?.data;
  const etag = found?.etag;
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: '200', value: current?.name || '' });
  const type = h('select', { name: 'type', disabled: !!current }, TYPES.map((t) => h('option', { value: t }, t)));
  type.value = current?.type || 'generic';
  const guidance = h('p.hint', { id: uid('guide'), 'aria-live': 'polite' });
  const url = h('input', { type: 'url', name: 'url', required: !current, inputmode: 'url', spellcheck: 'false', autocomplete: 'off',
    placeholder: current ? 'Leave empty to keep the current URL' : 'https://' });
  const subscribed = current?.events || ['all'];
  const all = h('input', { type: 'checkbox', name: 'events-all', checked: subscribed.includes('all') });
  const boxes = types.map((t) => h('input', { type: 'checkbox', name: 'event', value: t.name, checked: subscribed.includes(t.name) }));
  const syncEvents = () => boxes.forEach((b) => { b.disabled = all.checked; });
  all.addEventListener('change', syncEvents);
  syncEvents();
  const projectMode = current?.projects?.include ? 'include' : current?.projects?.exclude ? 'exclude' : 'all';
  const modeRadios = ['all', 'include', 'exclude'].map((m) => h('input', { type: 'radio', name: 'project-mode', value: m, checked: m === projectMode }));
  const projects = h('input', { type: 'text', name: 'projects', value: (current?.projects?.include || current?.projects?.exclude || []).join(', ') });
  const enabled = h('input', { type: 'checkbox', name: 'enabled', checked: current ? current.enabled : true });
  const rateLimit = h('input', { type: 'number', name: 'rateLimit', min: 1, step: 1, inputmode: 'numeric', value: current?.rateLimit ?? '' });
  const showGuidance = () => { guidance.textContent = setupGuidance[type.value]; };
  type.addEventListener('change', showGuidance);
  showGuidance();
  const typeField = field('Type', type, current ? 'A webhook\'s type is fixed once created: delete it and create another to change it.' : null);
  typeField.append(guidance);
  if (!current) type.setAttribute('aria-describedby', guidance.id);
  const submit = h('button', { type: 'submit' }, current ? 'Save changes' : 'Create webhook');
  const form = h('form', { novalidate: true },
    h('div.alert.form-errors', { role: 'alert', tabindex: '-1', hidden: true }),
    field('Name', name),
    typeField,
    field('URL', url, current ? `Now: ${current.url}` : 'Production URLs must be HTTPS.'),
    h('fieldset', { dataset: { field: 'events' } }, h('legend', {}, 'Events'),
      h('label', {}, all, 'All events, including types added later'),
      h('div.checks', {}, boxes.map((b, i) => h('label', { title: types[i].description }, b, types[i].name)))),
    h('fieldset', { dataset: { field: 'projects' } }, h('legend', {}, 'Projects'),
      modeRadios.map((r) => h('label', {}, r, { all: 'Every project', include: 'Only these projects', exclude: 'All but these projects' }[r.value])),
      field('Project names, separated by commas', projects)),
    field('Rate limit (deliveries per second)', rateLimit, 'The most deliveries per second the endpoint receives. Leave empty for the service default.'),
    current ? null : h('div.field', { dataset: { field: 'enabled' } }, h('label', {}, enabled, ' Enabled: deliver events from now on')),
    h('div.actions', {}, submit, h('a', { href: current ? hashOf(org, id) : hashOf(org) }, 'Cancel')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    const mode = modeRadios.find((r) => r.checked).value;
    const list = projects.value.split(',').map((p) => p.trim()).filter(Boolean);
    const body = {
      name: name.value,
      events: all.checked ? ['all'] : boxes.filter((b) => b.checked).map((b) => b.value),
      projects: mode === 'all' ? {} : { [mode]: list },
    };
    if (url.value.trim() || !current) body.url = url.value.trim();
    // An emptied limit goes back to the service default (0 removes the webhook's own).
    if (rateLimit.value.trim()) body.rateLimit = Number(rateLimit.value);
    else if (current?.rateLimit) body.rateLimit = 0;
    submit.disabled = true;
    try {
      if (current) {
        await app.api.update(org, id, body, etag);
        announce(`Webhook ${body.name} saved.`);
        app.go(hashOf(org, id));
      } else {
        body.type = type.value;
        body.enabled = enabled.checked;
        const created = (await app.api.create(org, body)).data;
        announce(`Webhook ${created.name} created.`);
        app.go(hashOf(org, created.id));
        if (created.secret) showSecret(created.secret, 'Signing secret');
      }
    } catch (error) {
      if (error.status === 400) showFieldErrors(form, error); else app.fail(error);
    } finally {
      submit.disabled = false;
    }
  });
  app.render(current ? `Edit ${current.name}` : 'New webhook',
    app.crumbs(org, ...(current ? [[current.name, hashOf(org, id)], ['Edit', '']] : [['New webhook', '']])), form);
}

/** The secret, once: the dialog holds the only copy the page ever has, and forgets it when closed. */
export function showSecret(secret, what, note) {
  const code = h('code.secret', {}, secret);
  const dialog = openDialog(`${what}: copy it now`,
    h('p', {}, 'This is the only time it is shown. Store it where your receiver reads it; it signs every delivery.'),
    note ? h('p', {}, note) : null,
    code,
    h('div.actions', {},
      h('button', { type: 'button', onclick: () => copy(secret, what) }, 'Copy secret'),
      h('button.secondary', { type: 'button', onclick: () => dialog.close() }, 'I have stored it')));
  dialog.addEventListener('close', () => { code.textContent = ''; });
  return dialog;
}

function confirmDialog(title, text, action, onConfirm) {
  const dialog = openDialog(title, h('p', {}, text),
    h('div.actions', {},
      h('button.secondary', { type: 'button', autofocus: true, onclick: () => dialog.close() }, 'Cancel'),
      h('button.danger', { type: 'button', onclick: async () => { dialog.close(); await onConfirm(); } }, action)));
}

export async function webhookDetail(app, org, id) {
  const { data: w } = await app.api.getWebhook(org, id);
  const reload = () => webhookDetail(app, org, id).catch(app.fail);
  const act = (fn) => async () => { try { await fn(); } catch (error) { app.fail(error); } };

  // The history loads after the page is shown; a test event sent before that refreshes nothing.
  let deliveries = null;

  const setEnabled = (on) => act(async () => {
    await app.api.update(org, id, { enabled: on });
    announce(on ? `Webhook ${w.name} enabled.` : `Webhook ${w.name} disabled.`);
    await reload();
  });

  const banner = w.enabled ? null : h('div.banner', { role: 'region', 'aria-label': 'Disabled' },
    h('strong', {}, w.disabledReason ? 'Disabled automatically' : 'Disabled'),
    h('p', {}, w.disabledReason ? `${w.disabledReason} (since ${time(w.disabledAt)}). Nothing is delivered until it is enabled again.` : `Turned off${w.disabledAt ? ` at ${time(w.disabledAt)}` : ''}: nothing is delivered until it is enabled again.`),
    h('button.needs-manage', { type: 'button', onclick: setEnabled(true) }, 'Re-enable'));

  const revoke = h('input', { type: 'checkbox', name: 'revoke-previous' });
  const secretControls = w.type === 'generic' ? h('div.actions.needs-manage', {},
    h('button.secondary', { type: 'button', onclick: act(async () => {
      const result = (await app.api.regenerate(org, id, revoke.checked)).data;
      announce('A new signing secret was issued.');
      showSecret(result.secret, 'New signing secret', result.previousSecretValidUntil
        ? `The previous secret keeps signing until ${time(result.previousSecretValidUntil)}, so your receiver can switch over.`
        : 'The previous secrets no longer sign.');
    }) }, 'Regenerate secret'),
    h('label', {}, revoke, ' Revoke the previous secrets at once (a leaked secret)')) : null;

  const sinceInput = h('input', { type: 'datetime-local', name: 'since', required: true, value: localInput(new Date(Date.now() - 24 * 3600 * 1000)) });
  const recoverForm = h('form.needs-manage', { novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    clearFieldErrors(recoverForm);
    try {
      const since = sinceInput.value ? new Date(sinceInput.value).toISOString() : '';
      const result = (await app.api.recover(org, id, since)).data;
      announce(`${result.resent} failed deliver${result.resent === 1 ? 'y' : 'ies'} sent again${result.complete ? '' : ' (more remain: run it again)'}.`);
    } catch (error) {
      if (error.status === 400) showFieldErrors(recoverForm, error); else app.fail(error);
    }
  } },
  h('div.alert.form-errors', { role: 'alert', tabindex: '-1', hidden: true }),
  h('div.inline', {}, field('Failed since', sinceInput, 'Every failed or exhausted delivery created since then is sent again.'),
    h('div', {}, h('button.secondary', { type: 'submit' }, 'Recover failed deliveries'))));

  const chart = h('div', {}, h('p', {}, 'Loading the last 24 hours…'));
  const snippets = verificationSnippets(w.type);

  app.render(w.name, app.crumbs(org, [w.name, '']),
    h('p', {}, badge(w.type), ' ', enabledPill(w)),
    banner,
    h('section.card', { 'aria-labelledby': 'wh-facts' }, h('h3', { id: 'wh-facts' }, 'Settings'),
      h('dl.facts', {},
        h('dt', {}, 'URL'), h('dd.url', {}, w.url),
        h('dt', {}, 'Events'), h('dd', {}, events(w.events)),
        h('dt', {}, 'Projects'), h('dd', {}, w.projects.include ? `Only ${w.projects.include.join(', ')}` : w.projects.exclude ? `All but ${w.projects.exclude.join(', ')}` : 'Every project'),
        h('dt', {}, 'Rate limit'), h('dd', {}, w.rateLimit ? `${w.rateLimit} per second` : 'Service default'),
        h('dt', {}, 'Delivery rate now'), h('dd', {}, protectionText(w.protection)),
        h('dt', {}, 'Created'), h('dd', {}, time(w.createdAt)),
        h('dt', {}, 'Last triggered'), h('dd', {}, time(w.lastTriggeredAt)),
        h('dt', {}, 'Last status code'), h('dd', {}, w.lastStatusCode ?? '—'),
        h('dt', {}, 'Id'), h('dd', {}, h('code', {}, w.id))),
      h('div.actions.needs-manage', {},
        h('a.button', { href: hashOf(org, id, '/edit') }, 'Edit'),
        h('button.secondary', { type: 'button', onclick: act(async () => {
          const d = (await app.api.test(org, id)).data;
          announce(`Test event sent (delivery ${d.id}); it appears in the history below.`);
          setTimeout(() => deliveries?.refresh(), 1500);
        }) }, 'Send test event'),
        w.enabled ? h('button.secondary', { type: 'button', onclick: setEnabled(false) }, 'Disable') : h('button.secondary', { type: 'button', onclick: setEnabled(true) }, 'Enable'),
        h('button.danger', { type: 'button', onclick: () => confirmDialog(`Delete ${w.name}?`,
          'The webhook, its signing secrets and its whole delivery history are deleted. This cannot be undone.', 'Delete webhook and history',
          act(async () => { await app.api.remove(org, id); announce(`Webhook ${w.name} deleted.`); app.go(hashOf(org)); })) }, 'Delete')),
      secretControls),
    h('section.card', { 'aria-labelledby': 'wh-chart' }, h('h3', { id: 'wh-chart' }, 'Last 24 hours'), chart),
    h('section.card.needs-manage', { 'aria-labelledby': 'wh-recover' }, h('h3', { id: 'wh-recover' }, 'Recover'), recoverForm),
    h('section.card', { 'aria-labelledby': 'wh-verify' }, h('h3', { id: 'wh-verify' }, 'Verify deliveries'),
      snippets.length === 0
        ? h('p', {}, `${w.type[0].toUpperCase()}${w.type.slice(1)} deliveries are not signed: the URL's token is the credential. Keep the URL secret, and make a new one in ${w.type} to rotate it.`)
        : [h('p', {}, 'Check each delivery\'s signature over the raw body before trusting it (headers: webhook-id, webhook-timestamp, webhook-signature).'),
          ...snippets.map(([language, code]) => h('div', {},
            h('h4', {}, language),
            h('pre', { tabindex: '0', 'aria-label': `${language} verification code` }, h('code', {}, code)),
            h('button.secondary', { type: 'button', onclick: () => copy(code, `${language} snippet`) }, `Copy ${language} snippet`)))]),
  );
  deliveries = await deliveryHistory(app, org, w);
  document.getElementById('view').append(deliveries.element);

  try {
    chart.replaceChildren(deliveryChart(await app.api.stats(org, id)));
  } catch (error) {
    chart.replaceChildren(h('p.note', {}, error.missing ? 'The delivery chart is not available on this server.' : `The chart could not be loaded: ${error.message}`));
  }
}

function localInput(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** How the pipeline treats the endpoint now, in words: the rate, why, and the circuit. */
function protectionText(p) {
  if (!p) return '—';
  const rate = p.effectiveRate == null ? 'No limit' : `${p.effectiveRate} per second`;
  const why = {
    limit: '',
    slowed: ' (slowed down: the endpoint answered 429 or 503)',
    paused: ` (paused until ${time(p.pausedUntil)}: the endpoint asked to wait)`,
    circuit_open: ` (circuit open after ${p.consecutiveFailures} failures in a row: only probes go${p.nextProbeAt ? `, the next at ${time(p.nextProbeAt)}` : ''})`,
  }[p.reason] ?? '';
  return rate + why;
}
