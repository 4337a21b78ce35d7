// Prices: the demo ticker (GET /api/prices) as a live chart and a table, one line per symbol.

import { el, streamUrl, formatTime } from './api.js';
import { LiveChart, color } from './chart.js';

let source = null;
let chart = null;

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

export function show(view) {
    const rows = el('tbody', { id: 'price-rows' });
    const box = el('div', { class: 'chart', id: 'price-chart' });
    const state = el('p', { class: 'muted', id: 'prices-state' }, 'Waiting for the first ticks…');
    view.append(el('h1', {}, 'Prices'), state,
        el('div', { class: 'grid' },
            el('section', { class: 'panel wide' }, el('h2', {}, 'Last minute'), box),
            el('section', { class: 'panel wide' }, el('h2', {}, 'Symbols'), el('table', {},
                el('thead', {}, el('tr', {}, el('th', {}, 'Symbol'), el('th', { class: 'num' }, 'Price'),
                    el('th', { class: 'num' }, 'Change'), el('th', {}, 'Updated'))), rows))));

    const symbols = [];
    const latest = new Map();
    let ticks = 0;
    let pending = null;

    function flush(time) {
        if (!chart) {
            chart = new LiveChart(box, symbols, { keep: 120, unit: 'price' });
        }
        chart.push(time, symbols.map(s => latest.get(s)?.price ?? null));
    }

    source = new EventSource(streamUrl('/api/prices', {}, false));
    source.addEventListener('tick', e => {
        const t = JSON.parse(e.data);
        ticks++;
        const known = symbols.includes(t.symbol);
        if (!known && !chart) {
            symbols.push(t.symbol);
        }
        latest.set(t.symbol, { ...t, time: new Date() });
        state.textContent = `${ticks} ticks received.`;
        box.dataset.ticks = String(ticks);
        // One chart point per round of ticks: a symbol seen again starts the next round.
        if (pending !== null && pending.has(t.symbol)) {
            flush(Date.now() / 1000);
            pending = new Set();
        }
        (pending ||= new Set()).add(t.symbol);
        render();
    });
    source.addEventListener('error', () => {
        state.textContent = 'The ticker stream was interrupted; reconnecting…';
    });

    function render() {
        rows.replaceChildren(...[...latest.values()].sort((a, b) => a.symbol.localeCompare(b.symbol)).map(t => {
            const i = symbols.indexOf(t.symbol);
            return el('tr', { 'data-symbol': t.symbol },
                el('td', {}, i >= 0 ? el('span', { class: 'legend-dot', 'data-color': String(i) }) : null, t.symbol),
                el('td', { class: 'num' }, Number(t.price).toFixed(2)),
                el('td', { class: 'num ' + (t.change >= 0 ? 'change-up' : 'change-down') }, (t.change >= 0 ? '+' : '') + Number(t.change).toFixed(2)),
                el('td', { class: 'mono' }, formatTime(t.time)));
        }));
        for (const dot of rows.querySelectorAll('.legend-dot')) {
            dot.style.background = color(Number(dot.dataset.color));
        }
    }
}
