// Talking to the hub: the token (this tab's sessionStorage only), requests, streams and the notice bar.

const TOKEN_KEY = 'rivulet.token';

export function token() {
    return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(value) {
    if (value) {
        sessionStorage.setItem(TOKEN_KEY, value);
    } else {
        sessionStorage.removeItem(TOKEN_KEY);
    }
}

/** Shows a message in the notice bar; kind is 'error', 'ok' or '' (plain). An empty text hides it. */
export function notify(text, kind = '') {
    const bar = document.getElementById('notice');
    bar.textContent = text;
    bar.className = 'notice' + (kind ? ' ' + kind : '');
    bar.hidden = !text;
}

/** Builds an element: attributes (on* as listeners), then children (strings become text, never HTML). */
export function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) {
            continue;
        }
        if (k.startsWith('on') && typeof v === 'function') {
            e.addEventListener(k.slice(2), v);
        } else if (k === 'text') {
            e.textContent = v;
        } else {
            e.setAttribute(k, v === true ? '' : v);
        }
    }
    for (const c of children.flat()) {
        if (c !== null && c !== undefined) {
            e.append(c instanceof Node ? c : document.createTextNode(String(c)));
        }
    }
    return e;
}

/** The problem document's detail, or a sentence about the status when there is none. */
async function refusal(response) {
    let detail = '';
    try {
        const problem = await response.json();
        detail = problem.detail || problem.title || '';
    } catch (notJson) {
        // fall through to the status
    }
    const why = response.status === 401 ? 'the hub refused the token' : response.status === 403
        ? 'the token does not allow this' : 'the hub refused the request';
    return `${why} (${response.status})${detail ? ': ' + detail : ''}`;
}

export class HubError extends Error {
    constructor(message, status) {
        super(message);
        this.status = status;
    }
}

/** fetch() with the token as a bearer header; a refusal throws a HubError whose message says why. */
export async function call(path, options = {}) {
    const headers = new Headers(options.headers || {});
    if (token()) {
        headers.set('Authorization', 'Bearer ' + token());
    }
    const response = await fetch(path, { ...options, headers });
    if (!response.ok) {
        throw new HubError(await refusal(response), response.status);
    }
    return response;
}

export async function json(path, options) {
    return (await call(path, options)).json();
}

/** Lines of an NDJSON answer, parsed. */
export async function ndjson(path, options) {
    const text = await (await call(path, options)).text();
    return text.split('\n').filter(line => line.trim()).map(line => JSON.parse(line));
}

/**
 * A URL for EventSource or WebSocket, which cannot send headers: the token goes in access_token,
 * the one place it appears in a URL.
 */
export function streamUrl(path, params = {}, withToken = true) {
    const url = new URL(path, location.href);
    for (const [k, v] of Object.entries(params)) {
        for (const one of [].concat(v)) {
            if (one !== undefined && one !== null && one !== '') {
                url.searchParams.append(k, one);
            }
        }
    }
    if (withToken && token()) {
        url.searchParams.set('access_token', token());
    }
    if (url.protocol.startsWith('ws') || path.startsWith('/ws')) {
        url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    }
    return url.toString();
}

/** Encodes a topic for a path: each segment percent-encoded, slashes kept. */
export function topicPath(topic) {
    return topic.split('/').map(encodeURIComponent).join('/');
}

export function formatTime(iso) {
    if (!iso) {
        return '';
    }
    const d = new Date(iso);
    return isNaN(d) ? String(iso) : d.toLocaleTimeString([], { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
}
