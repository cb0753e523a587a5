// DCR against our registration endpoint through openid-client: records the request it sends and,
// when RESPONSE_FILE holds our 201 body, whether openid-client accepts it.
import * as client from 'openid-client';
import { readFileSync } from 'node:fs';
const issuer = 'https://as.example.com';
const response = process.env.RESPONSE_FILE ? readFileSync(process.env.RESPONSE_FILE, 'utf8') : null;
let request = null;
const fetch = async (url, options) => {
  if (String(url).includes('/.well-known/')) {
    return Response.json({ issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`,
      registration_endpoint: `${issuer}/register`, code_challenge_methods_supported: ['S256'] });
  }
  request = { url: String(url), method: options.method, headers: Object.fromEntries(new Headers(options.headers)), body: String(options.body) };
  return new Response(response ?? JSON.stringify({ client_id: 'placeholder' }), { status: 201, headers: { 'content-type': 'application/json' } });
};
const metadata = {
  redirect_uris: ['http://127.0.0.1/callback'],
  application_type: 'native',
  token_endpoint_auth_method: 'none',
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  client_name: 'openid-client DCR',
  scope: 'openid read',
};
const out = { request };
try {
  const config = await client.dynamicClientRegistration(new URL(issuer), metadata, client.None(), { [client.customFetch]: fetch });
  const m = config.clientMetadata();
  out.accepted = true;
  out.client_metadata = { client_id: m.client_id, token_endpoint_auth_method: m.token_endpoint_auth_method, redirect_uris: m.redirect_uris, application_type: m.application_type };
} catch (e) {
  out.accepted = false;
  out.error = String(e);
}
out.request = request;
console.log(JSON.stringify(out, null, 2));
