// Records requests made by openid-client (a real peer) for tests/server_authorize_interop.rs.
import * as client from 'openid-client';
import * as jose from 'jose';

const issuer = 'https://as.example.com';
const server = {
  issuer,
  authorization_endpoint: `${issuer}/authorize`,
  token_endpoint: `${issuer}/token`,
  pushed_authorization_request_endpoint: `${issuer}/par`,
  code_challenge_methods_supported: ['S256'],
  authorization_response_iss_parameter_supported: true,
  request_object_signing_alg_values_supported: ['ES256'],
};
const { privateKey, publicKey } = await jose.generateKeyPair('ES256', { extractable: true });
const publicJwk = { ...(await jose.exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
const recorded = { issuer, public_jwks: { keys: [publicJwk] } };
const verifier = client.randomPKCECodeVerifier();
const challenge = await client.calculatePKCECodeChallenge(verifier);
recorded.code_verifier = verifier;
const params = {
  redirect_uri: 'https://client.example.org/cb',
  scope: 'openid read',
  code_challenge: challenge,
  code_challenge_method: 'S256',
  state: client.randomState(),
  nonce: client.randomNonce(),
  resource: 'https://mcp.example.com/mcp',
};
const fakeFetch = (calls) => async (url, options) => {
  calls.push({ url: String(url), headers: Object.fromEntries(new Headers(options.headers)), body: String(options.body) });
  return new Response(JSON.stringify({ request_uri: 'urn:ietf:params:oauth:request_uri:recorded', expires_in: 60 }),
    { status: 201, headers: { 'content-type': 'application/json' } });
};

// 1. A plain authorization URL (public client).
const pub = new client.Configuration(server, 'public-app', undefined, client.None());
recorded.authorization_url = client.buildAuthorizationUrl(pub, params).href;

// 2. PAR with private_key_jwt.
const pk = new client.Configuration(server, 'pkjwt-app', undefined,
  client.PrivateKeyJwt({ key: privateKey, kid: 'k1' }));
const parCalls = [];
pk[client.customFetch] = fakeFetch(parCalls);
recorded.now = Math.floor(Date.now() / 1000);
recorded.par_private_key_jwt = { authorize_url: (await client.buildAuthorizationUrlWithPAR(pk, params)).href, request: parCalls[0] };

// 3. PAR with client_secret_basic and an id/secret needing RFC 6749 §2.3.1 form-encoding.
const basic = new client.Configuration(server, 'my app:1', undefined, client.ClientSecretBasic('p@ss word/+%'));
const basicCalls = [];
basic[client.customFetch] = fakeFetch(basicCalls);
await client.buildAuthorizationUrlWithPAR(basic, params);
recorded.par_client_secret_basic = { client_id: 'my app:1', client_secret: 'p@ss word/+%', request: basicCalls[0] };

// 4. JAR (RFC 9101) signed with the same key.
recorded.jar_authorize_url = (await client.buildAuthorizationUrlWithJAR(pk, params, { key: privateKey, kid: 'k1' })).href;
recorded.params = params;
console.log(JSON.stringify(recorded, null, 2));
