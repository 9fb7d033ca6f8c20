// The page's one way to the HTTP API. Operator mode sends the entered key (as the standalone host's
// X-Api-Key and the Functions app's x-functions-key); portal mode sends the session token as a bearer token.

/** An answer that was not 2xx: its status and the problem+json body (title, detail, errors by field). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The server answered ${status}.`);
    this.status = status;
    this.problem = problem || {};
    this.fieldErrors = problem?.errors || {};
  }

  /** The route is not served here (yet): the page shows "not available" instead of failing. */
  get missing() { return this.status === 404 && !this.problem.detail?.match(/^(Webhook|Delivery|Organization) /); }
}

export class Api {
  /** @param {"operator"|"portal"} mode */
  constructor(mode, credential) {
    this.mode = mode;
    this.credential = credential;
    this.base = mode === 'portal' ? '/api/portal' : '/api';
    this.onUnauthorized = () => {};
  }

  headers(extra) {
    const h = { Accept: 'application/json', ...extra };
    if (this.mode === 'portal') {
      h.Authorization = `Bearer ${this.credential}`;
    } else {
      h['X-Api-Key'] = this.credential;
      h['x-functions-key'] = this.credential;
    }
    return h;
  }

  async call(method, path, body, extraHeaders) {
    const init = { method, headers: this.headers(extraHeaders), cache: 'no-store' };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers['Content-Type'] = 'application/json';
    }
    let response;
    try {
      response = await fetch(this.base + path, init);
    } catch {
      throw new ApiError(0, { title: 'No answer', detail: 'The server could not be reached. Check the connection and try again.' });
    }
    const text = await response.text();
    let json = null;
    if (text) {
      try { json = JSON.parse(text); } catch { json = { detail: text.slice(0, 300) }; }
    }
    if (!response.ok) {
      const error = new ApiError(response.status, json);
      if (response.status === 401) this.onUnauthorized(error);
      throw error;
    }
    return { data: json, etag: response.headers.get('ETag') };
  }

  async get(path) { return (await this.call('GET', path)).data; }

  org(orgId, rest = '') { return `/orgs/${encodeURIComponent(orgId)}${rest}`; }

  webhook(orgId, id, rest = '') { return this.org(orgId, `/webhooks/${encodeURIComponent(id)}${rest}`); }

  // Reads
  session() { return this.get('/session'); }
  orgs(pageToken) { return this.get(`/orgs?limit=100${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`); }
  eventTypes() { return this.get('/event-types'); }
  eventSchema() { return this.get('/event-types/schema'); }
  webhooks(orgId, pageToken) { return this.get(this.org(orgId, `/webhooks?limit=50${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`)); }
  getWebhook(orgId, id) { return this.call('GET', this.webhook(orgId, id)); }
  stats(orgId, id) { return this.get(this.webhook(orgId, id, '/stats')); }
  deliveries(orgId, id, { status, eventType, pageToken } = {}) {
    const q = new URLSearchParams({ limit: '25' });
    if (status) q.set('status', status);
    if (eventType) q.set('eventType', eventType);
    if (pageToken) q.set('pageToken', pageToken);
    return this.get(this.webhook(orgId, id, `/deliveries?${q}`));
  }
  delivery(orgId, id, deliveryId) { return this.get(this.webhook(orgId, id, `/deliveries/${encodeURIComponent(deliveryId)}`)); }

  // Changes
  create(orgId, body) { return this.call('POST', this.org(orgId, '/webhooks'), body); }
  update(orgId, id, body, etag) { return this.call('PATCH', this.webhook(orgId, id), body, etag ? { 'If-Match': etag } : undefined); }
  remove(orgId, id) { return this.call('DELETE', this.webhook(orgId, id)); }
  regenerate(orgId, id, revokePrevious) { return this.call('POST', this.webhook(orgId, id, `/secret/regenerate${revokePrevious ? '?revokePrevious=true' : ''}`)); }
  test(orgId, id) { return this.call('POST', this.webhook(orgId, id, '/test')); }
  recover(orgId, id, since) { return this.call('POST', this.webhook(orgId, id, `/recover?since=${encodeURIComponent(since)}`)); }
  resend(orgId, id, deliveryId) { return this.call('POST', this.webhook(orgId, id, `/deliveries/${encodeURIComponent(deliveryId)}/resend`)); }
}
