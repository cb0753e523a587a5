// oidc-provider on loopback, for recording the responses replayed by tests/client_interop.rs.
// Run: npm install oidc-provider@9.13.3 (in a scratch directory), then
//   node server.mjs 3999
// and, in the crate: OAUTH_CORE_OIDC_PROVIDER=http://127.0.0.1:3999 \
//   cargo test --test client_interop -- --ignored record
import Provider from 'oidc-provider';

const port = Number(process.argv[2] ?? 3999);
const issuer = `http://127.0.0.1:${port}`;
const resource = 'http://127.0.0.1:9999/mcp';

const provider = new Provider(issuer, {
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
  findAccount: (ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
});
provider.listen(port, '127.0.0.1', () => console.log(`listening on ${issuer}`));
