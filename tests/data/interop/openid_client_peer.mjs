// The `openid-client` (npm, 6.x) side of tests/interop_openid_client.rs: openid-client logs in
// against our authorization server example (examples/authorization_server.rs, run with
// --auto-consent and tests/data/interop/openid_client_clients.json).
//
//   node openid_client_peer.mjs <issuer> <clients.json> <resource> [<nonce issuer>]
//
// <nonce issuer>: a second instance of the example run with --dpop-nonce (RFC 9449 §8 nonces
// required at its token endpoint), for openid-client's nonce handling.
//
// The authorize step is driven headlessly: the authorization URL that openid-client builds is
// fetched without following redirects, and the Location (our redirect with code, state, iss)
// is handed to openid-client's authorizationCodeGrant as the callback URL.
//
// Prints one JSON object on stdout: {"openid_client": version, "steps": {name: {ok, ...}}},
// where `ok` says whether the step's expected outcome happened (for negative steps: that the
// named side refused). Facts the Rust test asserts on are reported beside `ok`. Exits 0 unless
// the script itself breaks.
// openid-client is resolved from $OAUTH_CORE_INTEROP_NODE_DIR/node_modules (.ci/interop).
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.env.OAUTH_CORE_INTEROP_NODE_DIR;
if (!dir) throw new Error('OAUTH_CORE_INTEROP_NODE_DIR is not set');
const require = createRequire(join(dir, 'package.json'));
const client = await import(pathToFileURL(require.resolve('openid-client')).href);
const version = require('openid-client/package.json').version;

const [issuer, clientsFile, resource, nonceIssuer] = process.argv.slice(2);
if (!resource) throw new Error('usage: openid_client_peer.mjs <issuer> <clients.json> <resource>');
const clients = Object.fromEntries(
  JSON.parse(readFileSync(clientsFile, 'utf8')).clients.map((c) => [c.client_id, c]),
);
const conf = clients['oc-confidential'];
const pub = clients['oc-public'];
const SCOPE = 'openid offline_access mcp:tools';

const steps = {};
async function step(name, fn) {
  const t0 = Date.now();
  try {
    steps[name] = { ...(await fn()), ms: Date.now() - t0 };
  } catch (e) {
    steps[name] = { ok: false, error: describe(e), ms: Date.now() - t0 };
  }
}

// What a thrown error says, for the report: openid-client's error code, the OAuth `error`.
// A 401 with WWW-Authenticate (RFC 6749 §5.2, Basic) is thrown as a challenge error whose
// cause lists the parsed challenges.
function describe(e) {
  const challenge = Array.isArray(e?.cause) ? e.cause[0] : undefined;
  return {
    name: e?.name,
    code: e?.code,
    error: e?.error ?? e?.cause?.error ?? challenge?.parameters?.error,
    challenge_scheme: challenge?.scheme,
    message: String(e?.message ?? e),
    status: e?.status,
  };
}

// Expects `fn` to throw; `ok` when it did and `check(error)` holds.
async function refused(fn, check) {
  try {
    await fn();
    return { ok: false, why: 'accepted' };
  } catch (e) {
    const d = describe(e);
    // A challenge error keeps the response: its JSON body has the OAuth error.
    if (d.error === undefined && e?.response && typeof e.response.clone === 'function') {
      d.error = (await e.response.clone().json().catch(() => ({}))).error;
    }
    return { ok: check(e, d), refused: d };
  }
}

function payload(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

// RFC 7638 thumbprint of a public EC key.
async function thumbprint(publicKey) {
  const jwk = await crypto.subtle.exportKey('jwk', publicKey);
  const canon = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canon).digest('base64url');
}

async function discover(c, auth, at = issuer) {
  const config = await client.discovery(new URL(at), c.client_id, undefined, auth, {
    execute: [client.allowInsecureRequests],
  });
  // ID token signatures checked against the issuer's jwks_uri too (OIDC Core §3.1.3.7 6).
  client.enableNonRepudiationChecks(config);
  return config;
}

// Builds the authorization URL, fetches it without following the redirect, returns the
// callback URL (our Location) and the values the grant checks against.
async function authorize(config, c, extra = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: c.redirect_uris[0],
    scope: SCOPE,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    resource,
    ...extra,
  });
  const resp = await fetch(url, { redirect: 'manual' });
  const location = resp.headers.get('location');
  if (resp.status !== 302 && resp.status !== 303) {
    throw new Error(`authorize answered ${resp.status}: ${await resp.text()}`);
  }
  return { callback: new URL(location), verifier, state, nonce };
}

const confAuth = client.ClientSecretBasic(conf.client_secret);
const confConfig = await discover(conf, confAuth);
const pubConfig = await discover(pub, client.None());
const meta = confConfig.serverMetadata();

await step('discovery', async () => ({
  ok: meta.issuer === issuer && typeof meta.jwks_uri === 'string',
  issuer: meta.issuer,
  code_challenge_methods_supported: meta.code_challenge_methods_supported,
}));

// --- code + PKCE (S256) + resource, OpenID Connect, client_secret_basic --------------------
let refreshToken;
await step('code_pkce_resource_id_token', async () => {
  const a = await authorize(confConfig, conf);
  const tokens = await client.authorizationCodeGrant(
    confConfig,
    a.callback,
    { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce, idTokenExpected: true },
    { resource },
  );
  const claims = tokens.claims();
  const at = payload(tokens.access_token);
  refreshToken = tokens.refresh_token;
  return {
    ok: true,
    callback_has_iss: a.callback.searchParams.get('iss') === issuer,
    token_type: tokens.token_type,
    id_token: { iss: claims.iss, aud: claims.aud, sub: claims.sub, nonce_matches: claims.nonce === a.nonce },
    access_token: { aud: at.aud, iss: at.iss, sub: at.sub, client_id: at.client_id, scope: at.scope },
    scope: tokens.scope,
    has_refresh_token: typeof tokens.refresh_token === 'string',
  };
});

// --- refresh with rotation: a new refresh token; the old one then refused -----------------
await step('refresh_rotation', async () => {
  const next = await client.refreshTokenGrant(confConfig, refreshToken, { resource });
  const rotated = typeof next.refresh_token === 'string' && next.refresh_token !== refreshToken;
  const at = payload(next.access_token);
  const reuse = await refused(
    () => client.refreshTokenGrant(confConfig, refreshToken),
    (_e, d) => d.error === 'invalid_grant',
  );
  return {
    ok: rotated && reuse.ok,
    rotated,
    access_token: { aud: at.aud, sub: at.sub },
    id_token_sub: next.id_token ? next.claims().sub : null,
    old_refresh_token_refused: reuse,
  };
});

// --- client credentials with resource -------------------------------------------------------
await step('client_credentials', async () => {
  const tokens = await client.clientCredentialsGrant(confConfig, { scope: 'mcp:tools', resource });
  const at = payload(tokens.access_token);
  return {
    ok: true,
    token_type: tokens.token_type,
    access_token: { aud: at.aud, sub: at.sub, client_id: at.client_id, scope: at.scope },
    has_refresh_token: typeof tokens.refresh_token === 'string',
  };
});

// --- DPoP: code flow of a public client, bound access and refresh tokens --------------------
await step('dpop_code_refresh', async () => {
  const keys = await client.randomDPoPKeyPair('ES256');
  const jkt = await thumbprint(keys.publicKey);
  const dpop = client.getDPoPHandle(pubConfig, keys);
  const a = await authorize(pubConfig, pub, { dpop_jkt: jkt });
  const tokens = await client.authorizationCodeGrant(
    pubConfig,
    a.callback,
    { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce, idTokenExpected: true },
    { resource },
    { DPoP: dpop },
  );
  const at = payload(tokens.access_token);
  const next = await client.refreshTokenGrant(pubConfig, tokens.refresh_token, { resource }, { DPoP: dpop });
  const at2 = payload(next.access_token);
  // RFC 9449 §5: a public client's refresh token is bound to the key: without a proof, refused.
  const unbound = await refused(
    () => client.refreshTokenGrant(pubConfig, next.refresh_token),
    (_e, d) => d.error === 'invalid_grant' || d.error === 'invalid_dpop_proof',
  );
  // ...and under another key.
  const other = client.getDPoPHandle(pubConfig, await client.randomDPoPKeyPair('ES256'));
  const otherKey = await refused(
    () => client.refreshTokenGrant(pubConfig, next.refresh_token, undefined, { DPoP: other }),
    (_e, d) => d.error === 'invalid_grant' || d.error === 'invalid_dpop_proof',
  );
  return {
    ok: unbound.ok && otherKey.ok && tokens.token_type === 'dpop' && at.cnf?.jkt === jkt,
    token_type: tokens.token_type,
    cnf_matches: at.cnf?.jkt === jkt,
    refreshed_token_type: next.token_type,
    refreshed_cnf_matches: at2.cnf?.jkt === jkt,
    id_token_sub: tokens.claims().sub,
    refresh_without_proof_refused: unbound,
    refresh_under_other_key_refused: otherKey,
  };
});

await step('dpop_client_credentials', async () => {
  const keys = await client.randomDPoPKeyPair('ES256');
  const jkt = await thumbprint(keys.publicKey);
  const dpop = client.getDPoPHandle(confConfig, keys);
  const tokens = await client.clientCredentialsGrant(
    confConfig,
    { scope: 'mcp:tools', resource },
    { DPoP: dpop },
  );
  const at = payload(tokens.access_token);
  return {
    ok: tokens.token_type === 'dpop' && at.cnf?.jkt === jkt,
    token_type: tokens.token_type,
    cnf_matches: at.cnf?.jkt === jkt,
    aud: at.aud,
  };
});

// --- DPoP nonces (RFC 9449 §8), against the instance that requires them ---------------------
// Every token endpoint exchange is recorded through openid-client's customFetch: the first
// proof (no nonce) is answered use_dpop_nonce with a DPoP-Nonce header, openid-client retries
// with it, and later grants reuse the nonce it cached.
if (nonceIssuer) {
  const exchanges = [];
  const recordingFetch = async (url, options) => {
    const resp = await fetch(url, options);
    if (String(url).endsWith('/token')) {
      const proof = new Headers(options.headers).get('dpop');
      const body = resp.status === 200 ? null : await resp.clone().json().catch(() => null);
      exchanges.push({
        status: resp.status,
        error: body?.error ?? null,
        proof_nonce: proof ? (payload(proof).nonce ?? null) : null,
        dpop_nonce_header: resp.headers.get('dpop-nonce'),
      });
    }
    return resp;
  };
  const nConf = await discover(conf, confAuth, nonceIssuer);
  const nPub = await discover(pub, client.None(), nonceIssuer);
  nConf[client.customFetch] = recordingFetch;
  nPub[client.customFetch] = recordingFetch;

  await step('dpop_nonce_code_flow', async () => {
    exchanges.length = 0;
    const keys = await client.randomDPoPKeyPair('ES256');
    const jkt = await thumbprint(keys.publicKey);
    const dpop = client.getDPoPHandle(nPub, keys);
    const a = await authorize(nPub, pub, { dpop_jkt: jkt });
    const tokens = await client.authorizationCodeGrant(
      nPub,
      a.callback,
      { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce, idTokenExpected: true },
      { resource },
      { DPoP: dpop },
    );
    const first = [...exchanges];
    exchanges.length = 0;
    const next = await client.refreshTokenGrant(nPub, tokens.refresh_token, { resource }, { DPoP: dpop });
    const refresh = [...exchanges];
    const at = payload(next.access_token);
    return {
      ok: next.token_type === 'dpop' && at.cnf?.jkt === jkt,
      code_exchanges: first,
      refresh_exchanges: refresh,
      cnf_matches: at.cnf?.jkt === jkt,
    };
  });

  await step('dpop_nonce_client_credentials', async () => {
    exchanges.length = 0;
    const keys = await client.randomDPoPKeyPair('ES256');
    const dpop = client.getDPoPHandle(nConf, keys);
    const tokens = await client.clientCredentialsGrant(nConf, { scope: 'mcp:tools', resource }, { DPoP: dpop });
    return { ok: tokens.token_type === 'dpop', exchanges: [...exchanges] };
  });
}

// --- refusals --------------------------------------------------------------------------------
// openid-client refuses a callback whose state is not the one it sent (RFC 6749 §10.12).
await step('tampered_state_refused_by_openid_client', async () => {
  const a = await authorize(confConfig, conf);
  const cb = new URL(a.callback);
  cb.searchParams.set('state', `${a.state}x`);
  return refused(
    () => client.authorizationCodeGrant(confConfig, cb, {
      pkceCodeVerifier: a.verifier,
      expectedState: a.state,
    }),
    (e) => e.code === 'OAUTH_INVALID_RESPONSE' || /state/i.test(String(e.message)),
  );
});

// Our AS refuses a code redeemed with another PKCE verifier (RFC 7636 §4.6).
await step('wrong_pkce_verifier_refused_by_as', async () => {
  const a = await authorize(confConfig, conf);
  return refused(
    () => client.authorizationCodeGrant(
      confConfig,
      a.callback,
      { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: a.state, expectedNonce: a.nonce },
      { resource },
    ),
    (_e, d) => d.error === 'invalid_grant',
  );
});

// Our AS refuses a code used twice (RFC 6749 §4.1.2).
await step('code_reuse_refused_by_as', async () => {
  const a = await authorize(confConfig, conf);
  const checks = { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce };
  await client.authorizationCodeGrant(confConfig, a.callback, checks, { resource });
  return refused(
    () => client.authorizationCodeGrant(confConfig, a.callback, { ...checks }, { resource }),
    (_e, d) => d.error === 'invalid_grant',
  );
});

// openid-client refuses our ID token when the nonce is not the one it expects (OIDC Core
// §3.1.3.7 11): the token really carries the request's nonce.
await step('wrong_nonce_refused_by_openid_client', async () => {
  const a = await authorize(confConfig, conf);
  return refused(
    () => client.authorizationCodeGrant(
      confConfig,
      a.callback,
      { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: client.randomNonce() },
      { resource },
    ),
    (e) => e.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' || /nonce/i.test(String(e.message)),
  );
});

// Our AS refuses a wrong client secret (RFC 6749 §5.2 invalid_client).
await step('wrong_client_secret_refused_by_as', async () => {
  const bad = await discover(conf, client.ClientSecretBasic(`${conf.client_secret}x`));
  return refused(
    () => client.clientCredentialsGrant(bad, { scope: 'mcp:tools', resource }),
    (_e, d) => d.error === 'invalid_client',
  );
});

// Our AS refuses a resource the client is not registered for (RFC 8707 §2: invalid_target).
await step('unregistered_resource_refused_by_as', async () =>
  refused(
    () => client.clientCredentialsGrant(confConfig, {
      scope: 'mcp:tools',
      resource: 'https://other.interop.example/api',
    }),
    (_e, d) => d.error === 'invalid_target',
  ));

process.stdout.write(`${JSON.stringify({ openid_client: version, steps })}\n`);
