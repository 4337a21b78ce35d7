// Chat: join a room under a name, presence, send and receive, history on join, missed messages on reconnect.

import { el, streamUrl, formatTime, notify } from './api.js';

let socket = null;
let closing = false;

export function leave() {
    closing = true;
    if (socket) {
        socket.close(1000, 'left');
        socket = null;
    }
}

export function show(view) {
    closing = false;
    const join = el('form', { class: 'row', id: 'chat-join' },
        el('label', { class: 'field' }, 'Room', el('input', { name: 'room', id: 'chat-room', value: 'lobby', required: true })),
        el('label', { class: 'field' }, 'Name', el('input', { name: 'name', id: 'chat-name', placeholder: 'guest', maxlength: '32' })),
        el('button', { type: 'submit', id: 'chat-join-button' }, 'Join'),
        el('button', { type: 'button', id: 'chat-disconnect', class: 'quiet', disabled: true }, 'Disconnect'),
        el('button', { type: 'button', id: 'chat-reconnect', class: 'quiet', disabled: true }, 'Reconnect'));
    const state = el('p', { class: 'muted', id: 'chat-state', role: 'status' }, 'Not in a room.');
    const messages = el('ol', { class: 'feed messages', id: 'chat-messages', 'aria-live': 'polite' });
    const people = el('ul', { class: 'feed', id: 'chat-presence' });
    const say = el('form', { class: 'row', id: 'chat-say' },
        el('label', { class: 'field', style: null }, 'Message', el('input', { name: 'text', id: 'chat-text', size: '50', autocomplete: 'off', disabled: true })),
        el('button', { type: 'submit', id: 'chat-send', disabled: true }, 'Send'));
    view.append(el('h1', {}, 'Chat'),
        el('section', { class: 'panel' }, join, state),
        el('p'),
        el('div', { class: 'chat-layout' },
            el('section', { class: 'panel' }, el('h2', {}, 'Messages'), messages, say),
            el('section', { class: 'panel' }, el('h2', {}, 'In the room'), people)));

    let room = null;
    let name = null;
    let lastId = null;
    let members = new Set();
    let counter = 0;

    function renderPeople() {
        people.replaceChildren(...[...members].map(m => el('li', {}, m)));
    }

    function line(cls, ...parts) {
        messages.append(el('li', { class: cls }, ...parts));
        messages.scrollTop = messages.scrollHeight;
    }

    function message(m, note) {
        line('msg', el('span', { class: 'user' }, m.user), m.text, el('span', { class: 'time' }, formatTime(m.time)),
            note ? el('span', { class: 'time' }, note) : null);
    }

    function setConnected(on) {
        say.elements.text.disabled = !on;
        say.querySelector('button').disabled = !on;
        join.querySelector('#chat-disconnect').disabled = !on;
        join.querySelector('#chat-reconnect').disabled = on || !room;
        join.querySelector('#chat-join-button').disabled = on;
    }

    function connect(resume) {
        const params = { name };
        if (resume && lastId) {
            params.since = lastId;
        }
        closing = false;
        socket = new WebSocket(streamUrl('/ws/chat/' + encodeURIComponent(room), params));
        const mine = socket;
        state.textContent = 'Connecting…';
        mine.addEventListener('message', e => {
            const f = JSON.parse(e.data);
            if (f.id) {
                lastId = f.id;
            }
            switch (f.type) {
                case 'presence':
                    name = f.you;
                    members = new Set(f.users);
                    members.add(f.you);
                    renderPeople();
                    state.textContent = `In room ${f.room} as ${f.you}.`;
                    setConnected(true);
                    if (resume) {
                        line('control', 'reconnected: messages missed meanwhile follow');
                    }
                    break;
                case 'history':
                    if (f.messages.length) {
                        line('control', `history: the last ${f.messages.length} messages`);
                    }
                    f.messages.forEach(m => message(m));
                    break;
                case 'message':
                    message(f, resume ? null : null);
                    break;
                case 'presence_diff':
                    f.joined.forEach(n => members.add(n));
                    f.left.forEach(n => members.delete(n));
                    renderPeople();
                    break;
                case 'error':
                    notify(`Chat: ${f.message}`, 'error');
                    break;
                default:
                    line('control', `${f.type} ${JSON.stringify(f)}`);
            }
        });
        mine.addEventListener('close', e => {
            if (socket === mine) {
                socket = null;
            }
            setConnected(false);
            if (!closing) {
                state.textContent = `Disconnected (${e.code}${e.reason ? ' ' + e.reason : ''}). Reconnect to get what you missed.`;
                if (e.code === 1008 || e.code === 4401 || e.code === 4403) {
                    notify(`Chat refused: ${e.reason || e.code}`, 'error');
                }
            } else {
                state.textContent = 'Disconnected. Reconnect to get what you missed.';
            }
        });
    }

    join.addEventListener('submit', e => {
        e.preventDefault();
        room = join.elements.room.value.trim();
        name = join.elements.name.value.trim() || 'guest';
        lastId = null;
        messages.replaceChildren();
        connect(false);
    });
    join.querySelector('#chat-disconnect').addEventListener('click', () => {
        closing = true;
        if (socket) {
            socket.close(1000, 'disconnect');
        }
    });
    join.querySelector('#chat-reconnect').addEventListener('click', () => connect(true));
    say.addEventListener('submit', e => {
        e.preventDefault();
        const text = say.elements.text.value;
        if (!text.trim() || !socket) {
            return;
        }
        socket.send(JSON.stringify({ type: 'message', text, client_id: 'c' + (++counter) }));
        say.elements.text.value = '';
        say.elements.text.focus();
    });
}
