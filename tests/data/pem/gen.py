"""Generates the PEM key fixtures and tokens signed with them, using the Python
`cryptography` and `joserfc` packages as an independent implementation.
Run: pip install cryptography joserfc && python3 gen.py (output is committed)."""
import json, time
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from joserfc import jwt
from joserfc.jwk import ECKey, OKPKey, RSAKey

CLAIMS = {"iss": "https://as.example.com", "aud": "https://rs.example.com", "sub": "pem-test",
          "iat": 1700000000, "exp": 1700000300}
out = {}
keys = {
    "ES256": ec.generate_private_key(ec.SECP256R1()),
    "ES384": ec.generate_private_key(ec.SECP384R1()),
    "EdDSA": ed25519.Ed25519PrivateKey.generate(),
    "RS256": rsa.generate_private_key(public_exponent=65537, key_size=2048),
}
for alg, priv in keys.items():
    name = alg.lower()
    pub_pem = priv.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    priv_pem = priv.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    open(f"{name}_public.pem", "wb").write(pub_pem)
    open(f"{name}_private_pkcs8.pem", "wb").write(priv_pem)
    cls = {"ES256": ECKey, "ES384": ECKey, "EdDSA": OKPKey, "RS256": RSAKey}[alg]
    k = cls.import_key(priv_pem)
    out[alg] = jwt.encode({"alg": alg, "typ": "at+jwt"}, CLAIMS, k, algorithms=[alg])
json.dump({"claims": CLAIMS, "tokens": out}, open("tokens.json", "w"), indent=1)
