// The event catalogue: each type with its description and sample payload, and the envelope's JSON Schema.
import { h } from './dom.js';

const pretty = (value) => JSON.stringify(value, null, 2);

export async function catalogue(app) {
  const types = (await app.api.eventTypes()).data;
  app.eventTypes = types;
  const schema = h('div', {}, h('p', {}, 'Loading the schema…'));
  app.render('Event catalogue', app.crumbs(app.mode === 'portal' ? app.organizationId : null, ['Event catalogue', '']),
    h('p', {}, 'Every event type a webhook can subscribe to. A generic webhook receives the envelope below; chat webhooks get a message built from it.'),
    types.map((t) => h('section.card', { 'aria-labelledby': `type-${t.name}` },
      h('h3', { id: `type-${t.name}` }, h('code', {}, t.name)),
      h('p', {}, t.description),
      t.sample
        ? h('details', {}, h('summary', {}, `Sample ${t.name} event`), h('pre', { tabindex: '0', 'aria-label': `Sample ${t.name} event` }, h('code', {}, pretty(t.sample))))
        : h('p.note', {}, 'No sample payload is available on this server.'))),
    h('section.card', { 'aria-labelledby': 'schema' }, h('h3', { id: 'schema' }, 'JSON Schema of the event envelope'), schema));
  try {
    const document = await app.api.eventSchema();
    schema.replaceChildren(h('details', {}, h('summary', {}, 'Show the schema'), h('pre', { tabindex: '0', 'aria-label': 'Event envelope JSON Schema' }, h('code', {}, pretty(document)))));
  } catch (error) {
    schema.replaceChildren(h('p.note', {}, error.missing ? 'The schema is not available on this server.' : error.message));
  }
}
