// node sdk-search.mjs FHIR_BASE CLIENT_ID PRIVATE_JWK_FILE
// What an SDK developer tries after CRUD: a transaction whose entry references 'Practitioner?identifier=...'
// (as current Synthea writes), _include and a chained search through fhir-kit-client, and a Bulk Data
// $export (kick-off, status polling, NDJSON download) with plain fetch, since the SDK has no bulk API.
// Prints one JSON line; exit 0 = all good.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { SignJWT, importJWK } from 'jose';
import { Client } from 'fhir-kit-client';

const [base, clientId, keyFile] = process.argv.slice(2);
const jwk = JSON.parse(readFileSync(keyFile, 'utf8'));
const config = await (await fetch(`${base}/.well-known/smart-configuration`)).json();
const key = await importJWK(jwk, 'ES384');
const assertion = await new SignJWT({})
  .setProtectedHeader({ alg: 'ES384', kid: jwk.kid, typ: 'JWT' })
  .setIssuer(clientId).setSubject(clientId).setAudience(config.token_endpoint)
  .setExpirationTime('4m').setJti(randomUUID()).sign(key);
const token = await (await fetch(config.token_endpoint, {
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({
    grant_type: 'client_credentials',
    scope: 'system/Patient.cruds system/Observation.cruds system/Practitioner.cruds',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion,
  }),
})).json();
const auth = { Authorization: `Bearer ${token.access_token}` };
const client = new Client({ baseUrl: base, customHeaders: auth });
const marker = randomUUID();
const result = { ok: false };

const practitioner = await client.create({
  resourceType: 'Practitioner',
  body: { resourceType: 'Practitioner', identifier: [{ system: 'urn:sdk-npi', value: marker }] },
});
const tx = await client.transaction({
  body: {
    resourceType: 'Bundle', type: 'transaction',
    entry: [
      { fullUrl: `urn:uuid:${marker}`,
        resource: { resourceType: 'Patient', identifier: [{ system: 'urn:sdk-search', value: marker }],
          generalPractitioner: [{ reference: `Practitioner?identifier=urn:sdk-npi|${marker}` }] },
        request: { method: 'POST', url: 'Patient' } },
      { resource: { resourceType: 'Observation', status: 'final', code: { text: 'sdk-search' },
          subject: { reference: `urn:uuid:${marker}` } },
        request: { method: 'POST', url: 'Observation' } },
    ],
  },
});
const patientId = tx.entry[0].response.location.split('/')[1];
const patient = await client.read({ resourceType: 'Patient', id: patientId });
result.conditionalReference = patient.generalPractitioner[0].reference === `Practitioner/${practitioner.id}`;

const included = await client.search({ resourceType: 'Observation',
  searchParams: { patient: patientId, _include: 'Observation:patient' } });
result.includeModes = included.entry.map((e) => e.search.mode).sort();

const chained = await client.search({ resourceType: 'Observation',
  searchParams: { 'subject:Patient.identifier': `urn:sdk-search|${marker}` } });
result.chainedTotal = chained.total;

const kickOff = await fetch(`${base}/$export?_type=Patient`, { headers: { ...auth, Prefer: 'respond-async' } });
result.exportKickOff = kickOff.status;
const status = kickOff.headers.get('content-location');
let manifest = null;
for (let i = 0; i < 300 && !manifest; i++) {
  const r = await fetch(status, { headers: auth });
  if (r.status === 200) manifest = await r.json();
  else await new Promise((done) => setTimeout(done, 200));
}
// the Bulk Data spec lets a server split one type over several files: read every Patient file
let lines = [];
for (const out of manifest.output.filter((o) => o.type === 'Patient')) {
  const file = await (await fetch(out.url, { headers: auth })).text();
  lines = lines.concat(file.split('\n').filter((l) => l));
}
result.exportHasPatient = lines.map((l) => JSON.parse(l)).some((p) => p.id === patientId);

result.ok = result.conditionalReference && JSON.stringify(result.includeModes) === '["include","match"]'
  && result.chainedTotal === 1 && result.exportKickOff === 202 && result.exportHasPatient;
console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
