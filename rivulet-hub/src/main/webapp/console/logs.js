// Logs: filter the stored entries (service, level, text, time range), export them as a file, follow live.

import { el, call, ndjson, streamUrl, notify, formatTime } from './api.js';

let source = null;

export function leave() {
    if (source) {
        source.close();
        source = null;
    }
}

const LEVELS = ['', 'trace', 'debug', 'info', 'warn', 'error', 'fatal'];

export function show(view) {
    const form = el('form', { class: 'row', id: 'log-filter' },
        el('label', { class: 'field' }, 'Service', el('input', { name: 'service', id: 'log-service', placeholder: 'any', size: '12' })),
        el('label', { class: 'field' }, 'Level at least', el('select', { name: 'level', id: 'log-level' },
            ...LEVELS.map(l => el('option', { value: l }, l || 'any')))),
        el('label', { class: 'field' }, 'Message contains', el('input', { name: 'q', id: 'log-q', size: '16' })),
        el('label', { class: 'field' }, 'From', el('input', { name: 'since', id: 'log-since', type: 'datetime-local', step: '1' })),
        el('label', { class: 'field' }, 'Until', el('input', { name: 'until', id: 'log-until', type: 'datetime-local', step: '1' })),
        el('label', { class: 'field' }, 'Limit', el('input', { name: 'limit', id: 'log-limit', type: 'number', min: '1', value: '200', size: '6' })),
        el('button', { type: 'submit', id: 'log-search' }, 'Search'),
        el('button', { type: 'button', id: 'log-export', class: 'quiet' }, 'Export'),
        el('label', { class: 'check' }, el('input', { type: 'checkbox', id: 'log-follow' }), 'Follow live'));
    const state = el('p', { class: 'muted', id: 'logs-state', role: 'status' }, 'Logs need a token whose subscribe claim covers logs/{service}.');
    const rows = el('tbody', { id: 'log-rows' });
    view.append(el('h1', {}, 'Logs'),
        el('section', { class: 'panel' }, form, state),
        el('p'),
        el('section', { class: 'panel' }, el('div', { class: 'scroll' }, el('table', {},
            el('thead', {}, el('tr', {}, el('th', {}, 'Id'), el('th', {}, 'Time'), el('th', {}, 'Level'),
                el('th', {}, 'Service'), el('th', {}, 'Message'))), rows))));

    function params(withLimit = true) {
        const f = form.elements;
        const p = {};
        if (f.service.value.trim()) {
            p.service = f.service.value.trim();
        }
        if (f.level.value) {
            p.level = f.level.value;
        }
        if (f.q.value) {
            p.q = f.q.value;
        }
        // datetime-local is the browser's local time: the hub wants RFC 3339.
        if (f.since.value) {
            p.since = new Date(f.since.value).toISOString();
        }
        if (f.until.value) {
            p.until = new Date(f.until.value).toISOString();
        }
        if (withLimit && f.limit.value) {
            p.limit = f.limit.value;
        }
        return p;
    }

    function row(entry, live) {
        return el('tr', { 'data-id': entry.id, class: live ? 'live' : null },
            el('td', { class: 'mono' }, entry.id),
            el('td', { class: 'mono' }, formatTime(entry.time)),
            el('td', { class: 'level-' + entry.level }, entry.level),
            el('td', {}, entry.service),
            el('td', {}, entry.message));
    }

    async function search() {
        try {
            const entries = await ndjson('/api/logs?' + new URLSearchParams(params()));
            const shown = entries.filter(e => e.id);
            rows.replaceChildren(...shown.slice().reverse().map(e => row(e)));
            state.textContent = `${shown.length} entries, newest first.`;
            return shown;
        } catch (e) {
            state.textContent = e.message;
            notify(e.message, 'error');
            return null;
        }
    }

    form.addEventListener('submit', e => {
        e.preventDefault();
        search();
    });

    form.querySelector('#log-export').addEventListener('click', async () => {
        try {
            const blob = await (await call('/api/logs?' + new URLSearchParams(params(false)))).blob();
            const a = el('a', { href: URL.createObjectURL(blob), download: 'rivulet-logs.ndjson' });
            document.body.append(a);
            a.click();
            a.remove();
            setTimeout(() => URL.revokeObjectURL(a.href), 10000);
            state.textContent = `Exported ${blob.size} bytes as rivulet-logs.ndjson.`;
        } catch (e) {
            state.textContent = e.message;
            notify(e.message, 'error');
        }
    });

    form.querySelector('#log-follow').addEventListener('change', async e => {
        leave();
        if (!e.target.checked) {
            state.textContent = 'Stopped following.';
            return;
        }
        const shown = await search();
        if (shown === null) {
            e.target.checked = false;
            return;
        }
        const p = params(false);
        p.follow = 'true';
        if (shown.length) {
            p.after = shown.map(s => BigInt(s.id)).reduce((a, b) => (a > b ? a : b)).toString();
        }
        source = new EventSource(streamUrl('/api/logs', p));
        state.textContent = 'Following: new entries appear at the top.';
        source.addEventListener('log', ev => {
            rows.prepend(row(JSON.parse(ev.data), true));
        });
        source.addEventListener('problem', ev => {
            state.textContent = JSON.parse(ev.data).detail || 'the log store failed';
        });
        source.addEventListener('error', async () => {
            if (!source || source.readyState !== EventSource.CLOSED) {
                state.textContent = 'The tail was interrupted; reconnecting…';
                return;
            }
            state.textContent = 'The hub ended the tail; untick and tick Follow to start again.';
            try {
                // The same query once more, as a plain request, to show why the hub refused it.
                await call('/api/logs?' + new URLSearchParams({ ...params(false), limit: '1' }));
            } catch (err) {
                state.textContent = err.message;
                notify(err.message, 'error');
            }
        });
    });
}
