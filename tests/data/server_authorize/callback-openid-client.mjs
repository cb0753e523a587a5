// Feeds our authorization response (LOCATION) to openid-client's authorizationCodeGrant, which
// validates state and the RFC 9207 iss before sending the code; the token answer is faked.
import * as client from 'openid-client';
import { readFileSync } from 'node:fs';
const rec = JSON.parse(readFileSync(process.env.FIXTURE, 'utf8'));
const location = process.env.LOCATION;
const issuer = rec.issuer;
const server = { issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`,
  code_challenge_methods_supported: ['S256'], authorization_response_iss_parameter_supported: true };
const out = { location };
for (const [name, loc] of [['ours', location], ['wrong_iss', location.replace('as.example.com', 'evil.example')]]) {
  const config = new client.Configuration(server, 'public-app', undefined, client.None());
  let tokenRequest = null;
  config[client.customFetch] = async (url, options) => {
    tokenRequest = String(options.body);
    return Response.json({ access_token: 'at', token_type: 'Bearer', expires_in: 60 });
  };
  try {
    await client.authorizationCodeGrant(config, new URL(loc),
      { pkceCodeVerifier: rec.code_verifier, expectedState: rec.params.state });
    out[name] = { accepted: true, token_request: tokenRequest };
  } catch (e) {
    out[name] = { accepted: false, error: `${e.name}: ${e.message}` };
  }
}
console.log(JSON.stringify(out, null, 2));
