// A MeasureReport as the page shows it: populations, score, strata (bar charts + tables), masked
// cells explained, contributing sites; and the same numbers as CSV.
import { barChart, fmt } from './charts.js';

function maskedExplained(k) {
  const rule = k ? `between 1 and ${k - 1} (the small-cell rule, k = ${k})`
    : 'between 1 and k−1 (the small-cell rule, k = 11 unless the network configures otherwise)';
  return `Masked: the count was ${rule}, or a small count could have been derived from it and its neighbours.`
    + ' Its value is withheld, not zero.';
}

export function isMasked(element) {
  return (element._count || element).extension?.some(e => e.url.endsWith('data-absent-reason')
    && e.valueCode === 'masked') || (element.extension || []).some(e => e.url.endsWith('data-absent-reason')
    && e.valueCode === 'masked');
}

function code(concept) {
  if (!concept) return '';
  if (Array.isArray(concept)) concept = concept[0];
  return concept?.coding?.[0]?.code || concept?.text || '';
}

function count(pop) {
  return pop.count === undefined || isMasked(pop) ? null : pop.count;
}

/** The score; null when masked, undefined when the measure has none (e.g. a cohort). */
function score(holder) {
  const s = holder.measureScore;
  if (s && isMasked(s)) return null;
  return s?.value;
}

/** Every number of the report as rows: section, stratifier, stratum, population, count, score. */
export function rows(report) {
  const out = [];
  (report.group || []).forEach((g, gi) => {
    const group = code(g.code) || `group-${gi + 1}`;
    (g.population || []).forEach(p => out.push(['population', group, '', '', code(p.code), count(p), '']));
    out.push(['score', group, '', '', '', '', score(g)]);
    (g.stratifier || []).forEach(st => (st.stratum || []).forEach(sr => {
      const strat = code(st.code), value = code(sr.value) || sr.value?.text || '';
      (sr.population || []).forEach(p => out.push(['stratum', group, strat, value, code(p.code), count(p), '']));
      out.push(['stratum-score', group, strat, value, '', '', score(sr)]);
    }));
  });
  supplemental(report).forEach(sde => sde.items.forEach(i =>
    out.push(['supplemental', '', sde.key, i.label, '', i.value, ''])));
  return out;
}

/** The supplemental data as [{key, items: [{label, value}]}]: contained Observations grouped by their SDE. */
export function supplemental(report) {
  const byKey = new Map();
  (report.contained || []).filter(r => r.resourceType === 'Observation').forEach(o => {
    const info = (o.extension || []).find(e => e.url.endsWith('cqf-measureInfo'));
    const key = (info?.extension || []).find(e => e.url === 'populationId')?.valueString || 'supplemental data';
    const masked = o.dataAbsentReason?.coding?.some(c => c.code === 'masked');
    if (!byKey.has(key)) byKey.set(key, []);
    byKey.get(key).push({ label: code(o.code) || o.id, value: masked ? null : o.valueInteger ?? o.valueQuantity?.value ?? null });
  });
  return [...byKey].map(([key, items]) => ({ key, items }));
}

/** The release-privacy extension's parts by name (docs/privacy.md), or null when the report has none. */
export function disclosure(report) {
  const e = extension(report, '/release-privacy');
  if (!e) return null;
  const out = { suppressed: [] };
  (e.extension || []).forEach(p => {
    const v = Object.entries(p).find(([k]) => k.startsWith('value'))?.[1];
    if (p.url === 'suppressed') out.suppressed.push(v); else out[p.url] = v;
  });
  return out;
}

/** The disclosure in words: noise or not, ε and δ spent of the budget, the small-cell rule and what it withheld. */
function disclosureText(d) {
  if (!d) {
    return ['This report does not say whether differential-privacy noise was added (it was released before reports'
      + ' carried their privacy disclosure).'];
  }
  const lines = [];
  if (d.noiseAdded) {
    const sd = d.noiseVariance ? Math.sqrt(d.noiseVariance) : null;
    lines.push(`Noise added: ε = ${d.epsilon} spent by this query (δ = ${d.delta}), of a budget of ε = ${d.epsilonBudget}`
      + ' per querier at each site. Every count carries random Skellam noise'
      + (sd ? ` of standard deviation ${sd.toFixed(1)} (variance ${d.noiseVariance})` : '')
      + (sd ? `, so a shown count is typically within ±${sd.toFixed(0)} of the exact count (within ±${(2 * sd).toFixed(0)}`
        + ' about 95% of the time)' : '')
      + '; no one, not even the sites, knows the exact total. Negative noisy counts are shown as 0.');
  } else {
    lines.push('No noise added: this network does not use differential privacy (ε spent: 0). Counts are exact,'
      + ' except those withheld by the small-cell rule.');
  }
  const n = d.suppressedCells ?? d.suppressed.length;
  lines.push(`Small-cell rule: k = ${d.minCellSize}; counts from 1 to ${d.minCellSize - 1} are withheld, and so is any`
    + ` cell from which one could be derived. ${n === 0 ? 'No cell was withheld in this report.'
    : `${n} cell${n === 1 ? ' was' : 's were'} withheld in this report:`}`);
  return lines;
}

export function csv(report) {
  const head = ['section', 'group', 'stratifier', 'stratum', 'population', 'count', 'score'];
  const cell = v => v === null ? 'masked' : v === undefined ? '' : String(v).includes(',') || String(v).includes('"')
    ? '"' + String(v).replaceAll('"', '""') + '"' : String(v);
  return [head, ...rows(report)].map(r => r.map(cell).join(',')).join('\n') + '\n';
}

function table(caption, head, body) {
  const t = document.createElement('table');
  t.innerHTML = `<caption>${esc(caption)}</caption><thead><tr>${head.map(h => `<th scope="col">${esc(h)}</th>`)
    .join('')}</tr></thead>`;
  const tb = document.createElement('tbody');
  body.forEach(r => {
    const tr = document.createElement('tr');
    r.forEach((c, i) => {
      const td = document.createElement(i === 0 ? 'th' : 'td');
      if (i === 0) td.scope = 'row';
      td.textContent = fmt(c);
      if (c === null) td.className = 'masked';
      tr.appendChild(td);
    });
    tb.appendChild(tr);
  });
  t.appendChild(tb);
  return t;
}

export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

function extension(report, suffix) {
  return (report.extension || []).find(e => e.url.endsWith(suffix));
}

/** The report section; {local: true} marks a site-only evaluation as NOT a network result. */
export function render(report, { local = false } = {}) {
  const box = document.createElement('div');
  box.className = local ? 'report local' : 'report';
  box.id = 'report';
  const sites = extension(report, 'contributing-sites')?.valueInteger;
  box.innerHTML = `<h3>${local ? 'Site-only evaluation — NOT a network result' : 'Network report'}</h3>
    <p class="meta">Measure <strong>${esc(report.measure)}</strong>, period ${esc(report.period?.start)} to
    ${esc(report.period?.end)}${local ? ', this site\'s own data only, before any privacy rule'
    : `, contributing sites: <strong id="contributing-sites">${esc(sites ?? 'unknown')}</strong>`}.</p>`;
  const d = local ? null : disclosure(report);
  if (!local) {
    const dp = document.createElement('div');
    dp.className = 'dp-note';
    dp.id = 'privacy-disclosure';
    dp.innerHTML = '<h4>How this report is protected</h4>';
    disclosureText(d).forEach((line, i) => {
      const p = document.createElement('p');
      p.id = i === 0 ? 'privacy-noise' : 'privacy-suppression';
      p.textContent = line;
      dp.appendChild(p);
    });
    if (d?.suppressed.length) {
      const ul = document.createElement('ul');
      ul.id = 'privacy-suppressed';
      d.suppressed.forEach(c => { const li = document.createElement('li'); li.textContent = c; ul.appendChild(li); });
      dp.appendChild(ul);
    }
    box.appendChild(dp);
  }
  const notes = (report.extension || [])
    .filter(e => !/contributing-sites|network-query-id|supplementalData|release-privacy/.test(e.url));
  if (notes.length) {
    const ul = document.createElement('ul');
    ul.className = 'release-notes';
    notes.forEach(e => {
      const li = document.createElement('li');
      const v = Object.entries(e).find(([k]) => k.startsWith('value'));
      li.textContent = `${e.url.replace(/.*\//, '')}: ${v ? JSON.stringify(v[1]) : ''}`;
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }
  let anyMasked = false;
  (report.group || []).forEach((g, gi) => {
    const name = code(g.code) || `group ${gi + 1}`;
    const pops = (g.population || []).map(p => ({ label: code(p.code), value: count(p) }));
    anyMasked ||= pops.some(p => p.value === null);
    const sec = document.createElement('section');
    sec.className = 'group';
    sec.innerHTML = `<h4>${esc(name)}: score <span class="score" id="score-${gi}">${fmt(score(g))}</span></h4>`;
    sec.appendChild(figure(barChart(`Populations of ${name}`, pops),
      table(`Populations of ${name}`, ['population', 'count'], pops.map(p => [p.label, p.value]))));
    (g.stratifier || []).forEach(st => {
      const strat = code(st.code) || 'stratifier';
      const items = (st.stratum || []).map(sr => {
        const num = (sr.population || []).find(p => code(p.code) === 'numerator');
        const den = (sr.population || []).find(p => code(p.code) === 'denominator');
        const first = num || den || (sr.population || [])[0];
        return { label: code(sr.value) || sr.value?.text || '', value: first ? count(first) : null,
          den: den ? count(den) : undefined, score: score(sr), pop: first ? code(first.code) : '' };
      });
      anyMasked ||= items.some(i => i.value === null || i.den === null);
      const what = items[0]?.pop || 'count';
      sec.appendChild(figure(barChart(`${strat}: ${what} per stratum`, items),
        table(`${strat} by stratum`, ['stratum', what, 'denominator', 'score'],
          items.map(i => [i.label, i.value, i.den, i.score]))));
    });
    box.appendChild(sec);
  });
  const sdes = supplemental(report);
  if (sdes.length) {
    const sec = document.createElement('section');
    sec.className = 'supplemental';
    sec.id = 'supplemental';
    sec.innerHTML = '<h4>Supplemental data</h4>';
    sdes.forEach(sde => {
      anyMasked ||= sde.items.some(i => i.value === null);
      sec.appendChild(figure(barChart(`${sde.key}: subjects per value`, sde.items),
        table(`${sde.key}`, ['value', 'subjects'], sde.items.map(i => [i.label, i.value]))));
    });
    box.appendChild(sec);
  }
  if (anyMasked) {
    const p = document.createElement('p');
    p.className = 'masked-note';
    p.id = 'masked-note';
    p.innerHTML = `<span class="swatch" aria-hidden="true"></span> ${esc(maskedExplained(d?.minCellSize))}`;
    box.appendChild(p);
  }
  return box;
}

function figure(chart, tab) {
  const f = document.createElement('div');
  f.className = 'figure';
  const c = document.createElement('div');
  c.className = 'chart';
  c.appendChild(chart);
  f.appendChild(c);
  f.appendChild(tab);
  return f;
}
