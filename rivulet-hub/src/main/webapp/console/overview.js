// Overview: the node's health, connections, traffic and dependencies, live from GET /api/stats.

import { el, streamUrl } from './api.js';
import { LiveChart } from './chart.js';

let source = null;
let chart = null;

function badge(up, yes = 'UP', no = 'DOWN') {
    return el('span', { class: 'badge ' + (up ? 'up' : 'down') }, up ? yes : no);
}

export function show(view) {
    const health = el('dl', { class: 'kv', id: 'health' });
    const connections = el('tbody', { id: 'connections' });
    const totals = el('dl', { class: 'kv', id: 'totals' });
    const deps = el('dl', { class: 'kv', id: 'dependencies' });
    const chartBox = el('div', { class: 'chart', id: 'traffic-chart' });
    const state = el('p', { class: 'muted', id: 'stats-state' }, 'Connecting to the stats stream…');
    view.append(
        el('h1', {}, 'Overview'),
        state,
        el('div', { class: 'grid' },
            el('section', { class: 'panel' }, el('h2', {}, 'Health'), health),
            el('section', { class: 'panel' }, el('h2', {}, 'Open connections'),
                el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Transport'), el('th', { class: 'num' }, 'Open'))),
                    connections)),
            el('section', { class: 'panel' }, el('h2', {}, 'Traffic'), totals),
            el('section', { class: 'panel' }, el('h2', {}, 'Broker and database'), deps),
            el('section', { class: 'panel wide' }, el('h2', {}, 'Events per second'), chartBox)));
    chart = new LiveChart(chartBox, ['published/s', 'delivered/s'], { unit: 'events/s' });

    source = new EventSource(streamUrl('/api/stats', {}, false));
    source.addEventListener('open', () => {
        state.textContent = 'Live: one sample a second.';
    });
    source.addEventListener('error', () => {
        state.textContent = 'The stats stream was interrupted; reconnecting…';
    });
    source.addEventListener('stats', e => render(JSON.parse(e.data)));

    function render(s) {
        const checks = s.checks || {};
        const reasons = Object.entries(checks)
            .filter(([k, v]) => v === true && (k === 'starting' || k === 'draining') || typeof v === 'string' && v.startsWith('DOWN'))
            .map(([k, v]) => (v === true ? k : `${k}: ${v}`));
        health.replaceChildren(
            el('dt', {}, 'Live'), el('dd', { id: 'health-live' }, badge(s.live)),
            el('dt', {}, 'Ready'), el('dd', { id: 'health-ready' }, badge(s.ready)),
            el('dt', {}, 'Why not ready'), el('dd', { id: 'health-why' }, reasons.length ? reasons.join('; ') : '—'),
            el('dt', {}, 'Sampled'), el('dd', { class: 'mono' }, new Date(s.time).toLocaleTimeString([], { hour12: false })));
        connections.replaceChildren(...Object.entries(s.connections).map(([t, n]) =>
            el('tr', {}, el('td', {}, t), el('td', { class: 'num', id: 'connections-' + t }, String(n)))),
            el('tr', {}, el('th', {}, 'limit'), el('td', { class: 'num muted' }, String(s.connections_max))));
        totals.replaceChildren(
            el('dt', {}, 'Published/s'), el('dd', { id: 'published-rate' }, String(s.published_per_second)),
            el('dt', {}, 'Delivered/s'), el('dd', { id: 'delivered-rate' }, String(s.delivered_per_second)),
            el('dt', {}, 'Published'), el('dd', {}, String(s.published)),
            el('dt', {}, 'Delivered'), el('dd', {}, String(s.delivered)),
            el('dt', {}, 'Closed as slow'), el('dd', { id: 'closed-slow' }, String(s.closed_slow)),
            el('dt', {}, 'Topics'), el('dd', {}, String(s.topics)),
            el('dt', {}, 'Subscribers'), el('dd', { id: 'subscribers' }, String(s.subscribers)));
        const db = checks.database;
        deps.replaceChildren(
            el('dt', {}, 'Broker'), el('dd', { id: 'broker' }, s.broker, ' ',
                badge(checks.broker === undefined || checks.broker === 'UP')),
            el('dt', {}, 'Database'), el('dd', { id: 'database' },
                db === undefined ? 'not checked' : badge(db === 'UP'), db && db !== 'UP' ? ' ' + db : ''));
        chart.push(Date.parse(s.time) / 1000, [s.published_per_second, s.delivered_per_second]);
    }
}

export function leave() {
    if (source) {
        source.close();
        source = null;
    }
    if (chart) {
        chart.destroy();
        chart = null;
    }
}
