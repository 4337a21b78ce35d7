// A live line chart of the last N seconds, on uPlot (served by the hub itself from its WebJar).

import uPlot from '../webjars/uplot/1.6.30/dist/uPlot.esm.js';

const COLORS = ['#1f6feb', '#1a7f37', '#cf222e', '#9a6700', '#8250df', '#bf3989', '#0a7ea4', '#57606a'];

export function color(i) {
    return COLORS[i % COLORS.length];
}

/**
 * A chart in `container` with one line per name in `series`; push(time, values) adds a point
 * (values by series index) and keeps the last `keep` points.
 */
export class LiveChart {
    constructor(container, series, { keep = 60, unit = '' } = {}) {
        this.container = container;
        this.keep = keep;
        this.data = [[], ...series.map(() => [])];
        const width = () => Math.max(240, container.clientWidth - 8);
        this.plot = new uPlot({
            width: width(),
            height: 220,
            cursor: { drag: { x: false, y: false } },
            scales: { x: { time: true } },
            axes: [{}, { label: unit, size: 60 }],
            series: [{}, ...series.map((name, i) => ({ label: name, stroke: color(i), width: 2 }))],
        }, this.data, container);
        this.resize = () => this.plot.setSize({ width: width(), height: 220 });
        window.addEventListener('resize', this.resize);
    }

    /** The number of points drawn so far (the tests read it through a data attribute too). */
    get points() {
        return this.data[0].length;
    }

    push(seconds, values) {
        this.data[0].push(seconds);
        values.forEach((v, i) => this.data[i + 1].push(v));
        if (this.data[0].length > this.keep) {
            this.data.forEach(column => column.shift());
        }
        this.plot.setData(this.data);
        this.container.dataset.points = String(this.points);
    }

    destroy() {
        window.removeEventListener('resize', this.resize);
        this.plot.destroy();
    }
}
