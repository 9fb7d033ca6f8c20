// A webhook's delivery history (filtered by status and event type, paged) and one delivery's attempts.
import { h, field, time, ms, announce, table, openDialog } from './dom.js';

const STATUSES = ['pending', 'succeeded', 'failed', 'exhausted'];
const pill = (status) => h('span.pill.' + status, {}, status);

/** The history section; `refresh()` reloads its first page. */
export async function deliveryHistory(app, org, webhook) {
  const status = h('select', { name: 'status' }, h('option', { value: '' }, 'Any status'), STATUSES.map((s) => h('option', { value: s }, s)));
  const eventType = h('select', { name: 'eventType' }, h('option', { value: '' }, 'Any event type'));
  try {
    app.eventTypes ||= (await app.api.eventTypes()).data;
    eventType.append(...app.eventTypes.map((t) => h('option', { value: t.name }, t.name)));
  } catch { /* the filter still offers "any" */ }
  const body = h('div', {});
  const more = h('button.secondary', { type: 'button', hidden: true }, 'Load older deliveries');
  const rows = [];
  let nextPageToken = null;

  const show = () => body.replaceChildren(rows.length === 0
    ? h('p', {}, status.value || eventType.value ? 'No delivery matches these filters.' : 'No delivery yet. Send a test event, or publish one.')
    : table('Deliveries', ['Time', 'Event type', 'Status', 'Status code', 'Response time', 'Error', ''], rows.map((d) => [
      time(d.createdAt), d.eventType, pill(d.status), d.lastStatusCode ?? '—', ms(d.lastDurationMs), d.failureReason || '',
      h('button.link', { type: 'button', onclick: () => deliveryDialog(app, org, webhook.id, d.id, refresh), 'aria-label': `Details of the ${d.eventType} delivery of ${time(d.createdAt)}` }, 'Details'),
    ])));

  const load = async (token) => {
    body.setAttribute('aria-busy', 'true');
    try {
      const page = await app.api.deliveries(org, webhook.id, { status: status.value, eventType: eventType.value, pageToken: token });
      if (!token) rows.length = 0;
      rows.push(...page.data);
      nextPageToken = page.nextPageToken;
      more.hidden = !nextPageToken;
      show();
    } catch (error) {
      app.fail(error);
    } finally {
      body.removeAttribute('aria-busy');
    }
  };
  const refresh = () => load(null);
  status.addEventListener('change', refresh);
  eventType.addEventListener('change', refresh);
  more.addEventListener('click', () => load(nextPageToken));

  const element = h('section.card', { 'aria-labelledby': 'wh-history' },
    h('h3', { id: 'wh-history' }, 'Delivery history'),
    h('div.inline', {}, field('Status', status), field('Event type', eventType),
      h('div', {}, h('button.secondary', { type: 'button', onclick: refresh }, 'Refresh'))),
    body, more);
  await refresh();
  return { element, refresh };
}

function headers(caption, map) {
  const entries = Object.entries(map || {});
  return entries.length === 0 ? h('p', {}, 'No headers.') : table(caption, ['Header', 'Value'], entries.map(([k, v]) => [h('code', {}, k), h('span.url', {}, v)]));
}

function bodyBlock(label, text) {
  let shown = text ?? '';
  try { shown = JSON.stringify(JSON.parse(shown), null, 2); } catch { /* not JSON: as received */ }
  return shown ? h('pre', { tabindex: '0', 'aria-label': label }, h('code', {}, shown)) : h('p', {}, 'Empty body.');
}

/** One delivery with every attempt: what was sent and what came back; resend from here. */
export async function deliveryDialog(app, org, webhookId, deliveryId, onResent) {
  const d = await app.api.delivery(org, webhookId, deliveryId).catch((error) => { app.fail(error); return null; });
  if (!d) return;
  const attempts = (d.attempts || []).slice().reverse();
  const dialog = openDialog(`Delivery of ${d.eventType}`,
    h('dl.facts', {},
      h('dt', {}, 'Status'), h('dd', {}, pill(d.status)),
      h('dt', {}, 'Delivery id'), h('dd', {}, h('code', {}, d.id)),
      h('dt', {}, 'Event id'), h('dd', {}, h('code', {}, d.eventId)),
      h('dt', {}, 'Created'), h('dd', {}, time(d.createdAt)),
      h('dt', {}, 'Attempts'), h('dd', {}, String(d.attemptCount)),
      d.failureReason ? [h('dt', {}, 'Error'), h('dd', {}, d.failureReason)] : null,
      d.nextAttemptAt ? [h('dt', {}, 'Next attempt'), h('dd', {}, time(d.nextAttemptAt))] : null),
    h('div.actions', {},
      h('button.needs-manage', { type: 'button', onclick: async () => {
        try {
          await app.api.resend(org, webhookId, deliveryId);
          announce('Delivery sent again under the same id; its new attempts appear here and in the history.');
          dialog.close();
          onResent?.();
        } catch (error) { dialog.close(); app.fail(error); }
      } }, 'Resend'),
      h('button.secondary', { type: 'button', onclick: () => dialog.close() }, 'Close')),
    attempts.length === 0 ? h('p', {}, 'No attempt yet.') : attempts.map((a) => h('section.attempt', { 'aria-label': `Attempt ${a.number}` },
      h('h3', {}, `Attempt ${a.number}${a.run > 1 ? ` (resend ${a.run - 1})` : ''}: `, a.response ? `HTTP ${a.response.statusCode}` : 'no response', ` · ${ms(a.durationMs)}`),
      h('p', {}, time(a.attemptedAt), ' · ', h('span.url', {}, a.url)),
      a.error ? h('p.field-error', {}, a.error) : null,
      h('div.two', {},
        h('div', {}, h('h4', {}, 'Request headers'), headers(`Request headers of attempt ${a.number}`, a.request.headers),
          h('h4', {}, 'Request body'), bodyBlock(`Request body of attempt ${a.number}`, a.request.body)),
        h('div', {}, h('h4', {}, 'Response headers'), a.response ? headers(`Response headers of attempt ${a.number}`, a.response.headers) : h('p', {}, 'No response.'),
          h('h4', {}, 'Response body'), a.response ? bodyBlock(`Response body of attempt ${a.number}`, a.response.body) : null)))));
  dialog.classList.add('delivery');
}
