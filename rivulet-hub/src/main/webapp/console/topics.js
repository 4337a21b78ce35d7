// Topics: the list; one topic's live events (SSE, with its cursor, cut and resume), publish, history.

import { el, json, ndjson, call, notify, streamUrl, topicPath, formatTime, HubError } from './api.js';

let source = null;
let timer = null;

export function show(view, topic) {
    if (topic) {
        showTopic(view, topic);
    } else {
        showList(view);
    }
}

export function leave() {
    if (source) {
        source.close();
        source = null;
    }
    clearInterval(timer);
    timer = null;
}

function showList(view) {
    const rows = el('tbody', { id: 'topic-rows' });
    const state = el('p', { class: 'muted', id: 'topics-state' }, 'Loading…');
    const open = el('form', { class: 'row', id: 'open-topic' },
        el('label', { class: 'field' }, 'Topic', el('input', { name: 'topic', required: true, placeholder: 'demo', id: 'open-topic-name' })),
        el('button', { type: 'submit' }, 'Open'));
    open.addEventListener('submit', e => {
        e.preventDefault();
        location.hash = '#/topics/' + encodeURIComponent(open.elements.topic.value.trim());
    });
    view.append(el('h1', {}, 'Topics'),
        el('section', { class: 'panel' }, el('h2', {}, 'Open a topic'), open),
        el('p'),
        el('section', { class: 'panel' }, el('h2', {}, 'Known topics'), state,
            el('div', { class: 'scroll' }, el('table', {},
                el('thead', {}, el('tr', {}, el('th', {}, 'Topic'), el('th', { class: 'num' }, 'Subscribers'),
                    el('th', { class: 'num' }, 'Retained'), el('th', {}, 'Last id'))),
                rows))));
    async function load() {
        try {
            const { topics } = await json('/api/topics');
            state.textContent = topics.length ? `${topics.length} topics; refreshed every 5 s.` : 'No topics yet: publish to one.';
            rows.replaceChildren(...topics.map(t => el('tr', {},
                el('td', {}, el('a', { href: '#/topics/' + encodeURIComponent(t.topic) }, t.topic)),
                el('td', { class: 'num' }, String(t.subscribers)),
                el('td', { class: 'num' }, String(t.retained)),
                el('td', { class: 'mono' }, t.last_id || '—'))));
        } catch (e) {
            state.textContent = e instanceof HubError && e.status === 401
                ? 'Listing topics needs a token: paste one above.' : String(e.message);
        }
    }
    load();
    timer = setInterval(load, 5000);
}

function showTopic(view, topic) {
    const feed = el('ol', { class: 'feed', id: 'live-events', 'aria-live': 'off' });
    const cursor = el('code', { id: 'cursor' }, '—');
    const count = el('span', { id: 'live-count' }, '0');
    const streamState = el('span', { id: 'stream-state', class: 'badge down' }, 'closed');
    const cut = el('button', { type: 'button', id: 'cut', class: 'quiet' }, 'Cut stream');
    const resume = el('button', { type: 'button', id: 'resume', disabled: true }, 'Resume');
    const seen = new Set();
    let lastId = null;
    let duplicates = 0;
    const dupes = el('span', { id: 'duplicates' }, '0');

    function connect() {
        const url = streamUrl('/api/topics/' + topicPath(topic), lastId ? { since: lastId } : {});
        source = new EventSource(url);
        source.addEventListener('open', () => {
            streamState.textContent = 'live';
            streamState.className = 'badge up';
        });
        source.addEventListener('error', async () => {
            streamState.textContent = source && source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting';
            streamState.className = 'badge down';
            if (source && source.readyState === EventSource.CLOSED) {
                explain();
            }
        });
        source.onmessage = e => add('message', e);
        for (const t of ['gap', 'lagged', 'shutdown']) {
            source.addEventListener(t, e => control(t, e.data));
        }
        // Named event types: EventSource needs a listener per type, so the list learns them from history.
        knownTypes.forEach(t => source.addEventListener(t, e => add(t, e)));
    }
    const knownTypes = new Set();

    async function explain() {
        try {
            await call('/api/poll?topic=' + encodeURIComponent(topic) + '&timeout=0');
            notify('The stream to ' + topic + ' ended; press Resume to go on from the cursor.');
        } catch (e) {
            notify(e.message, 'error');
        }
    }

    function control(type, data) {
        feed.prepend(el('li', { class: 'control' }, `${type} ${data}`));
    }

    function add(type, e) {
        if (e.lastEventId) {
            lastId = e.lastEventId;
            cursor.textContent = lastId;
        }
        if (!e.data) {
            return;
        }
        if (seen.has(e.lastEventId)) {
            duplicates++;
            dupes.textContent = String(duplicates);
        }
        seen.add(e.lastEventId);
        count.textContent = String(seen.size);
        feed.prepend(el('li', { 'data-id': e.lastEventId },
            el('span', { class: 'id' }, e.lastEventId), el('span', { class: 'type' }, type), e.data));
        while (feed.children.length > 500) {
            feed.lastChild.remove();
        }
    }

    cut.addEventListener('click', () => {
        if (source) {
            source.close();
            source = null;
        }
        streamState.textContent = 'cut';
        streamState.className = 'badge warn';
        cut.disabled = true;
        resume.disabled = false;
        resume.focus();
    });
    resume.addEventListener('click', () => {
        connect();
        cut.disabled = false;
        resume.disabled = true;
    });

    const form = el('form', { id: 'publish' },
        el('label', { class: 'field' }, 'Data (JSON)',
            el('textarea', { name: 'data', id: 'publish-data', required: true, spellcheck: 'false' }, '{"text":"hello"}')),
        el('div', { class: 'row' },
            el('label', { class: 'field' }, 'Type', el('input', { name: 'type', id: 'publish-type', placeholder: 'message' })),
            el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'private', id: 'publish-private' }), 'Private'),
            el('button', { type: 'submit', id: 'publish-send' }, 'Publish')),
        el('p', { class: 'muted', id: 'publish-result', role: 'status' }));
    form.addEventListener('submit', async e => {
        e.preventDefault();
        const type = form.elements.type.value.trim();
        const params = new URLSearchParams();
        if (type) {
            params.set('type', type);
        }
        if (form.elements.private.checked) {
            params.set('private', 'true');
        }
        const result = form.querySelector('#publish-result');
        try {
            if (type && !knownTypes.has(type) && type !== 'message') {
                knownTypes.add(type);
                if (source) {
                    source.addEventListener(type, ev => add(type, ev));
                }
            }
            const answer = await json('/api/topics/' + topicPath(topic) + (params.size ? '?' + params : ''), {
                method: 'POST', headers: { 'Content-Type': 'application/json' }, body: form.elements.data.value,
            });
            result.textContent = `Published ${answer.id}; delivered to ${answer.delivered_to}.`;
        } catch (err) {
            result.textContent = err.message;
        }
    });

    const historyRows = el('tbody', { id: 'history-rows' });
    const historyState = el('p', { class: 'muted' });
    const pageSize = 20;
    let pages = [null];
    const older = el('button', { type: 'button', class: 'quiet', id: 'history-first' }, 'First page');
    const newer = el('button', { type: 'button', class: 'quiet', id: 'history-next' }, 'Next page');
    async function loadHistory(since) {
        try {
            const q = new URLSearchParams({ limit: String(pageSize) });
            if (since) {
                q.set('since', since);
            }
            const lines = await ndjson('/api/topics/' + topicPath(topic) + '/history?' + q);
            const events = lines.filter(l => l.id);
            lines.filter(l => l.type && !l.id).forEach(l => historyState.textContent = `${l.type}: ${JSON.stringify(l.data)}`);
            historyRows.replaceChildren(...events.map(ev => {
                if (ev.type !== 'message') {
                    knownTypes.add(ev.type);
                }
                return el('tr', {}, el('td', { class: 'mono' }, ev.id), el('td', {}, ev.type),
                    el('td', { class: 'mono' }, formatTime(ev.time)), el('td', { class: 'mono' }, JSON.stringify(ev.data)));
            }));
            historyState.textContent = events.length ? `${events.length} events after ${since || 'the oldest retained'}.` : 'No more retained events.';
            newer.disabled = events.length < pageSize;
            newer.dataset.since = events.length ? events[events.length - 1].id : '';
        } catch (err) {
            historyState.textContent = err.message;
        }
    }
    older.addEventListener('click', () => loadHistory(null));
    newer.addEventListener('click', () => loadHistory(newer.dataset.since));

    view.append(
        el('p', {}, el('a', { href: '#/topics' }, '← All topics')),
        el('h1', {}, 'Topic ', el('code', { id: 'topic-name' }, topic)),
        el('div', { class: 'grid' },
            el('section', { class: 'panel wide' }, el('h2', {}, 'Live'),
                el('div', { class: 'row' }, streamState, el('span', {}, 'Cursor ', cursor),
                    el('span', {}, 'Events ', count), el('span', {}, 'Repeated ', dupes), cut, resume),
                el('p', { class: 'muted' }, 'Cut closes the stream; Resume reconnects with the cursor (since=), so events published meanwhile arrive once.'),
                el('div', { class: 'scroll' }, feed)),
            el('section', { class: 'panel' }, el('h2', {}, 'Publish'), form),
            el('section', { class: 'panel history' }, el('h2', {}, 'History'), el('div', { class: 'row' }, older, newer), historyState,
                el('div', { class: 'scroll' }, el('table', {},
                    el('thead', {}, el('tr', {}, el('th', {}, 'Id'), el('th', {}, 'Type'), el('th', {}, 'Time'), el('th', {}, 'Data'))),
                    historyRows)))));
    loadHistory(null).then(connect);
}
