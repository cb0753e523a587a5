// Feeds our OpenID Connect discovery document (METADATA_FILE) to openid-client's discovery.
import * as client from 'openid-client';
import { readFileSync } from 'node:fs';
const body = readFileSync(process.env.METADATA_FILE, 'utf8');
const out = { body };
let fetched = null;
try {
  const config = await client.discovery(new URL('https://as.example.com'), 'public-app', undefined, client.None(),
    { [client.customFetch]: async (url) => { fetched = String(url); return new Response(body, { headers: { 'content-type': 'application/json' } }); } });
  const m = config.serverMetadata();
  out.accepted = true;
  out.fetched = fetched;
  out.supports_pkce = m.supportsPKCE();
  out.issuer = m.issuer;
} catch (e) {
  out.accepted = false;
  out.error = `${e.name}: ${e.message}`;
}
console.log(JSON.stringify(out, null, 2));
