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
    show('<h2>This site</h2><div id="readiness"></div><div id="counts"></div>');
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
};

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
