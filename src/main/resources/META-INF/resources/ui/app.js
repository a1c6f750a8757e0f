// The dashboard: sign-in, then four pages chosen by the URL's #fragment.
import * as api from './api.js';
import { render, csv, esc } from './report.js';
import { trendChart, fmt } from './charts.js';

const page = document.getElementById('page');
let me = null;

function show(html) {
  page.innerHTML = html;
  document.getElementById('main').focus();
}

function problem(e) {
  if (e.status === 401) { signedOut(); return ''; }
  return `<p class="error" role="alert">${esc(e.message)}</p>`;
}

async function measures(network) {
  const b = await api.getJson(network ? '/network/fhir/Measure?_count=500' : '/fhir/Measure?_count=500');
  return (b.entry || []).map(e => e.resource);
}

const pages = {
  async catalog() {
    show('<h2>Network catalog</h2><p>Loading…</p>');
    try {
      const list = await measures(me.role !== 'site-staff');
      show(`<h2>Network catalog</h2><table id="catalog"><caption>Measures published to the network</caption>
        <thead><tr><th scope="col">Measure</th><th scope="col">Version</th><th scope="col">Title</th>
        <th scope="col">Status</th><th scope="col">Scoring</th></tr></thead><tbody>${list.map(m => `<tr>
        <th scope="row">${esc(m.id)}</th><td>${esc(m.version)}</td><td>${esc(m.title || m.name)}</td>
        <td>${esc(m.status)}</td><td>${esc(m.scoring?.coding?.[0]?.code)}</td></tr>`).join('')}</tbody></table>`);
    } catch (e) { show('<h2>Network catalog</h2>' + problem(e)); }
  },

  async query() {
    const local = me.role === 'site-staff';
    let list = [];
    try { list = await measures(!local); } catch (e) { show(problem(e)); return; }
    show(`<h2>${local ? 'Evaluate on this site only' : 'Run a network query'}</h2>
      ${local ? '<p class="local-banner">Site-only evaluation: this site\'s own data, not a network result.</p>' : ''}
      <form id="query-form">
        <label for="measure">Measure</label>
        <select id="measure" name="measure" required>${list.map(m =>
          `<option value="${esc(m.id)}">${esc(m.title || m.id)} (${esc(m.version || 'no version')})</option>`).join('')}</select>
        <label for="period-start">Period start</label><input id="period-start" type="date" value="2024-01-01" required>
        <label for="period-end">Period end</label><input id="period-end" type="date" value="2024-12-31" required>
        <button type="submit" id="run">${local ? 'Evaluate here' : 'Run across the network'}</button>
      </form>
      <div id="progress" role="status" aria-live="polite"></div><div id="result"></div>`);
    document.getElementById('query-form').addEventListener('submit', async ev => {
      ev.preventDefault();
      const id = document.getElementById('measure').value;
      const q = `periodStart=${document.getElementById('period-start').value}&periodEnd=${
        document.getElementById('period-end').value}`;
      const progress = document.getElementById('progress'), result = document.getElementById('result');
      result.innerHTML = '';
      progress.className = 'running';
      progress.textContent = 'Submitting…';
      try {
        let report;
        if (local) {
          report = await (await api.get(`/fhir/Measure/${encodeURIComponent(id)}/$evaluate-measure?${q}`)).json();
        } else {
          report = await api.evaluateAsync(`/network/fhir/Measure/${encodeURIComponent(id)}/$evaluate-measure?${q}`,
            step => { progress.textContent = `Progress: ${step}`; });
        }
        progress.className = 'done';
        progress.textContent = 'Progress: done';
        showReport(result, report, local);
      } catch (e) {
        progress.className = 'failed';
        progress.innerHTML = `<strong>The query failed.</strong> ${problem(e)}`;
      }
    });
  },

  async history() {
    let list = [];
    try { list = await measures(true); } catch (e) { show('<h2>History</h2>' + problem(e)); return; }
    show(`<h2>Report history</h2><form id="history-form"><label for="history-measure">Measure</label>
      <select id="history-measure">${list.map(m => `<option value="${esc(m.id)}">${esc(m.title || m.id)}</option>`)
      .join('')}</select><button type="submit">Show</button></form><div id="history-result"></div>`);
    const form = document.getElementById('history-form');
    const load = async ev => {
      ev?.preventDefault();
      const id = document.getElementById('history-measure').value, out = document.getElementById('history-result');
      // reports are filed under the measure's canonical URL, not its id
      const canonical = list.find(m => m.id === id)?.url || id;
      try {
        const b = await api.getJson(`/network/fhir/MeasureReport?measure=${encodeURIComponent(canonical)}`);
        const reports = (b.entry || []).map(e => e.resource)
          .sort((a, c) => (a.period?.start || '').localeCompare(c.period?.start || '') || (a.date || '').localeCompare(c.date || ''));
        if (!reports.length) { out.innerHTML = '<p>No network report for this measure yet.</p>'; return; }
        const points = reports.map(r => ({ label: `${(r.period?.start || '').slice(0, 10)}`,
          value: r.group?.[0]?.measureScore?.value ?? null, report: r }));
        // null: masked (or no score); the chart marks it instead of drawing a line through it
        out.innerHTML = '';
        const fig = document.createElement('div');
        fig.className = 'figure';
        const c = document.createElement('div');
        c.className = 'chart';
        c.appendChild(trendChart(`Score of ${id} per period`, points));
        fig.appendChild(c);
        const t = document.createElement('table');
        t.innerHTML = `<caption>Network reports of ${esc(id)}</caption><thead><tr><th scope="col">Period</th>
          <th scope="col">Run</th><th scope="col">Score</th><th scope="col">Report</th></tr></thead><tbody>${points.map(p =>
          `<tr><th scope="row">${esc(p.report.period?.start)} – ${esc(p.report.period?.end)}</th><td>${esc(p.report.date)}</td>
          <td>${fmt(p.value)}</td><td><a href="#report/${esc(p.report.id)}">open</a></td></tr>`).join('')}</tbody>`;
        fig.appendChild(t);
        out.appendChild(fig);
      } catch (e) { out.innerHTML = problem(e); }
    };
    form.addEventListener('submit', load);
    if (list.length) load();
  },

  async report(id) {
    try {
      const r = await api.getJson(`/network/fhir/MeasureReport/${encodeURIComponent(id)}`);
      show('<h2>Network report</h2><div id="result"></div>');
      showReport(document.getElementById('result'), r, false);
    } catch (e) { show('<h2>Network report</h2>' + problem(e)); }
  },

  async site() {
    show(`<h2>This site</h2><div id="readiness"></div><div id="peers"></div><div id="counts"></div>
      <div id="loads"></div>`);
    await Promise.all([readiness(), peers(), counts(), loads()]);
  }
};

async function readiness() {
  const ready = document.getElementById('readiness');
  try {
    const r = await fetch('/q/health/ready');
    const h = await r.json();
    ready.innerHTML = `<table id="readiness-table"><caption>Readiness: ${esc(h.status)}</caption><thead><tr>
      <th scope="col">Check</th><th scope="col">Status</th><th scope="col">Details</th></tr></thead><tbody>${
      (h.checks || []).map(c => `<tr><th scope="row">${esc(c.name)}</th><td>${esc(c.status)}</td><td>${
      Object.entries(c.data || {}).map(([k, v]) => `<div><span class="key">${esc(k)}</span>: <code>${esc(
      typeof v === 'object' ? JSON.stringify(v) : v)}</code></div>`).join('')}</td></tr>`).join('')}</tbody></table>`;
  } catch (e) { ready.innerHTML = `<p class="error">Readiness unavailable: ${esc(e.message)}</p>`; }
}

const yesNo = v => v ? '<span class="ok">yes</span>' : '<span class="bad">no</span>';

/** Each other site probed now: reachable, same epoch / key / policy, last seen (GET /ui/api/peers). */
async function peers() {
  const out = document.getElementById('peers');
  try {
    const list = (await api.getJson('/ui/api/peers')).peers;
    if (!list.length) { out.innerHTML = '<p>This node belongs to no network: no peers.</p>'; return; }
    out.innerHTML = `<table id="peers-table"><caption>Peers, probed now (${list.filter(p => p.ready).length} of
      ${list.length} ready)</caption><thead><tr><th scope="col">Site</th><th scope="col">Ready</th>
      <th scope="col">Reachable</th><th scope="col">Same key epoch</th><th scope="col">Same collective key</th>
      <th scope="col">Same privacy policy</th><th scope="col">Last seen</th><th scope="col">Round trip</th>
      <th scope="col">Problem</th></tr></thead><tbody>${list.map(p => `<tr data-site="${esc(p.site)}">
      <th scope="row">${esc(p.site)}</th><td class="ready">${yesNo(p.ready)}</td><td>${yesNo(p.reachable)}</td>
      <td>${yesNo(p.sameEpoch)}</td><td>${yesNo(p.sameKey)}</td><td>${yesNo(p.samePolicy)}</td>
      <td class="last-seen">${p.lastSeen ? esc(new Date(p.lastSeen).toLocaleString()) : 'not since this node started'}</td>
      <td>${esc(p.latencyMillis)} ms</td><td>${esc(p.problem || '—')}</td></tr>`).join('')}</tbody></table>`;
  } catch (e) { out.innerHTML = `<p class="error">Peers unavailable: ${esc(e.message)}</p>`; }
}

async function counts() {
  const counts = document.getElementById('counts');
  const types = ['Patient', 'Encounter', 'Condition', 'Observation', 'Procedure', 'MedicationRequest',
    'Immunization', 'Measure', 'MeasureReport'];
  const rows = await Promise.all(types.map(async t => {
    try { return [t, (await api.getJson(`/fhir/${t}?_count=1&_total=accurate`)).total]; }
    catch (e) { return [t, e.status === 403 ? 'needs the site-staff role' : e.message]; }
  }));
  counts.innerHTML = `<table id="counts-table"><caption>Resources stored at this site</caption><thead><tr>
    <th scope="col">Type</th><th scope="col">Count</th></tr></thead><tbody>${rows.map(([t, n]) =>
    `<tr><th scope="row">${t}</th><td>${esc(n)}</td></tr>`).join('')}</tbody></table>`;
}

/** Transactions closer than this to the previous one by the same client belong to the same load. */
const LOAD_GAP_MS = 2 * 60 * 1000;

/**
 * Recent loads from the audit trail: every transaction POSTed to /fhir is an AuditEvent (subtype
 * transaction, "N entries" in its outcome); one client's transactions in a row are one load.
 */
export function groupLoads(events) {
  const loads = [];
  const open = new Map();
  // loads into this site's records: POSTs to /fhir (the server agent's address), not network publications
  events.filter(e => (e.agent || []).some(a => !a.requestor && a.network?.address === '/fhir'))
    .map(e => ({ who: e.agent?.find(a => a.requestor)?.altId || 'unknown', at: new Date(e.recorded),
    ok: e.outcome === '0', entries: Number((/of (\d+) entries/.exec(e.outcomeDesc || '') || [])[1] || 0) }))
    .sort((a, b) => a.at - b.at)
    .forEach(t => {
      let load = open.get(t.who);
      if (!load || t.at - load.end > LOAD_GAP_MS) {
        load = { who: t.who, start: t.at, end: t.at, transactions: 0, resources: 0, failed: 0 };
        loads.push(load);
        open.set(t.who, load);
      }
      load.end = t.at;
      load.transactions++;
      if (t.ok) load.resources += t.entries; else load.failed++;
    });
  return loads.reverse();
}

async function loads() {
  const out = document.getElementById('loads');
  try {
    const b = await api.getJson('/fhir/AuditEvent?subtype=transaction&_sort=-date&_count=1000');
    const list = groupLoads((b.entry || []).map(e => e.resource)).slice(0, 10);
    out.innerHTML = list.length ? `<table id="loads-table"><caption>Recent loads (from the audit trail; newest
      first)</caption><thead><tr><th scope="col">Who</th><th scope="col">Started</th><th scope="col">Ended</th>
      <th scope="col">Transactions</th><th scope="col">Resources stored</th><th scope="col">Failed transactions</th>
      </tr></thead><tbody>${list.map(l => `<tr><th scope="row">${esc(l.who)}</th>
      <td>${esc(l.start.toLocaleString())}</td><td>${esc(l.end.toLocaleString())}</td><td>${l.transactions}</td>
      <td class="resources">${l.resources}</td><td>${l.failed}</td></tr>`).join('')}</tbody></table>`
      : '<p id="loads-table">No load recorded in the audit trail yet.</p>';
  } catch (e) {
    out.innerHTML = `<p class="note">Recent loads: ${e.status === 403 ? 'shown to the site-staff role'
      : esc(e.message)}.</p>`;
  }
}

function showReport(container, report, local) {
  container.appendChild(render(report, { local }));
  const links = document.createElement('p');
  links.className = 'downloads';
  const json = URL.createObjectURL(new Blob([JSON.stringify(report, null, 2)], { type: 'application/fhir+json' }));
  const table = URL.createObjectURL(new Blob([csv(report)], { type: 'text/csv' }));
  const name = `${report.measure?.replace(/.*\//, '').replace(/\|.*/, '') || 'report'}-${report.id || 'local'}`;
  links.innerHTML = `Download: <a id="download-json" href="${json}" download="${esc(name)}.json">FHIR JSON</a>
    · <a id="download-csv" href="${table}" download="${esc(name)}.csv">CSV</a>`;
  container.appendChild(links);
}

function route() {
  if (!me) return;
  const [name, arg] = (location.hash.slice(1) || 'catalog').split('/');
  document.querySelectorAll('#nav a').forEach(a => a.setAttribute('aria-current',
    a.getAttribute('href') === '#' + name ? 'page' : 'false'));
  (pages[name] || pages.catalog)(arg);
}

function signedIn(session) {
  me = session;
  document.getElementById('signin').hidden = true;
  document.getElementById('nav').hidden = false;
  document.getElementById('who').innerHTML = `Signed in as <strong id="who-name">${esc(me.name)}</strong>
    (${esc(me.role)}) <button type="button" id="signout">Sign out</button>`;
  document.getElementById('signout').addEventListener('click', async () => { await api.signOut(); signedOut(); });
  route();
}

function signedOut() {
  me = null;
  page.innerHTML = '';
  document.getElementById('nav').hidden = true;
  document.getElementById('who').textContent = '';
  document.getElementById('signin').hidden = false;
  document.getElementById('name').focus();
}

document.getElementById('signin-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  const error = document.getElementById('signin-error');
  error.textContent = '';
  try {
    signedIn(await api.signIn(document.getElementById('name').value, document.getElementById('password').value));
  } catch (e) { error.textContent = e.message; }
});
window.addEventListener('hashchange', route);
api.session().then(s => s ? signedIn(s) : signedOut());
