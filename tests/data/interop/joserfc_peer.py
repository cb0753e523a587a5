"""The `joserfc` (PyPI) side of tests/interop_jose.rs; same protocol as jose_peer.mjs.

One JSON request on stdin, one JSON answer on stdout:
  {"op":"sign","algs":[..],"claims":{..}} -> for each alg, a fresh key pair (and a second,
    unrelated one), a JWT signed by joserfc, and an unsecured (`none`) JWT made by joserfc;
  {"op":"verify","items":[{alg,jwk|pem,token,iss,aud}]} -> joserfc's verdict on each token,
    with the algorithm pinned to `alg` and iss, aud, exp checked (the key is a JWK, or a
    SubjectPublicKeyInfo PEM).
Run with the venv's python that .ci/interop installs joserfc into.
"""

import json
import sys
import warnings
from importlib.metadata import version

from joserfc import jws, jwt
from joserfc.jwk import ECKey, OctKey, OKPKey, RSAKey, import_key
from joserfc.jwt import JWTClaimsRegistry

# joserfc flags EdDSA as deprecated (RFC 9864 names Ed25519 instead); it still implements it.
warnings.simplefilter("ignore")

CURVES = {"ES256": "P-256", "ES384": "P-384", "ES512": "P-521"}


def key_pair(alg):
    if alg.startswith("HS"):
        key = OctKey.generate_key(int(alg[2:]), private=True)
    elif alg[:2] in ("RS", "PS"):
        key = RSAKey.generate_key(2048, private=True)
    elif alg in CURVES:
        key = ECKey.generate_key(CURVES[alg], private=True)
    elif alg == "EdDSA":
        key = OKPKey.generate_key("Ed25519", private=True)
    else:
        raise ValueError(alg)
    public = key.as_dict(private=alg.startswith("HS"))
    return key, key.as_dict(private=True), public


def sign(req):
    results = []
    for alg in req["algs"]:
        key, private_jwk, public_jwk = key_pair(alg)
        _, _, other_public = key_pair(alg)
        token = jwt.encode({"alg": alg, "typ": "JWT"}, req["claims"], key, algorithms=[alg])
        none_token = jws.serialize_compact(
            {"alg": "none"}, json.dumps(req["claims"]), None, algorithms=["none"]
        )
        results.append(
            {
                "alg": alg,
                "private_jwk": private_jwk,
                "public_jwk": public_jwk,
                "other_public_jwk": other_public,
                "token": token,
                "none_token": none_token,
            }
        )
    return results


def verify(req):
    results = []
    for item in req["items"]:
        alg = item["alg"]
        try:
            if "pem" in item:
                cls = {"RS": RSAKey, "PS": RSAKey, "ES": ECKey, "Ed": OKPKey}[alg[:2]]
                key = cls.import_key(item["pem"])
            else:
                key = import_key(item["jwk"])
            tok = jwt.decode(item["token"], key, algorithms=[alg])
            if tok.header.get("alg") != alg:
                raise ValueError("alg mismatch")
            JWTClaimsRegistry(
                iss={"essential": True, "value": item["iss"]},
                aud={"essential": True, "value": item["aud"]},
                exp={"essential": True},
            ).validate(tok.claims)
            results.append({"ok": True, "alg": tok.header["alg"], "claims": tok.claims})
        except Exception as e:  # noqa: BLE001 - every refusal is reported to the caller
            results.append({"ok": False, "error": f"{type(e).__name__}: {e}"})
    return results


def main():
    req = json.load(sys.stdin)
    results = sign(req) if req["op"] == "sign" else verify(req)
    json.dump({"peer": f"joserfc {version('joserfc')}", "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
