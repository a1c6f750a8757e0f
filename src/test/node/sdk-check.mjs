// node sdk-check.mjs FHIR_BASE CLIENT_ID PRIVATE_JWK_FILE
// Gets a token the SMART Backend Services way (ES384 client assertion signed by the jose library),
// then does CRUD, search and a transaction with fhir-kit-client. Prints one JSON line; exit 0 = all good.
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
const tokenResponse = await fetch(config.token_endpoint, {
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({
    grant_type: 'client_credentials', scope: 'system/Patient.cruds system/Observation.cruds',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion,
  }),
});
const token = await tokenResponse.json();
if (!token.access_token) {
  console.log(JSON.stringify({ ok: false, step: 'token', token }));
  process.exit(1);
}

const client = new Client({ baseUrl: base, customHeaders: { Authorization: `Bearer ${token.access_token}` } });
const unauthenticated = new Client({ baseUrl: base });
const marker = randomUUID();
const result = { ok: false, scope: token.scope };
const created = await client.create({
  resourceType: 'Patient',
  body: { resourceType: 'Patient', gender: 'female', identifier: [{ system: 'urn:sdk-check', value: marker }] },
});
result.created = created.id;
const read = await client.read({ resourceType: 'Patient', id: created.id });
result.readGender = read.gender;
read.gender = 'male';
const updated = await client.update({ resourceType: 'Patient', id: created.id, body: read });
result.updatedVersion = updated.meta.versionId;
const found = await client.search({ resourceType: 'Patient', searchParams: { identifier: `urn:sdk-check|${marker}` } });
result.searchTotal = found.total;
const tx = await client.transaction({
  body: {
    resourceType: 'Bundle', type: 'transaction',
    entry: [{
      resource: { resourceType: 'Observation', status: 'final', code: { text: 'sdk' }, subject: { reference: `Patient/${created.id}` } },
      request: { method: 'POST', url: 'Observation' },
    }],
  },
});
result.transactionStatus = tx.entry[0].response.status;
const observations = await client.search({ resourceType: 'Observation', searchParams: { patient: created.id } });
result.observations = observations.total;
await client.delete({ resourceType: 'Observation', id: tx.entry[0].response.location.split('/')[1] });
try {
  await unauthenticated.read({ resourceType: 'Patient', id: created.id });
  result.unauthenticated = 'allowed';
} catch (e) {
  result.unauthenticated = e.response?.status;
}
result.ok = result.readGender === 'female' && result.updatedVersion === '2' && result.searchTotal === 1
  && result.transactionStatus.startsWith('201') && result.observations === 1 && result.unauthenticated === 401;
console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
