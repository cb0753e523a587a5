#!/usr/bin/env python3
"""Generates vectors/jwt_cases.json: JWT access-token validation cases.

INDEPENDENT IMPLEMENTATION: every token here is built and signed with Python's
hmac/hashlib and the `cryptography` package, and every valid case is
cross-checked with `joserfc` (pip install joserfc cryptography). Nothing here
uses oauth-core: the vectors must never come from the code they test.

The signing input of each token is assembled by hand (base64url of the exact
header and payload octets chosen below), so duplicate members, wrong JSON
types, crit/b64 headers and broken encodings can be expressed and still carry
a correct signature: each negative case breaks exactly one rule.

Deterministic: fixed keys (tools/keys.py derives them from fixed labels), a
fixed clock (NOW), RFC 6979 deterministic ECDSA, and RSA-PSS with a salt
derived from the signing input (a legal PSS salt; verifiers never see it).
Re-running gives a byte-identical file.

Re-run:  python3 vectors/tools/gen_jwt_cases.py   (then tools/check_rfc_vectors.py)
"""
import hashlib
import hmac
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, padding, utils  # noqa: E402

import keys as K  # noqa: E402
from common import VECTORS_DIR, b64u, b64u_dec, write_json  # noqa: E402

NOW = 1750000000          # 2025-06-15T15:06:40Z, the fixed clock of every case
ISS = "https://issuer.example.com"
AUD = "https://api.example.com"
TYP = "at+jwt"
REQUIRED = ["iss", "exp", "aud", "sub", "client_id", "iat", "jti"]  # RFC 9068 §2.2
MAX_LEN = 16384

# ---------------------------------------------------------------------------
# Keys (see keys.py for the derivation)
# ---------------------------------------------------------------------------
HS_SECRET = K.hmac_key("oauth-core vectors/hs256", 32)
RS_PRIV = K.rsa_key("oauth-core vectors/rs256", 2048)
PS_PRIV = K.rsa_key("oauth-core vectors/ps256", 2048)
ES256_PRIV = K.ec_key("oauth-core vectors/es256", "P-256")
ES384_PRIV = K.ec_key("oauth-core vectors/es384", "P-384")
ED_PRIV = K.ed25519_key("oauth-core vectors/eddsa")
ATTACKER_PRIV = K.ec_key("oauth-core vectors/attacker-es256", "P-256")
ES256_TWIN_PRIV = K.ec_key("oauth-core vectors/es256-twin", "P-256")
P384_FOR_ES256_PRIV = K.ec_key("oauth-core vectors/p384-used-with-es256", "P-384")
RSA1024_PRIV = K.rsa_key("oauth-core vectors/rsa1024", 1024)
SHORT_SECRET = K.hmac_key("oauth-core vectors/hs256-short", 16)

KID = {"HS256": "hs256-2025", "RS256": "rs256-2025", "PS256": "ps256-2025",
       "ES256": "es256-2025", "ES384": "es384-2025", "EdDSA": "eddsa-2025"}

PRIVATE_JWKS = {
    "hs256": K.oct_jwk(HS_SECRET, kid=KID["HS256"], alg="HS256", use="sig"),
    "rs256": K.rsa_jwk(RS_PRIV, private=True, kid=KID["RS256"], alg="RS256", use="sig"),
    "ps256": K.rsa_jwk(PS_PRIV, private=True, kid=KID["PS256"], alg="PS256", use="sig"),
    "es256": K.ec_jwk(ES256_PRIV, "P-256", private=True, kid=KID["ES256"], alg="ES256", use="sig"),
    "es384": K.ec_jwk(ES384_PRIV, "P-384", private=True, kid=KID["ES384"], alg="ES384", use="sig"),
    "eddsa": K.ed25519_jwk(ED_PRIV, private=True, kid=KID["EdDSA"], alg="EdDSA", use="sig"),
    "attacker-es256": K.ec_jwk(ATTACKER_PRIV, "P-256", private=True, kid="attacker-1", alg="ES256"),
    "es256-twin": K.ec_jwk(ES256_TWIN_PRIV, "P-256", private=True, kid=KID["ES256"], alg="ES256", use="sig"),
    "p384-used-with-es256": K.ec_jwk(P384_FOR_ES256_PRIV, "P-384", private=True, kid="p384-nopin"),
    "rsa1024": K.rsa_jwk(RSA1024_PRIV, private=True, kid="rsa1024", alg="RS256", use="sig"),
    "hs256-short": K.oct_jwk(SHORT_SECRET, kid="hs256-short", alg="HS256", use="sig"),
}


def public_jwk(jwk):
    return {k: v for k, v in jwk.items() if k not in ("d", "p", "q", "dp", "dq", "qi")}


PUB = {name: public_jwk(j) for name, j in PRIVATE_JWKS.items()}
PUB["hs256"] = PRIVATE_JWKS["hs256"]            # a symmetric key is its own "public" key
PUB["hs256-short"] = PRIVATE_JWKS["hs256-short"]
# A verifier's set never mixes a shared secret with public keys (Wycheproof
# json_web_key "MixedKeySet": reject), so HS256 cases get a set of their own.
JWKS = {"keys": [PUB["rs256"], PUB["ps256"], PUB["es256"], PUB["es384"], PUB["eddsa"]]}
JWKS_HS = {"keys": [PUB["hs256"]]}


def default_jwks(jws):
    """The set a case is checked against: the HS256 set when the header names the
    HS256 key's kid (or, without kid, alg HS*), else the asymmetric set."""
    try:
        seg = jws.split(".")[0]
        h = json.loads(b64u_dec(seg))
        kid, alg = h.get("kid"), h.get("alg")
    except Exception:
        return JWKS
    if kid == PUB["hs256"]["kid"] or (kid is None and isinstance(alg, str) and alg.startswith("HS")):
        return JWKS_HS
    return JWKS

SIGNER = {"HS256": HS_SECRET, "RS256": RS_PRIV, "PS256": PS_PRIV, "ES256": ES256_PRIV,
          "ES384": ES384_PRIV, "EdDSA": ED_PRIV}

# ---------------------------------------------------------------------------
# Signing (hmac / cryptography), deterministic
# ---------------------------------------------------------------------------
_HASH = {"256": (hashlib.sha256, hashes.SHA256), "384": (hashlib.sha384, hashes.SHA384),
         "512": (hashlib.sha512, hashes.SHA512)}


def _mgf1(seed: bytes, length: int, h) -> bytes:
    out, counter = b"", 0
    while len(out) < length:
        out += h(seed + counter.to_bytes(4, "big")).digest()
        counter += 1
    return out[:length]


def _pss_sign(priv, msg: bytes, h) -> bytes:
    """RFC 8017 §9.1.1 EMSA-PSS-ENCODE with sLen = hLen and a salt derived from
    the message (deterministic output), then RSASP1. Verified below with
    cryptography's own PSS verifier."""
    nums = priv.private_numbers()
    n, d = nums.public_numbers.n, nums.d
    mod_bits = n.bit_length()
    em_bits = mod_bits - 1
    em_len = (em_bits + 7) // 8
    m_hash = h(msg).digest()
    h_len = len(m_hash)
    salt = h(b"oauth-core vectors PSS salt" + msg).digest()[:h_len]
    hh = h(b"\x00" * 8 + m_hash + salt).digest()
    db = b"\x00" * (em_len - 2 * h_len - 2) + b"\x01" + salt
    masked = bytearray(a ^ b for a, b in zip(db, _mgf1(hh, em_len - h_len - 1, h)))
    masked[0] &= 0xFF >> (8 * em_len - em_bits)
    em = bytes(masked) + hh + b"\xbc"
    s = pow(int.from_bytes(em, "big"), d, n)
    return s.to_bytes((mod_bits + 7) // 8, "big")


def sign(alg: str, key, signing_input: bytes) -> bytes:
    fam, bits = alg[:2], alg[-3:]
    if alg == "EdDSA":
        sig = key.sign(signing_input)
        key.public_key().verify(sig, signing_input)
        return sig
    h, ch = _HASH[bits]
    if fam == "HS":
        return hmac.new(key, signing_input, h).digest()
    if fam == "RS":
        sig = key.sign(signing_input, padding.PKCS1v15(), ch())
        key.public_key().verify(sig, signing_input, padding.PKCS1v15(), ch())
        return sig
    if fam == "PS":
        sig = _pss_sign(key, signing_input, h)
        key.public_key().verify(sig, signing_input,
                                padding.PSS(mgf=padding.MGF1(ch()), salt_length=ch.digest_size), ch())
        return sig
    if fam == "ES":
        der = key.sign(signing_input, ec.ECDSA(ch(), deterministic_signing=True))
        r, s = utils.decode_dss_signature(der)
        size = (key.curve.key_size + 7) // 8
        sig = r.to_bytes(size, "big") + s.to_bytes(size, "big")
        key.public_key().verify(der, signing_input, ec.ECDSA(ch()))
        return sig
    raise ValueError(alg)


def enc(part) -> str:
    """A header/payload given as dict (compact JSON), str (exact text) or bytes (exact octets)."""
    if isinstance(part, dict) or isinstance(part, list):
        part = json.dumps(part, separators=(",", ":"), ensure_ascii=False)
    if isinstance(part, str):
        part = part.encode("utf-8")
    return b64u(part)


def token(header, claims, alg=None, key=None, *, sig_alg=None) -> str:
    """Compact JWS over the exact header/claims octets; sig_alg/key choose the
    actual signature (defaults: the header's alg and our key for it)."""
    h, p = enc(header), enc(claims)
    sig_alg = sig_alg or alg
    if key is None:
        key = SIGNER[sig_alg]
    sig = sign(sig_alg, key, (h + "." + p).encode("ascii"))
    return h + "." + p + "." + b64u(sig)


def hdr(alg, **extra):
    h = {"alg": alg, "typ": TYP, "kid": KID.get(alg, "none")}
    h.update(extra)
    return {k: v for k, v in h.items() if v is not None}


def claims(jti, **over):
    c = {"iss": ISS, "sub": "user-4711", "aud": AUD, "exp": NOW + 3600, "nbf": NOW - 60, "iat": NOW - 60,
         "jti": jti, "client_id": "client-abc", "scope": "read write"}
    c.update(over)
    return {k: v for k, v in c.items() if v is not None}


def raw_claims(jti, middle: str) -> str:
    """Claims as exact JSON text with `middle` (members) spliced in after iss."""
    return ('{"iss":"%s",%s"sub":"user-4711","exp":%d,"nbf":%d,"iat":%d,"jti":"%s",'
            '"client_id":"client-abc","scope":"read write"}' % (ISS, middle, NOW + 3600, NOW - 60, NOW - 60, jti))


CASES = []


def case(cid, comment, jws, *, expect="invalid", error=None, also=None, key=None, jwks=None, alg=None,
         now=NOW, issuer=ISS, audience=AUD, leeway=0, typ=TYP, required=REQUIRED, max_len=None,
         expected_claims=None):
    c = {"id": "jwt-" + cid, "kind": "jwt_validate", "comment": comment, "jws": jws}
    if key is not None:
        c["key"] = key
    else:
        c["jwks"] = jwks if jwks is not None else default_jwks(jws)
    if alg is not None:
        c["alg"] = alg
    c.update({"now": now, "issuer": issuer, "audience": audience, "leeway": leeway})
    if typ is not None:
        c["typ"] = typ
    if required:
        c["required_claims"] = list(required)
    if max_len is not None:
        c["max_token_len"] = max_len
    c["expect"] = expect
    if expect == "valid":
        c["expected_claims"] = expected_claims or {}
    else:
        c["error"] = error
        if also:
            c["error_also"] = list(also)
    assert all(x["id"] != c["id"] for x in CASES), cid
    CASES.append(c)


def std_expected(cl):
    return {k: cl[k] for k in ("sub", "client_id", "scope", "jti", "aud") if k in cl}


def alter_sig(jws, fn):
    h, p, s = jws.split(".")
    return h + "." + p + "." + fn(s)


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------
ALGS = ["HS256", "RS256", "PS256", "ES256", "ES384", "EdDSA"]


def build():
    # --- valid access tokens, every algorithm, aud as string and as array ----
    for alg in ALGS:
        a = alg.lower()
        cl = claims("jti-valid-%s-1" % a)
        case("valid-%s-aud-string" % a, "Valid RFC 9068 access token (typ at+jwt), %s, aud a string." % alg,
             token(hdr(alg), cl, alg), expect="valid", expected_claims=std_expected(cl))
        cl = claims("jti-valid-%s-2" % a, aud=["https://other.example.com", AUD])
        case("valid-%s-aud-array" % a, "Valid, %s, aud an array that contains our audience second." % alg,
             token(hdr(alg), cl, alg), expect="valid", expected_claims=std_expected(cl))
        cl = claims("jti-tampered-%s" % a)
        good = token(hdr(alg), cl, alg)
        h, p, s = good.split(".")
        p2 = enc(claims("jti-tampered-%s" % a, sub="admin"))
        case("tampered-claims-%s" % a, "Claims changed after signing (sub user-4711 -> admin), %s signature of the original." % alg,
             h + "." + p2 + "." + s, error="signature")

    # --- time -----------------------------------------------------------------
    case("expired", "exp 120 s before now, no leeway.",
         token(hdr("RS256"), claims("jti-exp-1", exp=NOW - 120, nbf=NOW - 3600, iat=NOW - 3600), "RS256"),
         error="expired")
    case("expired-at-exact-second", "now == exp is expired (RFC 7519 §4.1.4: now must be before exp).",
         token(hdr("HS256"), claims("jti-exp-2", exp=NOW, nbf=NOW - 3600, iat=NOW - 3600), "HS256"),
         error="expired")
    cl = claims("jti-exp-3", exp=NOW - 30, nbf=NOW - 3600, iat=NOW - 3600)
    case("expired-within-leeway", "exp 30 s in the past, leeway 60 s: accepted (now < exp + leeway).",
         token(hdr("ES256"), cl, "ES256"), leeway=60, expect="valid", expected_claims=std_expected(cl))
    case("expired-beyond-leeway", "exp 61 s in the past, leeway 60 s: expired.",
         token(hdr("ES256"), claims("jti-exp-4", exp=NOW - 61, nbf=NOW - 3600, iat=NOW - 3600), "ES256"),
         leeway=60, error="expired")
    case("nbf-in-future", "nbf 300 s after now, no leeway.",
         token(hdr("PS256"), claims("jti-nbf-1", nbf=NOW + 300), "PS256"), error="not_yet_valid")
    cl = claims("jti-nbf-2", nbf=NOW + 30)
    case("nbf-within-leeway", "nbf 30 s after now, leeway 60 s: accepted.",
         token(hdr("PS256"), cl, "PS256"), leeway=60, expect="valid", expected_claims=std_expected(cl))
    cl = claims("jti-nbf-3", nbf=NOW)
    case("nbf-equals-now", "nbf == now is valid (now must be after or equal to nbf).",
         token(hdr("EdDSA"), cl, "EdDSA"), expect="valid", expected_claims=std_expected(cl))
    case("iat-future-beyond-leeway", "iat 600 s after now (nbf in the past), leeway 60 s.",
         token(hdr("ES384"), claims("jti-iat-1", iat=NOW + 600), "ES384"), leeway=60, error="iat_future")
    cl = claims("jti-iat-2", iat=NOW + 30, nbf=NOW - 60)
    case("iat-future-within-leeway", "iat 30 s after now, leeway 60 s: accepted.",
         token(hdr("ES384"), cl, "ES384"), leeway=60, expect="valid", expected_claims=std_expected(cl))
    cl = claims("jti-exp-frac", exp=NOW + 3600.5)
    case("exp-fractional", "exp 1750003600.5: a NumericDate may be non-integer (RFC 7519 §2).",
         token(hdr("HS256"), cl, "HS256"), expect="valid", expected_claims=std_expected(cl))

    # --- iss / aud ---------------------------------------------------------------
    case("iss-wrong", "iss is another issuer.",
         token(hdr("EdDSA"), claims("jti-iss-1", iss="https://evil.example.com"), "EdDSA"), error="issuer")
    case("iss-trailing-slash", "iss differs from the configured issuer only by a trailing slash: exact string comparison.",
         token(hdr("RS256"), claims("jti-iss-2", iss=ISS + "/"), "RS256"), error="issuer")
    case("iss-missing", "No iss claim while an issuer is configured (and iss is required).",
         token(hdr("ES256"), claims("jti-iss-3", iss=None), "ES256"), error="issuer", also=["missing_claim"])
    case("iss-number", "iss is a number.",
         token(hdr("HS256"), claims("jti-iss-4", iss=12345), "HS256"), error="claim_type", also=["issuer"])
    case("aud-missing", "No aud claim while an audience is configured (and aud is required).",
         token(hdr("HS256"), claims("jti-aud-1", aud=None), "HS256"), error="audience", also=["missing_claim"])
    case("aud-wrong", "aud is another audience.",
         token(hdr("ES256"), claims("jti-aud-2", aud="https://other.example.com"), "ES256"), error="audience")
    case("aud-array-without-ours", "aud array not containing our audience.",
         token(hdr("PS256"), claims("jti-aud-3", aud=["https://a.example.com", "https://b.example.com"]), "PS256"),
         error="audience")
    case("aud-array-empty", "aud is an empty array.",
         token(hdr("RS256"), claims("jti-aud-4", aud=[]), "RS256"), error="audience", also=["missing_claim"])
    case("aud-number", "aud is a number (wrong type).",
         token(hdr("ES384"), claims("jti-aud-5", aud=42), "ES384"), error="claim_type", also=["audience"])
    case("aud-array-with-number", "aud array with a non-string element next to ours.",
         token(hdr("EdDSA"), claims("jti-aud-6", aud=[AUD, 7]), "EdDSA"), error="claim_type", also=["audience"])

    # --- claim types: wrong type is claim_type, never "absent" ----------------------
    case("exp-string", "exp is the string \"1750003600\": wrong type, must not be treated as absent.",
         token(hdr("ES384"), claims("jti-type-1", exp=str(NOW + 3600)), "ES384"), error="claim_type")
    case("exp-boolean", "exp is true.",
         token(hdr("HS256"), claims("jti-type-2", exp=True), "HS256"), error="claim_type")
    case("exp-null", "exp is null: a wrong type, not an absent claim.",
         token(hdr("RS256"), claims("jti-type-3", exp=None) | {"exp": None}, "RS256"), error="claim_type")
    case("nbf-string", "nbf is a string.",
         token(hdr("PS256"), claims("jti-type-4", nbf=str(NOW - 60)), "PS256"), error="claim_type")
    case("iat-string", "iat is a string.",
         token(hdr("EdDSA"), claims("jti-type-5", iat=str(NOW - 60)), "EdDSA"), error="claim_type")
    case("exp-missing", "No exp claim while exp is required.",
         token(hdr("ES256"), claims("jti-miss-1", exp=None), "ES256"), error="missing_claim")
    case("sub-missing", "No sub claim while sub is required.",
         token(hdr("HS256"), claims("jti-miss-2", sub=None), "HS256"), error="missing_claim")

    # --- typ -----------------------------------------------------------------------
    case("typ-missing", "No typ header while at+jwt is required (RFC 9068 §4).",
         token(hdr("RS256", typ=None), claims("jti-typ-1"), "RS256"), error="typ")
    case("typ-jwt", "typ JWT while at+jwt is required.",
         token(hdr("ES256", typ="JWT"), claims("jti-typ-2"), "ES256"), error="typ")
    cl = claims("jti-typ-3")
    case("typ-application-at-jwt", "typ application/at+jwt is the same media type (RFC 7515 §4.1.9): accepted.",
         token(hdr("EdDSA", typ="application/at+jwt"), cl, "EdDSA"), expect="valid", expected_claims=std_expected(cl))
    cl = claims("jti-typ-4")
    case("typ-not-required", "typ JWT is fine when no typ is required (typ input absent).",
         token(hdr("HS256", typ="JWT"), cl, "HS256"), typ=None, expect="valid", expected_claims=std_expected(cl))

    # --- alg -----------------------------------------------------------------------
    h_none = enc({"alg": "none", "typ": TYP})
    case("alg-none", "alg none with an empty signature.",
         h_none + "." + enc(claims("jti-alg-1")) + ".", error="alg_none")
    p = enc(claims("jti-alg-2"))
    mac = hmac.new(HS_SECRET, (h_none + "." + p).encode(), hashlib.sha256).digest()
    case("alg-none-with-signature", "alg none with a signature segment present (an HMAC by our key): still alg_none.",
         h_none + "." + p + "." + b64u(mac), error="alg_none")
    h_none_uc = enc({"alg": "NONE", "typ": TYP})
    case("alg-none-uppercase", "alg NONE (alg values are case-sensitive): not a supported algorithm.",
         h_none_uc + "." + enc(claims("jti-alg-3")) + ".", error="alg_unsupported", also=["alg_none"])
    case("alg-unsupported", "alg XS256 is not a registered algorithm (token otherwise well formed, HMAC'd with our key).",
         token({"alg": "XS256", "typ": TYP, "kid": KID["HS256"]}, claims("jti-alg-4"), key=HS_SECRET, sig_alg="HS256"),
         error="alg_unsupported")
    pem = RS_PRIV.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    der = RS_PRIV.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    case("alg-confusion-hs256-rsa-pem", "Classic confusion: header HS256 with the RSA key's kid, MAC keyed with the RSA public key's PEM (SPKI) text. The RSA key is pinned to RS256.",
         token({"alg": "HS256", "typ": TYP, "kid": KID["RS256"]}, claims("jti-conf-1"), key=pem, sig_alg="HS256"),
         error="alg_mismatch")
    case("alg-confusion-hs256-rsa-der", "Same, MAC keyed with the DER SPKI octets.",
         token({"alg": "HS256", "typ": TYP, "kid": KID["RS256"]}, claims("jti-conf-2"), key=der, sig_alg="HS256"),
         error="alg_mismatch")
    rsa_noalg = {k: v for k, v in PUB["rs256"].items() if k not in ("alg",)}
    case("alg-confusion-hs256-single-rsa-key", "Confusion against a single RSA JWK without alg, the caller pinning RS256.",
         token({"alg": "HS256", "typ": TYP}, claims("jti-conf-3"), key=pem, sig_alg="HS256"),
         key=rsa_noalg, alg="RS256", error="alg_mismatch")
    case("alg-ps256-with-rs256-key", "A genuine PS256 signature by the RSA key whose JWK pins RS256.",
         token({"alg": "PS256", "typ": TYP, "kid": KID["RS256"]}, claims("jti-pin-1"), key=RS_PRIV, sig_alg="PS256"),
         error="alg_mismatch")
    case("alg-hs384-with-hs256-key", "A genuine HS384 MAC with the secret whose JWK pins HS256.",
         token({"alg": "HS384", "typ": TYP, "kid": KID["HS256"]}, claims("jti-pin-2"), key=HS_SECRET, sig_alg="HS384"),
         error="alg_mismatch")
    case("header-missing-alg", "Header without alg (HMAC'd with our key).",
         token({"typ": TYP, "kid": KID["HS256"]}, claims("jti-alg-5"), key=HS_SECRET, sig_alg="HS256"),
         error="malformed", also=["alg_unsupported", "json"])

    # --- crit / b64 ----------------------------------------------------------------
    case("crit-unknown", "crit [\"exp-x\"] with the exp-x member present: an extension we do not understand.",
         token(hdr("ES256", crit=["exp-x"], **{"exp-x": 1}), claims("jti-crit-1"), "ES256"), error="crit")
    case("crit-empty", "crit is an empty array (RFC 7515 §4.1.11 forbids it).",
         token(hdr("RS256", crit=[]), claims("jti-crit-2"), "RS256"), error="crit")
    case("crit-member-absent", "crit lists exp-x but the header has no exp-x member.",
         token(hdr("HS256", crit=["exp-x"]), claims("jti-crit-3"), "HS256"), error="crit")
    # RFC 7797: with b64 false the payload is not base64url-encoded in the
    # signing input. The payload octets here are the base64url text of the
    # claims (no '.'), so a verifier that ignored crit/b64 would both verify
    # the signature and decode valid-looking claims.
    b64h = enc(hdr("HS256", b64=False, crit=["b64"]))
    payload_text = enc(claims("jti-b64-1"))
    mac = hmac.new(HS_SECRET, (b64h + "." + payload_text).encode(), hashlib.sha256).digest()
    case("b64-false", "Header b64:false with crit [\"b64\"] (RFC 7797 unencoded payload), correctly MAC'd over the unencoded payload: JWTs never use it.",
         b64h + "." + payload_text + "." + b64u(mac), error="b64", also=["crit"])

    # --- duplicate members --------------------------------------------------------
    dup_h = '{"typ":"at+jwt","kid":"%s","alg":"HS256","alg":"none"}' % KID["HS256"]
    case("duplicate-header-alg", "Header {\"alg\":\"HS256\",\"alg\":\"none\"} (MAC'd with HS256): duplicate member names must be rejected, not last-wins.",
         token(dup_h, claims("jti-dup-1"), key=HS_SECRET, sig_alg="HS256"), error="duplicate_member", also=["json"])
    dup_c = raw_claims("jti-dup-2", '"aud":"%s","aud":"https://evil.example.com",' % AUD)
    case("duplicate-claims-aud", "Claims with aud twice (ours first, then another).",
         token(hdr("ES256"), dup_c, "ES256"), error="duplicate_member", also=["json"])
    dup_esc = raw_claims("jti-dup-3", '"aud":"https://evil.example.com","\\u0061ud":"%s",' % AUD)
    case("duplicate-claims-aud-escaped", "aud twice, the second spelled \"\\u0061ud\": after unescaping it is the same name.",
         token(hdr("RS256"), dup_esc, "RS256"), error="duplicate_member", also=["json"])
    esc = raw_claims("jti-esc-1", '"\\u0061ud":"%s",' % AUD).replace('"sub":"user-4711"', '"sub":"j\\u00fcrgen"')
    case("claims-escaped-member-name", "Valid: the aud member name is written \"\\u0061ud\" and sub contains \\u00fc; a JSON parser must unescape both.",
         token(hdr("EdDSA"), esc, "EdDSA"), expect="valid",
         expected_claims={"aud": AUD, "sub": "j\u00fcrgen", "jti": "jti-esc-1"})
    cl = claims("jti-hdr-x", sub="j\u00fcrgen \u2603")
    case("unknown-header-member-and-utf8", "Valid: an unknown header member (not in crit) is ignored; sub has non-ASCII UTF-8.",
         token(hdr("ES256", **{"x-custom": {"a": [1, 2]}}), cl, "ES256"), expect="valid", expected_claims=std_expected(cl))

    # --- key selection ------------------------------------------------------------
    case("kid-not-in-set", "kid unknown-kid is not in the JWK Set (signed by our ES256 key).",
         token(hdr("ES256", kid="unknown-kid"), claims("jti-kid-1"), "ES256"), error="key_not_found")
    twin_jwks = {"keys": JWKS["keys"] + [PUB["es256-twin"]]}
    case("kid-ambiguous", "Two ES256 keys in the set share kid es256-2025; the token is signed by the first. The key is ambiguous.",
         token(hdr("ES256"), claims("jti-kid-2"), "ES256"), jwks=twin_jwks, error="key_ambiguous")
    att = PUB["attacker-es256"]
    case("jku-attacker", "jku points at an attacker's JWK Set and kid names the attacker's key; signed by that key. jku must never be fetched.",
         token(hdr("ES256", kid="attacker-1", jku="https://attacker.example/jwks.json"), claims("jti-att-1"),
               key=ATTACKER_PRIV, sig_alg="ES256"), error="key_not_found", also=["signature"])
    case("x5u-attacker", "x5u points at an attacker's certificate; kid names the attacker's key; signed by it.",
         token(hdr("ES256", kid="attacker-1", x5u="https://attacker.example/cert.pem"), claims("jti-att-2"),
               key=ATTACKER_PRIV, sig_alg="ES256"), error="key_not_found", also=["signature"])
    case("jwk-header-attacker", "Embedded jwk header with the attacker's public key, no kid; signed by the attacker key. The embedded key must not be trusted.",
         token({"alg": "ES256", "typ": TYP, "jwk": {k: att[k] for k in ("kty", "crv", "x", "y")}}, claims("jti-att-3"),
               key=ATTACKER_PRIV, sig_alg="ES256"), error="key_not_found", also=["signature"])
    case("jwk-header-attacker-our-kid", "Embedded attacker jwk together with our ES256 kid; signed by the attacker key.",
         token(hdr("ES256", jwk={k: att[k] for k in ("kty", "crv", "x", "y")}), claims("jti-att-4"),
               key=ATTACKER_PRIV, sig_alg="ES256"), error="signature")

    # --- keys rejected at parse ----------------------------------------------------
    case("key-hmac-too-short", "HS256 with a 16-octet secret (RFC 7518 §3.2 requires at least 32).",
         token({"alg": "HS256", "typ": TYP, "kid": "hs256-short"}, claims("jti-key-1"), key=SHORT_SECRET, sig_alg="HS256"),
         key=PUB["hs256-short"], error="key_invalid")
    case("key-rsa-1024", "RS256 by a 1024-bit RSA key (minimum is 2048).",
         token({"alg": "RS256", "typ": TYP, "kid": "rsa1024"}, claims("jti-key-2"), key=RSA1024_PRIV, sig_alg="RS256"),
         key=PUB["rsa1024"], error="key_invalid")
    # e = 1: the "signature" is just the PKCS#1 v1.5 encoded message, forgeable by anyone.
    n = RS_PRIV.public_key().public_numbers().n
    h1 = enc({"alg": "RS256", "typ": TYP})
    p1 = enc(claims("jti-key-3"))
    digest_info = bytes.fromhex("3031300d060960864801650304020105000420") + hashlib.sha256((h1 + "." + p1).encode()).digest()
    em = b"\x00\x01" + b"\xff" * (256 - 3 - len(digest_info)) + b"\x00" + digest_info
    e1_key = {"kty": "RSA", "n": PUB["rs256"]["n"], "e": "AQ", "alg": "RS256"}
    assert int.from_bytes(em, "big") < n
    case("key-rsa-e-1", "RSA JWK with e=1: the forged signature is the encoded message itself (it would verify). Key must be rejected.",
         h1 + "." + p1 + "." + b64u(em), key=e1_key, error="key_invalid")
    case("key-ec-wrong-curve", "ES256 header, key is a P-384 JWK without alg (caller pins ES256); signed with that P-384 key over SHA-256.",
         token({"alg": "ES256", "typ": TYP}, claims("jti-key-4"), key=P384_FOR_ES256_PRIV, sig_alg="ES256"),
         key=PUB["p384-used-with-es256"], alg="ES256", error="key_invalid", also=["alg_mismatch"])
    enc_key = dict(PUB["es256"], use="enc")
    case("key-use-enc", "The only key is our ES256 key marked use=enc: not a signature key.",
         token(hdr("ES256"), claims("jti-key-5"), "ES256"), key=enc_key, error="key_invalid", also=["key_not_found"])
    bad_point = dict(PUB["es256"])
    y = bytearray(b64u_dec(bad_point["y"]))
    y[-1] ^= 0x01
    bad_point["y"] = b64u(bytes(y))
    case("key-ec-point-not-on-curve", "Our ES256 key with one bit of y flipped: the point is not on P-256.",
         token(hdr("ES256"), claims("jti-key-6"), "ES256"), key=bad_point, error="key_invalid")

    # --- segment structure ---------------------------------------------------------------
    good = token(hdr("HS256"), claims("jti-seg-0"), "HS256")
    h, p, s = good.split(".")
    case("two-segments", "Truncated token: header.payload only.", h + "." + p, error="malformed")
    case("four-segments", "Four segments (an extra one after the signature).", good + ".e30", error="malformed")
    case("empty-token", "The empty string.", "", error="malformed")
    case("signature-empty", "HS256 token whose signature segment is empty.", h + "." + p + ".", error="malformed",
         also=["signature"])
    case("trailing-newline", "A valid token followed by a line feed.", good + "\n", error="malformed", also=["base64"])
    case("leading-space", "A space before a valid token.", " " + good, error="malformed", also=["base64"])
    # Standard-alphabet characters in place of their base64url twins: a decoder
    # that accepts both alphabets gets the same octets and a valid MAC, so only
    # a strict base64url decoder rejects these tokens.
    for n_try in range(100):
        hs = enc(hdr("HS256", **{"x-n": "~" * (n_try + 1)}))
        ps = enc(claims("jti-std-" + "~" * (n_try + 1)))
        t = token(hdr("HS256", **{"x-n": "~" * (n_try + 1)}), claims("jti-std-" + "~" * (n_try + 1)), "HS256")
        ss = t.split(".")[2]
        if all(("-" in x or "_" in x) for x in (hs, ps, ss)):
            break
    twin = str.maketrans({"-": "+", "_": "/"})

    def std_char(seg):
        i = min(j for j in (seg.find("-"), seg.find("_")) if j >= 0)
        return seg[:i] + seg[i].translate(twin) + seg[i + 1:]
    case("bad-char-header", "The header segment with one '-'/'_' replaced by its standard-base64 twin '+'/'/'; the rest of the token (incl. its MAC) is valid.",
         std_char(hs) + "." + ps + "." + ss, error="base64", also=["malformed", "signature"])
    case("bad-char-payload", "The payload segment with one '-'/'_' replaced by '+'/'/' (standard base64 alphabet).",
         hs + "." + std_char(ps) + "." + ss, error="base64", also=["malformed", "signature"])
    case("bad-char-signature", "The signature segment with one '-'/'_' replaced by '+'/'/' (standard base64 alphabet).",
         hs + "." + ps + "." + std_char(ss), error="base64", also=["malformed"])
    case("bad-char-signature-bang", "A '!' (in no base64 alphabet) in place of a signature character.",
         h + "." + p + "." + s[:7] + "!" + s[8:], error="base64", also=["malformed"])
    assert len(s) % 4 != 0
    case("padding-signature", "The signature segment with a base64 '=' pad (JWS forbids padding).",
         h + "." + p + "." + s + "=", error="base64", also=["malformed"])
    # payload needing padding: choose a jti that makes the segment length 2 or 3 mod 4
    for i in range(8):
        pp = enc(claims("jti-pad" + "x" * i))
        if len(pp) % 4 in (2, 3):
            break
    tok = token(hdr("HS256"), claims("jti-pad" + "x" * i), "HS256")
    hh, pp, ss = tok.split(".")
    pad = "=" * (4 - len(pp) % 4)
    case("padding-payload", "The payload segment with '=' padding (the MAC is over the unpadded segment).",
         hh + "." + pp + pad + "." + ss, error="base64", also=["malformed", "signature"])
    # non-canonical trailing bits: 32-octet MAC -> 43 chars, the last carrying 2 unused bits
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(s[-1])
    assert last & 3 == 0
    nc = s[:-1] + alphabet[last | 1]
    assert b64u_dec_lenient(nc) == b64u_dec(s)
    case("signature-noncanonical-bits", "Signature's last character changed so its unused low bits are non-zero; a lenient decoder yields the same MAC octets. Must be rejected.",
         h + "." + p + "." + nc, error="base64", also=["signature", "malformed"])

    # --- JSON shape -----------------------------------------------------------------
    deep = raw_claims("jti-deep-1", '"aud":"%s","x":%s%s,' % (AUD, "[" * 1000, "]" * 1000))
    case("claims-nested-1000", "A claim nested 1000 arrays deep: a parser must stop at its depth limit (too_deep, class json).",
         token(hdr("HS256"), deep, "HS256"), error="json")
    nest8 = raw_claims("jti-deep-2", '"aud":"%s","x":%s%s,' % (AUD, '{"a":[' * 4, "]}" * 4))
    case("claims-nested-8", "Valid: a claim nested 8 levels (objects and arrays) is well within any limit.",
         token(hdr("HS256"), nest8, "HS256"), expect="valid", expected_claims={"sub": "user-4711", "aud": AUD})
    case("header-not-object", "Header is the JSON string \"x\".",
         token('"x"', claims("jti-json-1"), key=HS_SECRET, sig_alg="HS256"), error="json")
    case("claims-array", "Claims are a JSON array.",
         token(hdr("HS256"), [claims("jti-json-2")], "HS256"), error="json")
    trail = json.dumps(claims("jti-json-3"), separators=(",", ":")) + '{"aud":"x"}'
    case("claims-trailing-garbage", "Claims object followed by another object (trailing data).",
         token(hdr("RS256"), trail, "RS256"), error="json")
    bad_utf8 = raw_claims("jti-json-4", '"aud":"%s",' % AUD).encode().replace(b"user-4711", b"user-\xff\xfe11")
    case("claims-invalid-utf8", "Claims contain the octets FF FE inside a string: not UTF-8.",
         token(hdr("ES256"), bad_utf8, "ES256"), error="json", also=["malformed"])
    case("claims-nan", "exp is the bare word NaN: not JSON.",
         token(hdr("HS256"), raw_claims("jti-json-5", '"aud":"%s",' % AUD).replace('"exp":%d' % (NOW + 3600), '"exp":NaN'),
               "HS256"), error="json")

    # --- signature-level -------------------------------------------------------------
    tok = token(hdr("ES256"), claims("jti-sig-1"), "ES256")
    hh, pp, ss = tok.split(".")
    raw = b64u_dec(ss)
    r, s_ = int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
    case("es256-der-signature", "ES256 signature sent DER-encoded instead of the 64-octet R||S.",
         hh + "." + pp + "." + b64u(utils.encode_dss_signature(r, s_)), error="signature")
    case("es256-signature-63-octets", "ES256 signature one octet short.", hh + "." + pp + "." + b64u(raw[:63]),
         error="signature")
    tok = token(hdr("HS256"), claims("jti-sig-2"), "HS256")
    hh, pp, ss = tok.split(".")
    case("hs256-truncated-mac", "HS256 MAC truncated to 16 octets.", hh + "." + pp + "." + b64u(b64u_dec(ss)[:16]),
         error="signature")
    case("rs256-signature-zero", "RS256 signature of 256 zero octets.",
         enc(hdr("RS256")) + "." + enc(claims("jti-sig-3")) + "." + b64u(b"\x00" * 256), error="signature")

    # --- size --------------------------------------------------------------------------
    big = token(hdr("HS256"), claims("jti-big-1", pad="A" * 12400), "HS256")
    assert len(big) > MAX_LEN
    case("too-large", "A %d-character token, over the 16 KiB limit (max_token_len 16384); otherwise valid." % len(big),
         big, max_len=MAX_LEN, error="too_large")
    def exact_length(target, jti):
        """An HS256 token of exactly `target` characters: pad claim length and,
        if the base64url length arithmetic needs it, a short x-p header member."""
        for hpad in ([None] + ["", "a", "ab", "abc"]):
            h = hdr("HS256") if hpad is None else hdr("HS256", **{"x-p": hpad})
            for extra in range(12500, 11500, -1):
                t = token(h, claims(jti, pad="A" * extra), "HS256")
                if len(t) == target:
                    return t
                if len(t) < target:
                    break
        raise AssertionError("no token of length %d" % target)
    t = exact_length(MAX_LEN, "jti-big-2")
    case("at-size-limit", "A token of exactly 16384 characters with max_token_len 16384: accepted.",
         t, max_len=MAX_LEN, expect="valid", expected_claims={"jti": "jti-big-2", "sub": "user-4711"})
    t = exact_length(MAX_LEN + 1, "jti-big-3")
    case("one-over-size-limit", "A token of 16385 characters with max_token_len 16384; otherwise valid.",
         t, max_len=MAX_LEN, error="too_large")


def build_jwks_cases():
    """jwks_parse cases over the same keys: what a verifier keeps from a set."""
    enc_key = dict(PUB["es256"], kid="es256-enc", use="enc")
    sign_only = dict(PUB["es384"], kid="es384-sign-only", key_ops=["sign"])
    kw = {"kty": "oct", "kid": "a128kw", "alg": "A128KW", "k": b64u(K.hmac_key("oauth-core vectors/a128kw", 16))}
    unknown = {"kty": "XYZ", "kid": "unknown-kty", "crv": "Z-1", "x": "AAAA"}
    bad_point = dict(PUB["es256"], kid="bad-point")
    y = bytearray(b64u_dec(bad_point["y"]))
    y[-1] ^= 0x01
    bad_point["y"] = b64u(bytes(y))
    missing_e = {k: v for k, v in PUB["rs256"].items() if k != "e"}
    missing_e["kid"] = "rsa-missing-e"
    keys = [PUB["rs256"], PUB["ps256"], PUB["es256"], PUB["es384"], PUB["eddsa"]]
    mixed = {"keys": [enc_key, keys[0], keys[1], unknown, keys[2], PUB["rsa1024"], keys[3],
                      bad_point, keys[4], sign_only, missing_e, PRIVATE_JWKS["rs256"] | {"kid": "rs256-private"}]}
    usable = [{"kid": k["kid"], "kty": k["kty"], "alg": k["alg"], "use": k["use"]} for k in keys]
    usable.append({"kid": "rs256-private", "kty": "RSA", "alg": "RS256", "use": "sig"})
    CASES.append({"id": "jwks-oct-only", "kind": "jwks_parse",
                  "comment": "A symmetric-only set: the HS256 key is usable, the A128KW key (not a signature algorithm) is skipped.",
                  "jwks": {"keys": [kw, PUB["hs256"]]},
                  "keys": [{"kid": PUB["hs256"]["kid"], "kty": "oct", "alg": "HS256", "use": PUB["hs256"]["use"]}],
                  "expect": "valid"})
    CASES.append({"id": "jwks-symmetric-and-asymmetric", "kind": "jwks_parse",
                  "comment": "A set mixing an HS256 secret with public keys is refused whole (Wycheproof json_web_key MixedKeySet; RFC 8725 §2.1 algorithm confusion).",
                  "jwks": {"keys": [PUB["hs256"], PUB["es256"]]}, "expect": "invalid", "error": "key_invalid"})
    CASES.append({"id": "jwks-duplicate-kid-same-kty", "kind": "jwks_parse",
                  "comment": "Two EC keys share a kid: a lookup would be ambiguous, so the set is refused (RFC 7517 §4.5 allows a shared kid only across key types; Wycheproof json_web_key DuplicateKid).",
                  "jwks": {"keys": [PUB["es256"], PUB["es256-twin"]]}, "expect": "invalid", "error": "key_ambiguous"})
    CASES.append({"id": "jwks-mixed-usable-and-unusable", "kind": "jwks_parse",
                  "comment": "Our five public verification keys interleaved with keys a verifier must leave out without failing the set (RFC 7517 §5): use=enc, an A128KW key, an unknown kty, a 1024-bit RSA key, an EC point not on the curve, key_ops without verify, an RSA key missing e. A private RSA JWK is kept (its public part).",
                  "jwks": mixed, "keys": usable, "expect": "valid"})
    CASES.append({"id": "jwks-keys-not-array", "kind": "jwks_parse", "comment": "\"keys\" is an object, not an array.",
                  "jwks": {"keys": {"kty": "oct", "k": PUB["hs256"]["k"]}}, "expect": "invalid", "error": "json"})
    CASES.append({"id": "jwks-no-keys-member", "kind": "jwks_parse", "comment": "A single JWK where a JWK Set is expected (no \"keys\" member).",
                  "jwks": PUB["es256"], "expect": "invalid", "error": "json"})
    CASES.append({"id": "jwks-empty", "kind": "jwks_parse", "comment": "An empty set is a valid set with no usable key.",
                  "jwks": {"keys": []}, "keys": [], "expect": "valid"})


def b64u_dec_lenient(text):
    import base64
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# ---------------------------------------------------------------------------
# joserfc cross-check of the valid cases (independent validator)
# ---------------------------------------------------------------------------
def joserfc_check():
    from joserfc import jwt
    from joserfc.jwk import KeySet, import_key
    from joserfc.jws import JWSRegistry
    from joserfc.jwt import JWTClaimsRegistry
    import warnings
    warnings.simplefilter("ignore")
    n_ok = 0
    report = []
    for c in CASES:
        algs = ["HS256", "HS384", "RS256", "PS256", "ES256", "ES384", "EdDSA"]
        try:
            if "key" in c:
                key = import_key(c["key"])
            else:
                key = KeySet.import_key_set(c["jwks"])
            # strict_check_header=False: RFC 7515 §4 says unknown header members
            # (outside crit) are ignored; joserfc's default rejects them.
            registry = JWSRegistry(algorithms=algs, strict_check_header=False)
            tok = jwt.decode(c["jws"], key, registry=registry)
            opts = {name: {"essential": True} for name in c.get("required_claims", [])}
            opts["iss"] = {"essential": True, "value": c["issuer"]}
            if c["audience"] is not None:
                opts["aud"] = {"essential": True, "value": c["audience"]}
            JWTClaimsRegistry(now=c["now"], leeway=c.get("leeway", 0), **opts).validate(tok.claims)
            if c.get("typ") and tok.header.get("typ", "").lower().removeprefix("application/") != c["typ"]:
                raise ValueError("typ")
            outcome = "valid"
        except Exception as exc:  # noqa: BLE001
            outcome = "invalid (%s)" % type(exc).__name__
        if c["expect"] == "valid":
            assert outcome == "valid", (c["id"], outcome)
            n_ok += 1
        elif outcome == "valid":
            report.append(c["id"])
    print("joserfc: %d valid cases accepted; negative cases joserfc accepts (its own policy differs): %s"
          % (n_ok, ", ".join(report) or "none"))


def main():
    build()
    joserfc_check()
    build_jwks_cases()
    doc = {
        "set": "jwt_cases",
        "source": "Generated by vectors/tools/gen_jwt_cases.py with Python hmac/hashlib, cryptography and joserfc (independent of oauth-core); keys derived from fixed labels (tools/keys.py)",
        "description": "JWT access-token (RFC 9068 profile) validation over HS256, RS256, PS256, ES256, ES384, EdDSA: valid tokens and one invalid case per rule. Fixed clock now=%d, issuer %s, audience %s." % (NOW, ISS, AUD),
        "keys": PRIVATE_JWKS,
        "cases": CASES,
    }
    write_json(os.path.join(VECTORS_DIR, "jwt_cases.json"), doc)
    kinds = {}
    for c in CASES:
        key = c["kind"] + "/" + c["expect"]
        kinds[key] = kinds.get(key, 0) + 1
    print("wrote jwt_cases.json: %d cases %s" % (len(CASES), kinds))


if __name__ == "__main__":
    main()
