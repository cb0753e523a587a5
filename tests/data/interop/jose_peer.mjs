// The `jose` (npm) side of tests/interop_jose.rs. One JSON request on stdin, one JSON
// answer on stdout:
//   {"op":"sign","algs":[..],"claims":{..}} -> for each alg, a fresh key pair (and a second,
//     unrelated one), a JWT signed by jose, and an unsecured (`none`) JWT made by jose;
//   {"op":"verify","items":[{alg,jwk|pem,token,iss,aud}]} -> jose's verdict on each token,
//     with the algorithm pinned to `alg` and iss, aud, exp checked (the key is a JWK, or a
//     SubjectPublicKeyInfo PEM).
// `jose` is resolved from $OAUTH_CORE_INTEROP_NODE_DIR/node_modules (installed by .ci/interop).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.env.OAUTH_CORE_INTEROP_NODE_DIR;
if (!dir) throw new Error('OAUTH_CORE_INTEROP_NODE_DIR is not set');
const require = createRequire(join(dir, 'package.json'));
const jose = await import(pathToFileURL(require.resolve('jose')).href);
const version = require('jose/package.json').version;

async function keyPair(alg) {
  if (alg.startsWith('HS')) {
    const secret = await jose.generateSecret(alg, { extractable: true });
    const jwk = await jose.exportJWK(secret);
    return { signing: secret, private_jwk: jwk, public_jwk: jwk };
  }
  const opts = { extractable: true };
  if (alg === 'EdDSA') opts.crv = 'Ed25519';
  const { publicKey, privateKey } = await jose.generateKeyPair(alg, opts);
  return {
    signing: privateKey,
    private_jwk: await jose.exportJWK(privateKey),
    public_jwk: await jose.exportJWK(publicKey),
  };
}

async function sign({ algs, claims }) {
  const results = [];
  for (const alg of algs) {
    const k = await keyPair(alg);
    const other = await keyPair(alg);
    const token = await new jose.SignJWT(claims)
      .setProtectedHeader({ alg, typ: 'JWT' })
      .sign(k.signing);
    results.push({
      alg,
      private_jwk: k.private_jwk,
      public_jwk: k.public_jwk,
      other_public_jwk: other.public_jwk,
      token,
      none_token: new jose.UnsecuredJWT(claims).encode(),
    });
  }
  return results;
}

async function verify({ items }) {
  const results = [];
  for (const { alg, jwk, pem, token, iss, aud } of items) {
    try {
      const key = pem ? await jose.importSPKI(pem, alg) : await jose.importJWK(jwk, alg);
      const { payload, protectedHeader } = await jose.jwtVerify(token, key, {
        algorithms: [alg], issuer: iss, audience: aud, requiredClaims: ['exp'],
      });
      results.push({ ok: true, alg: protectedHeader.alg, claims: payload });
    } catch (e) {
      results.push({ ok: false, error: `${e.code ?? e.name}: ${e.message}` });
    }
  }
  return results;
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
const req = JSON.parse(input);
const results = req.op === 'sign' ? await sign(req) : await verify(req);
process.stdout.write(JSON.stringify({ peer: `jose ${version}`, results }));
