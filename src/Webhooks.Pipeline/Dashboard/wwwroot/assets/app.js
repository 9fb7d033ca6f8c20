// The dashboard: an operator page (API key, every organization) or, under .../portal, a customer portal
// (one organization, a short-lived token from the URL fragment). The screen is chosen by the fragment:
// #/ · #/orgs/{org} · #/orgs/{org}/new · #/orgs/{org}/webhooks/{id} · #/orgs/{org}/webhooks/{id}/edit · #/catalogue
import { Api, ApiError } from './api.js';
import { h, field, alertError, uid } from './dom.js';
import { webhookList, webhookForm, webhookDetail } from './webhooks.js';
import { catalogue } from './catalogue.js';

const KEY_STORE = 'webhooks.apiKey';
const TOKEN_STORE = 'webhooks.portalToken';
const mode = /\/portal\/?$/.test(location.pathname) ? 'portal' : 'operator';

/** What every screen needs: the API client, the mode, the portal's organization and permission. */
const app = {
  mode,
  api: null,
  organizationId: null,
  canManage: true,
  go(hash) { if (location.hash === hash) route(); else location.hash = hash; },
};

const view = () => document.getElementById('view');

function render(title, crumbs, ...content) {
  alertError(null);
  const heading = h('h2', { tabindex: '-1' }, title);
  // A screen's optional parts (a disabled banner, say) are null when absent: replaceChildren would print "null".
  view().replaceChildren(heading, ...content.filter((part) => part !== null && part !== undefined && part !== false));
  const nav = document.getElementById('crumbs');
  nav.hidden = crumbs.length === 0;
  nav.querySelector('ol').replaceChildren(...crumbs.map(([text, hash], i) =>
    h('li', {}, i === crumbs.length - 1 ? h('span', { 'aria-current': 'page' }, text) : h('a', { href: hash }, text))));
  document.title = `${title} · Webhooks`;
  heading.focus();
}
app.render = render;

app.crumbs = (org, ...more) => [
  ...(app.mode === 'operator' ? [['Organizations', '#/']] : []),
  ...(org ? [[org, `#/orgs/${encodeURIComponent(org)}`]] : []),
  ...more,
];

/** Shows a failed call: "session expired" for a portal 401, otherwise the problem in the page's alert. */
app.fail = (error) => {
  if (!(error instanceof ApiError)) { console.error(error); error = new ApiError(0, { title: 'Unexpected error', detail: String(error.message || error) }); }
  alertError(error);
};

function signedIn() {
  document.getElementById('sign-out').hidden = false;
  document.body.dataset.permission = app.canManage ? 'manage' : 'read';
  document.getElementById('who').textContent = app.mode === 'portal'
    ? `Organization ${app.organizationId} · ${app.canManage ? 'can manage' : 'read only'}`
    : 'Operator (API key)';
}

function signOut() {
  sessionStorage.removeItem(KEY_STORE);
  sessionStorage.removeItem(TOKEN_STORE);
  app.api = null;
  document.getElementById('sign-out').hidden = true;
  document.getElementById('who').textContent = '';
  if (app.mode === 'portal') {
    render('Signed out', [], h('p', {}, 'The portal session is closed. Open the link you were given again to come back.'));
  } else {
    history.replaceState(null, '', location.pathname);
    signInScreen();
  }
}

function signInScreen(message) {
  const input = h('input', { type: 'password', name: 'key', autocomplete: 'off', required: true, spellcheck: 'false' });
  const form = h('form', {
    onsubmit: async (e) => {
      e.preventDefault();
      const api = new Api('operator', input.value.trim());
      try {
        await api.eventTypes();
      } catch (error) {
        const wrong = error.status === 401 || error.status === 403;
        input.setAttribute('aria-invalid', 'true');
        errorText.textContent = wrong ? 'That key was refused. Check it and try again.' : error.message;
        errorText.hidden = false;
        input.focus();
        return;
      }
      sessionStorage.setItem(KEY_STORE, api.credential);
      start(api);
    },
  });
  const errorText = h('p.field-error', { id: uid('err'), hidden: true });
  input.setAttribute('aria-describedby', errorText.id);
  form.append(
    field('API key', input, 'The standalone host\'s API key (Webhooks:Api:Keys) or, on Azure Functions, a function key. Kept in this tab only, until you sign out or close it.'),
    errorText,
    h('div.actions', {}, h('button', { type: 'submit' }, 'Sign in')));
  render('Sign in', [], message ? h('p.banner', {}, message) : null, form);
}

async function orgPicker() {
  const orgInput = h('input', { type: 'text', name: 'orgId', required: true, autocomplete: 'off', spellcheck: 'false' });
  const open = (id) => app.go(`#/orgs/${encodeURIComponent(id)}`);
  const form = h('form', { onsubmit: (e) => { e.preventDefault(); if (orgInput.value.trim()) open(orgInput.value.trim()); } },
    field('Organization id', orgInput, 'Any organization id works here, including one with no webhooks yet.'),
    h('div.actions', {}, h('button', { type: 'submit' }, 'Open organization')));
  const listing = h('div', { 'aria-busy': 'true' }, h('p', {}, 'Loading organizations…'));
  render('Organizations', [], h('section.card', { 'aria-labelledby': 'org-open' }, h('h3', { id: 'org-open' }, 'Open an organization'), form),
    h('section.card', { 'aria-labelledby': 'org-list' }, h('h3', { id: 'org-list' }, 'Organizations with webhooks'), listing),
    h('p', {}, h('a', { href: '#/catalogue' }, 'Event catalogue')));
  try {
    const orgs = [];
    let page = await app.api.orgs();
    orgs.push(...page.data);
    while (page.nextPageToken && orgs.length < 1000) { page = await app.api.orgs(page.nextPageToken); orgs.push(...page.data); }
    listing.replaceChildren(orgs.length === 0
      ? h('p', {}, 'No organization has webhooks yet: open one by id above and create the first.')
      : h('ul', {}, orgs.map((o) => h('li', {}, h('a', { href: `#/orgs/${encodeURIComponent(o.id)}` }, o.id), ` (${o.webhookCount} webhook${o.webhookCount === 1 ? '' : 's'})`))));
  } catch (error) {
    if (error.missing) listing.replaceChildren(h('p.note', {}, 'The organization list is not available on this server; open an organization by its id above.'));
    else listing.replaceChildren(h('p.field-error', {}, error.message));
  } finally {
    listing.removeAttribute('aria-busy');
  }
}

async function route() {
  if (!app.api) return;
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  try {
    if (parts[0] === 'catalogue') return await catalogue(app);
    if (parts[0] !== 'orgs' || !parts[1]) {
      return app.mode === 'portal' ? app.go(`#/orgs/${encodeURIComponent(app.organizationId)}`) : await orgPicker();
    }
    const org = parts[1];
    if (app.mode === 'portal' && org !== app.organizationId) return app.go(`#/orgs/${encodeURIComponent(app.organizationId)}`);
    if (parts[2] === 'new') return await webhookForm(app, org, null);
    if (parts[2] === 'webhooks' && parts[3]) {
      return parts[4] === 'edit' ? await webhookForm(app, org, parts[3]) : await webhookDetail(app, org, parts[3]);
    }
    return await webhookList(app, org);
  } catch (error) {
    app.fail(error);
  }
}

function start(api) {
  app.api = api;
  api.onUnauthorized = () => {
    if (app.mode === 'portal') {
      sessionStorage.removeItem(TOKEN_STORE);
      app.api = null;
      render('Session expired', [], h('p.banner', {}, 'Your session expired or is no longer valid. Go back to the product and open the webhooks page again for a new one.'));
    } else {
      sessionStorage.removeItem(KEY_STORE);
      app.api = null;
      signInScreen('The API key was refused (it may have been rotated). Sign in again.');
    }
  };
  signedIn();
  route();
}

async function startPortal() {
  // The token arrives in the fragment so it never reaches a server log; it leaves the address bar at once.
  const match = location.hash.match(/token=([^&]+)/);
  if (match) {
    sessionStorage.setItem(TOKEN_STORE, decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname + location.search + '#/');
  }
  const token = sessionStorage.getItem(TOKEN_STORE);
  if (!token) {
    render('Webhooks portal', [], h('p.banner', {}, 'This page needs a portal link: open it from the product that sent you here.'));
    return;
  }
  const api = new Api('portal', token);
  try {
    const session = await api.session();
    app.organizationId = session.organizationId;
    app.canManage = session.permission === 'manage';
    app.expiresAt = session.expiresAt;
  } catch (error) {
    if (error.status === 401) {
      sessionStorage.removeItem(TOKEN_STORE);
      render('Session expired', [], h('p.banner', {}, 'Your session expired or is no longer valid. Go back to the product and open the webhooks page again for a new one.'));
    } else if (error.missing) {
      render('Webhooks portal', [], h('p.note', {}, 'The customer portal is not available on this server.'));
    } else {
      app.fail(error);
    }
    return;
  }
  start(api);
}

document.getElementById('sign-out').addEventListener('click', signOut);
window.addEventListener('hashchange', route);
if (mode === 'portal') {
  document.getElementById('product').append(h('span.visually-hidden', {}, ' portal'));
  startPortal();
} else {
  const key = sessionStorage.getItem(KEY_STORE);
  if (key) start(new Api('operator', key)); else signInScreen();
}
