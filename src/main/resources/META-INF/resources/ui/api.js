// Calls the node's own FHIR APIs with the session cookie; X-Concilium-UI marks them as ours (CSRF guard).
const HEADERS = { 'X-Concilium-UI': '1', 'Accept': 'application/fhir+json' };

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

/** The words of an OperationOutcome (every issue's diagnostics), or the HTTP status. */
export async function failure(response) {
  let text = `HTTP ${response.status}`;
  try {
    const body = await response.json();
    if (body.resourceType === 'OperationOutcome') {
      text = (body.issue || []).map(i => i.diagnostics || (i.details && i.details.text) || i.code).join('; ');
    }
  } catch (e) { /* not JSON: keep the status */ }
  return new ApiError(response.status, text);
}

export async function get(url, extra = {}) {
  const r = await fetch(url, { headers: { ...HEADERS, ...extra }, credentials: 'same-origin' });
  if (!r.ok) throw await failure(r);
  return r;
}

export async function getJson(url) {
  return (await get(url)).json();
}

export async function signIn(name, password) {
  const r = await fetch('/ui/api/session', {
    method: 'POST', credentials: 'same-origin',
    headers: { 'X-Concilium-UI': '1', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name, password })
  });
  if (!r.ok) throw await failure(r);
  return r.json();
}

export async function session() {
  const r = await fetch('/ui/api/session', { headers: { 'X-Concilium-UI': '1' }, credentials: 'same-origin' });
  return r.ok ? r.json() : null;
}

export async function signOut() {
  await fetch('/ui/api/session', { method: 'DELETE', headers: { 'X-Concilium-UI': '1' }, credentials: 'same-origin' });
}

/**
 * Starts an asynchronous network query and polls its status URL until the report is ready;
 * onProgress gets each X-Progress value. Resolves with the MeasureReport, rejects with the outcome's words.
 */
export async function evaluateAsync(url, onProgress) {
  const r = await fetch(url, { headers: { ...HEADERS, 'Prefer': 'respond-async' }, credentials: 'same-origin' });
  if (r.status === 200) return r.json();
  if (r.status !== 202) throw await failure(r);
  onProgress(r.headers.get('X-Progress') || 'started');
  const status = r.headers.get('Content-Location');
  for (;;) {
    await new Promise(done => setTimeout(done, 400));
    const p = await fetch(status, { headers: HEADERS, credentials: 'same-origin' });
    if (p.status === 202) { onProgress(p.headers.get('X-Progress') || 'running'); continue; }
    if (p.status === 200) { onProgress('done'); return p.json(); }
    throw await failure(p);
  }
}
