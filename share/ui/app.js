// upsgate's only browser script (served from this box; the CSP allows no other). It follows
// /live to keep the status cards and the event log current, asks before sending a command that
// cuts power, shows the settings fields of the chosen UPS Mode, and prints times in the
// browser's own time zone. The pages work without it, only not live.
'use strict';

function applyCard(card) {
  for (const el of document.querySelectorAll('[data-ups]')) {
    if (el.getAttribute('data-ups') !== card.name) continue;
    el.classList.remove('ok', 'warn', 'bad');
    el.classList.add(card.severity);
    for (const field of el.querySelectorAll('[data-field]')) {
      const text = card.text[field.getAttribute('data-field')];
      if (text !== undefined && field.textContent !== text) field.textContent = text;
    }
    const meter = el.querySelector('[data-meter="charge"]');
    if (meter) meter.value = card.charge === null ? 0 : card.charge;
  }
}

function localTime(el) {
  const d = new Date(el.getAttribute('datetime'));
  if (!Number.isNaN(d.getTime())) el.textContent = d.toLocaleString();
}

const KIND = { power: 'Power', notify: 'Notification', driver: 'Driver', command: 'Command', login: 'Login', settings: 'Settings' };

function addJournal(entry) {
  for (const table of document.querySelectorAll('[data-journal="live"] tbody')) {
    const empty = table.querySelector('tr.empty');
    if (empty) empty.remove();
    const row = document.createElement('tr');
    row.className = entry.level;
    const time = document.createElement('time');
    time.setAttribute('datetime', new Date(entry.wallTime).toISOString());
    localTime(time);
    const cells = [time, KIND[entry.kind] || entry.kind, entry.ups || '', entry.message];
    for (const c of cells) {
      const td = document.createElement('td');
      if (typeof c === 'string') td.textContent = c; else td.appendChild(c);
      row.appendChild(td);
    }
    table.insertBefore(row, table.firstChild);
    while (table.rows.length > 200) table.deleteRow(table.rows.length - 1);
  }
}

function followLive() {
  const live = document.querySelector('[data-live]') || document.querySelector('[data-journal="live"]');
  if (!live || typeof EventSource === 'undefined') return;
  const source = new EventSource('/live');
  source.addEventListener('ups', (e) => applyCard(JSON.parse(e.data)));
  source.addEventListener('journal', (e) => addJournal(JSON.parse(e.data)));
  source.addEventListener('open', () => document.body.classList.remove('offline'));
  source.addEventListener('error', () => document.body.classList.add('offline'));
}

// A command that cuts power goes only after the person says yes; the server asks again on a
// page of its own when the form arrives without confirmed=yes (no script, or an old page).
function confirmDangerous() {
  document.addEventListener('submit', (e) => {
    const form = e.target;
    const question = form.getAttribute && form.getAttribute('data-confirm');
    if (!question) return;
    if (!window.confirm(question)) {
      e.preventDefault();
      return;
    }
    const yes = document.createElement('input');
    yes.type = 'hidden';
    yes.name = 'confirmed';
    yes.value = 'yes';
    form.appendChild(yes);
  });
}

function modeFields() {
  const mode = document.querySelector('select[name="upsMode"]');
  if (!mode) return;
  const show = () => {
    for (const el of document.querySelectorAll('[data-mode]')) el.hidden = el.getAttribute('data-mode') !== mode.value;
  };
  mode.addEventListener('change', show);
  show();
}

document.addEventListener('DOMContentLoaded', () => {
  for (const t of document.querySelectorAll('time[datetime]')) localTime(t);
  followLive();
  confirmDangerous();
  modeFields();
});
