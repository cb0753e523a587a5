// oidc-provider (npm) on loopback for the live interop tests (tests/interop_oidc_provider.rs)
// and for re-recording the fixtures their replay twins read (tests/client_interop.rs,
// tests/client_dpop.rs, tests/client_oidc.rs). Three providers, one per configuration:
//   client: code + PKCE + resource indicators (JWT access tokens), refresh with rotation,
//           client credentials, device flow, PAR, registration, introspection, revocation;
//   dpop:   DPoP with server nonces required (RFC 9449 §8), client credentials with
//           client_secret_basic and with private_key_jwt (key: tests/data/pem/es256_*);
//   oidc:   code flow with DPoP, signed UserInfo (OIDC Core §5.3.2), a public client.
// Usage: node oidc_provider.mjs [--exit-with-stdin] [CLIENT_PORT DPOP_PORT OIDC_PORT]
//   (ports 0 or absent: free ones). Prints one JSON line {"client": issuer, "dpop": issuer,
//   "oidc": issuer} once all listen. With --exit-with-stdin it exits when its standard input
//   closes (the test process that started it ended).
// oidc-provider is resolved from $OAUTH_CORE_INTEROP_NODE_DIR/node_modules (.ci/interop).
import { createPublicKey, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = process.env.OAUTH_CORE_INTEROP_NODE_DIR;
if (!dir) throw new Error('OAUTH_CORE_INTEROP_NODE_DIR is not set');
const require = createRequire(join(dir, 'package.json'));
const { default: Provider } = await import(pathToFileURL(require.resolve('oidc-provider')).href);

const here = dirname(fileURLToPath(import.meta.url));
const resource = 'http://127.0.0.1:9999/mcp';
const jwtClientKey = createPublicKey(readFileSync(join(here, '../pem/es256_public.pem')))
  .export({ format: 'jwk' });

const configs = {
  client: {
    clients: [{
      client_id: 'agent',
      client_secret: 'agent-secret-with-at-least-32-bytes!!',
      redirect_uris: ['http://127.0.0.1:8765/cb'],
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials',
        'urn:ietf:params:oauth:grant-type:device_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'openid offline_access api:read',
    }],
    scopes: ['openid', 'offline_access', 'api:read'],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      deviceFlow: { enabled: true },
      pushedAuthorizationRequests: { enabled: true },
      registration: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined,
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, indicator) => {
          if (indicator !== resource) throw new Error('unknown resource');
          return { scope: 'api:read', audience: resource, accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    issueRefreshToken: () => true,
    // RFC 9700 §4.14.2: a new refresh token on every use; the used one is then invalid.
    rotateRefreshToken: () => true,
    findAccount: (ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
  },
  dpop: {
    clients: [{
      client_id: 'dpop-agent',
      client_secret: 'dpop-agent-secret-with-32-bytes-or-more',
      redirect_uris: ['http://127.0.0.1:8765/cb'],
      grant_types: ['client_credentials'],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'api:read',
    }, {
      client_id: 'dpop-jwt-agent',
      redirect_uris: ['http://127.0.0.1:8765/cb'],
      grant_types: ['client_credentials'],
      response_types: [],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      jwks: { keys: [jwtClientKey] },
      scope: 'api:read',
    }],
    scopes: ['api:read'],
    features: {
      clientCredentials: { enabled: true },
      // RFC 9449 §8: every token request must carry a server-provided nonce.
      dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, indicator) => {
          if (indicator !== resource) throw new Error('unknown resource');
          // JWT access tokens, so cnf.jkt can be read (RFC 9449 §6.1).
          return { scope: 'api:read', audience: resource, accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
  },
  oidc: {
    clients: [{
      client_id: 'oidc-agent',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://127.0.0.1:8765/cb'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      userinfo_signed_response_alg: 'RS256',
    }],
    scopes: ['openid', 'email', 'profile'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      // OIDC Core §5.3.2: UserInfo as a signed JWT for clients that register an alg.
      jwtUserinfo: { enabled: true },
      // RFC 9449 §8, §9: proofs at the token endpoint and at UserInfo need a server nonce.
      dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true },
    },
    findAccount: (ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, email: `${id}@example.com`, email_verified: true, name: 'Alice' }),
    }),
  },
};

const args = process.argv.slice(2);
if (args[0] === '--exit-with-stdin') {
  args.shift();
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('close', () => process.exit(0));
  process.stdin.resume();
}
const ports = args.map(Number);
const issuers = {};
await Promise.all(Object.entries(configs).map(([name, config], i) => new Promise((ok, fail) => {
  const server = createServer();
  server.on('error', fail);
  server.listen(ports[i] ?? 0, '127.0.0.1', () => {
    const issuer = `http://127.0.0.1:${server.address().port}`;
    const provider = new Provider(issuer, config);
    server.on('request', provider.callback());
    issuers[name] = issuer;
    ok();
  });
})));
console.log(JSON.stringify(issuers));
