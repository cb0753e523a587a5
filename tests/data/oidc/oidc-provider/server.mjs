// oidc-provider on loopback for recording the OpenID Connect exchanges replayed by
// tests/client_oidc.rs: code flow with DPoP (nonces required), a signed UserInfo response
// bound to the DPoP key. Run: npm install oidc-provider@9.13.3 (in a scratch directory), then
//   node server.mjs 3996
// and, in the crate: OAUTH_CORE_OIDC_PROVIDER_OIDC=http://127.0.0.1:3996 \
//   cargo test --test client_oidc -- --ignored record
import { randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.argv[2] ?? 3996);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
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
});
provider.listen(port, '127.0.0.1', () => console.log(`listening on ${issuer}`));
