// The console's shell: the token field, the navigation and the page router (#/page/argument).

import { notify, setToken, token, json, HubError } from './api.js';
import * as overview from './overview.js';
import * as topics from './topics.js';
import * as chat from './chat.js';
import * as prices from './prices.js';
import * as logs from './logs.js';

const pages = { overview, topics, chat, prices, logs };
let current = null;

function route() {
    const [, name = 'overview', ...rest] = location.hash.split('/');
    const page = pages[name] ? name : 'overview';
    if (current && current.leave) {
        current.leave();
    }
    notify('');
    for (const a of document.querySelectorAll('nav a[data-page]')) {
        if (a.dataset.page === page) {
            a.setAttribute('aria-current', 'page');
        } else {
            a.removeAttribute('aria-current');
        }
    }
    const view = document.getElementById('view');
    view.replaceChildren();
    current = pages[page];
    document.title = `${page[0].toUpperCase()}${page.slice(1)} · Rivulet console`;
    current.show(view, rest.map(decodeURIComponent).join('/'));
}

async function checkToken() {
    if (!token()) {
        notify('Token cleared: the console now acts anonymously (public streams only).');
        return;
    }
    try {
        await json('/api/topics');
        notify('Token accepted.', 'ok');
    } catch (e) {
        notify(e instanceof HubError ? e.message : 'The hub could not be reached.', 'error');
    }
}

function setUp() {
    const form = document.getElementById('token-form');
    const input = document.getElementById('token');
    input.value = token();
    form.addEventListener('submit', async event => {
        event.preventDefault();
        setToken(input.value.trim());
        route();
        await checkToken();
    });
    document.getElementById('token-clear').addEventListener('click', () => {
        input.value = '';
        setToken('');
        route();
        checkToken();
    });
    window.addEventListener('hashchange', route);
    route();
}

setUp();
