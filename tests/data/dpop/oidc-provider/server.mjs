// oidc-provider with DPoP nonces required, on loopback, for recording the DPoP exchange
// replayed by tests/client_dpop.rs. Run: npm install oidc-provider@9.13.3 (in a scratch
// directory), then
//   node server.mjs 3998
// and, in the crate: OAUTH_CORE_OIDC_PROVIDER_DPOP=http://127.0.0.1:3998 \
//   cargo test --test client_dpop -- --ignored record
import { randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.argv[2] ?? 3998);
const issuer = `http://127.0.0.1:${port}`;
const resource = 'http://127.0.0.1:9999/mcp';

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'dpop-agent',
    client_secret: 'dpop-agent-secret-with-32-bytes-or-more',
    redirect_uris: ['http://127.0.0.1:8765/cb'],
    grant_types: ['client_credentials'],
    response_types: [],
    token_endpoint_auth_method: 'client_secret_basic',
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
        // JWT access tokens, so the replay can read cnf.jkt (RFC 9449 §6.1).
        return { scope: 'api:read', audience: resource, accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } } };
      },
    },
  },
});
provider.listen(port, '127.0.0.1', () => console.log(`listening on ${issuer}`));
