// The MCP TypeScript SDK (@modelcontextprotocol/sdk, npm) side of tests/interop_mcp_sdk.rs: the
// SDK's client completes its OAuth flow against our MCP server example (examples/mcp_server.rs)
// and our authorization server example (examples/authorization_server.rs, --auto-consent), then
// lists the tools and calls one.
//
//   node mcp_sdk_client.mjs <mcp endpoint URL> dcr
//   node mcp_sdk_client.mjs <mcp endpoint URL> preregistered <client_id> <client_secret> <redirect_uri>
//
// An OAuthClientProvider with headless redirect handling: redirectToAuthorization fetches the
// authorization URL without following redirects, checks the callback's state (and RFC 9207
// iss) and keeps the code; the transport's finishAuth then redeems it. `dcr`: no client
// information at first, the SDK registers (RFC 7591); `preregistered`: client_id and secret are
// known in advance (client_secret_basic).
//
// Prints one JSON object on stdout: {"sdk": version, "mode", "steps": {name: {ok, ...}}}.
// The SDK is resolved from $OAUTH_CORE_INTEROP_NODE_DIR/node_modules (.ci/interop).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.env.OAUTH_CORE_INTEROP_NODE_DIR;
if (!dir) throw new Error('OAUTH_CORE_INTEROP_NODE_DIR is not set');
const sdkDir = join(dir, 'node_modules/@modelcontextprotocol/sdk');
const esm = (p) => import(pathToFileURL(join(sdkDir, 'dist/esm', p)).href);
const { Client } = await esm('client/index.js');
const { StreamableHTTPClientTransport } = await esm('client/streamableHttp.js');
const { UnauthorizedError, registerClient, discoverAuthorizationServerMetadata } =
  await esm('client/auth.js');
// The package's exports map has no ./package.json: read it from its folder.
const version = JSON.parse(readFileSync(join(sdkDir, 'package.json'), 'utf8')).version;

const [mcpUrl, mode, clientId, clientSecret, preRedirect] = process.argv.slice(2);
if (!mcpUrl || !['dcr', 'preregistered'].includes(mode)) {
  throw new Error('usage: mcp_sdk_client.mjs <mcp url> dcr|preregistered [client_id secret redirect]');
}

class HeadlessProvider {
  constructor() {
    this.redirect = mode === 'dcr' ? 'http://127.0.0.1:9/callback' : preRedirect;
    this.info = mode === 'dcr' ? undefined : { client_id: clientId, client_secret: clientSecret };
    this.saved = undefined;
    this.verifier = undefined;
    this.sentState = undefined;
    this.code = undefined;
    this.callback = undefined;
    this.authorizationUrl = undefined;
    this.registered = undefined;
  }
  get redirectUrl() {
    return this.redirect;
  }
  get clientMetadata() {
    return {
      client_name: 'oauth-core interop (MCP TypeScript SDK)',
      redirect_uris: [this.redirect],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: mode === 'dcr' ? 'none' : 'client_secret_basic',
      // A loopback http redirect URI is a native app's (RFC 8252 §7.3; OIDC Registration).
      application_type: 'native',
    };
  }
  state() {
    this.sentState = randomBytes(16).toString('base64url');
    return this.sentState;
  }
  clientInformation() {
    return this.info;
  }
  // Called after a registration (and by some SDK versions for known clients too): only a
  // client that was unknown before counts as registered.
  saveClientInformation(info) {
    if (this.info === undefined) this.registered = info;
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens) {
    this.saved = tokens;
  }
  saveCodeVerifier(v) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
  // Headless: the authorization server auto-consents, so its answer is the redirect to us.
  async redirectToAuthorization(url) {
    this.authorizationUrl = new URL(url);
    const resp = await fetch(url, { redirect: 'manual' });
    const location = resp.headers.get('location');
    if (resp.status !== 302 && resp.status !== 303 || !location) {
      throw new Error(`authorize answered ${resp.status}: ${await resp.text()}`);
    }
    const cb = new URL(location);
    this.callback = cb;
    if (cb.searchParams.get('error')) {
      throw new Error(`authorization error: ${cb.searchParams.get('error')}`);
    }
    // RFC 6749 §10.12: the callback must carry the state this client sent.
    if (cb.searchParams.get('state') !== this.sentState) throw new Error('state mismatch');
    this.code = cb.searchParams.get('code');
  }
}

function payload(jwt) {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

const steps = {};
async function step(name, fn) {
  const t0 = Date.now();
  try {
    steps[name] = { ...(await fn()), ms: Date.now() - t0 };
  } catch (e) {
    steps[name] = { ok: false, error: String(e?.message ?? e), ms: Date.now() - t0 };
  }
  return steps[name].ok;
}

const provider = new HeadlessProvider();
const newClient = () => new Client({ name: 'oauth-core-interop', version: '1.0.0' });
let mcp;

// Unauthenticated: our MCP server answers 401 with resource_metadata (RFC 9728 §5.1).
await step('unauthenticated_401', async () => {
  const resp = await fetch(mcpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'ping' }),
  });
  const challenge = resp.headers.get('www-authenticate') ?? '';
  return { ok: resp.status === 401 && /resource_metadata=/.test(challenge), status: resp.status };
});

// The SDK's own flow: connect → 401 → discovery → (DCR) → authorize → UnauthorizedError;
// finishAuth(code) → token; connect again with the token.
const authorized = await step('auth_flow', async () => {
  const first = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider });
  let unauthorized = false;
  try {
    await newClient().connect(first);
  } catch (e) {
    if (!(e instanceof UnauthorizedError)) throw e;
    unauthorized = true;
  }
  if (!unauthorized || !provider.code) {
    return { ok: false, why: 'the SDK did not go through the authorization redirect' };
  }
  await first.finishAuth(provider.code);
  const at = payload(provider.saved?.access_token ?? '');
  const authUrl = provider.authorizationUrl;
  return {
    ok: typeof provider.saved?.access_token === 'string',
    registered: provider.registered ? { client_id: provider.registered.client_id } : null,
    authorization_request: {
      code_challenge_method: authUrl.searchParams.get('code_challenge_method'),
      resource: authUrl.searchParams.get('resource'),
      scope: authUrl.searchParams.get('scope'),
    },
    callback_iss: provider.callback.searchParams.get('iss'),
    token_type: provider.saved?.token_type,
    access_token: at && { aud: at.aud, iss: at.iss, sub: at.sub, client_id: at.client_id, scope: at.scope },
    has_refresh_token: typeof provider.saved?.refresh_token === 'string',
  };
});

if (authorized) {
  await step('connect_with_token', async () => {
    mcp = newClient();
    await mcp.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider }));
    return { ok: true, server: mcp.getServerVersion() };
  });
}
if (mcp) {
  await step('list_tools', async () => {
    const { tools } = await mcp.listTools();
    return { ok: tools.some((t) => t.name === 'echo'), tools: tools.map((t) => t.name) };
  });
  await step('call_tool', async () => {
    const res = await mcp.callTool({ name: 'echo', arguments: { text: 'hello from the MCP SDK' } });
    const text = res.content?.find((c) => c.type === 'text')?.text;
    return { ok: res.isError !== true && typeof text === 'string', text };
  });
  await mcp.close();
}

// DCR mode: the SDK's registerClient with a loopback http redirect URI but no
// application_type (it defaults to web) is refused by our AS with invalid_redirect_uri
// (OAuth 2.1 §2.3.1: web clients use https; MCP 2026-07-28 has clients send
// application_type), and the SDK surfaces that refusal. (SDK 1.32 has no class for RFC 7591
// §3.2.2's invalid_redirect_uri: it reports server_error carrying our error_description.)
if (mode === 'dcr' && provider.authorizationUrl) {
  await step('dcr_web_client_with_http_redirect_refused', async () => {
    const issuer = provider.authorizationUrl.origin;
    const metadata = await discoverAuthorizationServerMetadata(issuer);
    const { application_type: _, ...web } = provider.clientMetadata;
    try {
      await registerClient(issuer, { metadata, clientMetadata: web });
      return { ok: false, why: 'registered' };
    } catch (e) {
      const code = e?.errorCode ?? e?.constructor?.errorCode;
      const message = String(e?.message);
      return {
        ok: (code === 'invalid_redirect_uri' || code === 'server_error') && /https/.test(message),
        error: code,
        message,
      };
    }
  });
}

process.stdout.write(`${JSON.stringify({ sdk: version, mode, steps })}\n`);
