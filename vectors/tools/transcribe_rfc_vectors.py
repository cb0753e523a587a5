#!/usr/bin/env python3
"""Writes the RFC-derived vector files of oauth-core's vectors/ folder.

Every constant below is transcribed from the example printed in the named RFC
(or OpenID Connect Core 1.0) section. This script only arranges them into the
schema described in vectors/README.md; it asserts a few structural facts while
doing so, and `check_rfc_vectors.py` then re-verifies every value
cryptographically with an independent implementation (hashlib/hmac,
`cryptography`, `joserfc`). Nothing here uses oauth-core.

Re-run:  python3 vectors/tools/transcribe_rfc_vectors.py && python3 vectors/tools/check_rfc_vectors.py
Output is fully deterministic (no randomness is used here).
"""
import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import VECTORS_DIR, b64u, b64u_dec, write_json  # noqa: E402

# ---------------------------------------------------------------------------
# RFC 7515 Appendix A
# ---------------------------------------------------------------------------
# A.1: the protected header and payload octets are printed as JSON arrays in
# the RFC; they contain CR LF line breaks and a leading space on the next line.
A1_PROTECTED = b'{"typ":"JWT",\r\n "alg":"HS256"}'
A1_PAYLOAD = b'{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}'
A1_PROTECTED_OCTETS = [123, 34, 116, 121, 112, 34, 58, 34, 74, 87, 84, 34, 44, 13, 10, 32,
                       34, 97, 108, 103, 34, 58, 34, 72, 83, 50, 53, 54, 34, 125]
A1_PAYLOAD_OCTETS = [123, 34, 105, 115, 115, 34, 58, 34, 106, 111, 101, 34, 44, 13, 10,
                     32, 34, 101, 120, 112, 34, 58, 49, 51, 48, 48, 56, 49, 57, 51, 56,
                     48, 44, 13, 10, 32, 34, 104, 116, 116, 112, 58, 47, 47, 101, 120, 97,
                     109, 112, 108, 101, 46, 99, 111, 109, 47, 105, 115, 95, 114, 111,
                     111, 116, 34, 58, 116, 114, 117, 101, 125]
assert bytes(A1_PROTECTED_OCTETS) == A1_PROTECTED
assert bytes(A1_PAYLOAD_OCTETS) == A1_PAYLOAD
A1_PROTECTED_B64 = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
A1_PAYLOAD_B64 = ("eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFt"
                  "cGxlLmNvbS9pc19yb290Ijp0cnVlfQ")
assert b64u(A1_PROTECTED) == A1_PROTECTED_B64 and b64u(A1_PAYLOAD) == A1_PAYLOAD_B64
A1_KEY = {"kty": "oct",
          "k": "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}
A1_SIG_OCTETS = [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173,
                 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83,
                 132, 141, 121]
A1_SIG = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
assert b64u(bytes(A1_SIG_OCTETS)) == A1_SIG
A1_JWS = A1_PROTECTED_B64 + "." + A1_PAYLOAD_B64 + "." + A1_SIG

# A.2: RS256 with a 2048-bit RSA key (full private JWK as printed).
A2_PROTECTED_B64 = "eyJhbGciOiJSUzI1NiJ9"  # {"alg":"RS256"}
A2_KEY = {
    "kty": "RSA",
    "n": ("ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddx"
          "HmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMs"
          "D1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSH"
          "SXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdV"
          "MTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8"
          "NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"),
    "e": "AQAB",
    "d": ("Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97I"
          "jlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0"
          "BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn"
          "439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYT"
          "CBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLh"
          "BOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ"),
    "p": ("4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdi"
          "YrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPG"
          "BY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc"),
    "q": ("uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxa"
          "ewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA"
          "-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc"),
    "dp": ("BwKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQwCTeDv8uzluRSnm71I3Q"
           "CLdhrqE2e9YkxvuxdBfpT_PI7Yz-FOKnu1R6HsJeDCjn12Sk3vmAktV2zb"
           "34MCdy7cpdTh_YVr7tss2u6vneTwrA86rZtu5Mbr1C1XsmvkxHQAdYo0"),
    "dq": ("h_96-mK1R_7glhsum81dZxjTnYynPbZpHziZjeeHcXYsXaaMwkOlODsWa"
           "7I9xXDoRwbKgB719rrmI2oKr6N3Do9U0ajaHF-NKJnwgjMd2w9cjz3_-ky"
           "NlxAr2v4IKhGNpmM5iIgOS1VZnOZ68m6_pbLBSp3nssTdlqvd0tIiTHU"),
    "qi": ("IYd7DHOhrWvxkwPQsRM2tOgrjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2o"
           "y26F0EmpScGLq2MowX7fhd_QJQ3ydy5cY7YIBi87w93IKLEdfnbJtoOPLU"
           "W0ITrJReOgo1cq9SbsxYawBgfp_gh6A5603k2-ZQwVK0JKSHuLFkuQ3U"),
}
A2_SIG_OCTETS = [112, 46, 33, 137, 67, 232, 143, 209, 30, 181, 216, 45, 191, 120, 69,
                 243, 65, 6, 174, 27, 129, 255, 247, 115, 17, 22, 173, 209, 113, 125,
                 131, 101, 109, 66, 10, 253, 60, 150, 238, 221, 115, 162, 102, 62, 81,
                 102, 104, 123, 0, 11, 135, 34, 110, 1, 135, 237, 16, 115, 249, 69,
                 229, 130, 173, 252, 239, 22, 216, 90, 121, 142, 232, 198, 109, 219,
                 61, 184, 151, 91, 23, 208, 148, 2, 190, 237, 213, 217, 217, 112, 7,
                 16, 141, 178, 129, 96, 213, 248, 4, 12, 167, 68, 87, 98, 184, 31,
                 190, 127, 249, 217, 46, 10, 231, 111, 36, 242, 91, 51, 187, 230, 244,
                 74, 230, 30, 177, 4, 10, 203, 32, 4, 77, 62, 249, 18, 142, 212, 1,
                 48, 121, 91, 212, 189, 59, 65, 238, 202, 208, 102, 171, 101, 25, 129,
                 253, 228, 141, 247, 127, 55, 45, 195, 139, 159, 175, 221, 59, 239,
                 177, 139, 93, 163, 204, 60, 46, 176, 47, 158, 58, 65, 214, 18, 202,
                 173, 21, 145, 18, 115, 160, 95, 35, 185, 232, 56, 250, 175, 132, 157,
                 105, 132, 41, 239, 90, 30, 136, 121, 130, 54, 195, 212, 14, 96, 69,
                 34, 165, 68, 200, 242, 122, 122, 45, 184, 6, 99, 209, 108, 247, 202,
                 234, 86, 222, 64, 92, 178, 33, 90, 69, 178, 194, 85, 102, 181, 90,
                 193, 167, 72, 160, 112, 223, 200, 163, 42, 70, 149, 67, 208, 25, 238,
                 251, 71]
A2_SIG = ("cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZ"
          "mh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjb"
          "KBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHl"
          "b1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZES"
          "c6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AX"
          "LIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw")
assert b64u(bytes(A2_SIG_OCTETS)) == A2_SIG
A2_JWS = A2_PROTECTED_B64 + "." + A1_PAYLOAD_B64 + "." + A2_SIG

# A.3: ES256 (P-256). The RFC prints R and S as two 32-octet arrays.
A3_PROTECTED_B64 = "eyJhbGciOiJFUzI1NiJ9"  # {"alg":"ES256"}
A3_KEY = {"kty": "EC", "crv": "P-256",
          "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
          "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
          "d": "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}
A3_R = [14, 209, 33, 83, 121, 99, 108, 72, 60, 47, 127, 21, 88,
        7, 212, 2, 163, 178, 40, 3, 58, 249, 124, 126, 23, 129,
        154, 195, 22, 158, 166, 101]
A3_S = [197, 10, 7, 211, 140, 60, 112, 229, 216, 241, 45, 175,
        8, 74, 84, 128, 166, 101, 144, 197, 242, 147, 80, 154,
        143, 63, 127, 138, 131, 163, 84, 213]
A3_SIG = "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
assert b64u(bytes(A3_R + A3_S)) == A3_SIG
A3_JWS = A3_PROTECTED_B64 + "." + A1_PAYLOAD_B64 + "." + A3_SIG

# A.4: ES512 (P-521), payload is the ASCII string "Payload"; R and S 66 octets each.
A4_PROTECTED_B64 = "eyJhbGciOiJFUzUxMiJ9"  # {"alg":"ES512"}
A4_PAYLOAD_B64 = "UGF5bG9hZA"
A4_KEY = {"kty": "EC", "crv": "P-521",
          "x": "AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk",
          "y": "ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2",
          "d": "AY5pb7A0UFiB3RELSD64fTLOSV_jazdF7fLYyuTw8lOfRhWg6Y6rUrPAxerEzgdRhajnu0ferB0d53vM9mE15j2C"}
A4_R = [1, 220, 12, 129, 231, 171, 194, 209, 232, 135, 233, 117, 247, 105,
        122, 210, 26, 125, 192, 1, 217, 21, 82, 91, 45, 240, 255, 83, 19,
        34, 239, 71, 48, 157, 147, 152, 105, 18, 53, 108, 163, 214, 68,
        231, 62, 153, 150, 106, 194, 164, 246, 72, 143, 138, 24, 50, 129,
        223, 133, 206, 209, 172, 63, 237, 119, 109]
A4_S = [0, 111, 6, 105, 44, 5, 41, 208, 128, 61, 152, 40, 92, 61, 152, 4,
        150, 66, 60, 69, 247, 196, 170, 81, 193, 199, 78, 59, 194, 169,
        16, 124, 9, 143, 42, 142, 131, 48, 206, 238, 34, 175, 83, 203,
        220, 159, 3, 107, 155, 22, 27, 73, 111, 68, 68, 21, 238, 144, 229,
        232, 148, 188, 222, 59, 242, 103]
assert len(A4_R) == 66 and len(A4_S) == 66
A4_SIG = b64u(bytes(A4_R + A4_S))
A4_JWS = A4_PROTECTED_B64 + "." + A4_PAYLOAD_B64 + "." + A4_SIG

# A.5: Unsecured JWS.
A5_JWS = "eyJhbGciOiJub25lIn0." + A1_PAYLOAD_B64 + "."


def public(jwk):
    return {k: v for k, v in jwk.items() if k not in ("d", "p", "q", "dp", "dq", "qi", "oth", "k")}


def flip_last_sig_bit(jws):
    """Derived negative: change one signature byte (the first), keep the rest."""
    h, p, s = jws.split(".")
    raw = bytearray(b64u_dec(s))
    raw[0] ^= 0x01
    return h + "." + p + "." + b64u(bytes(raw))


def rfc7515():
    payload_text = A1_PAYLOAD.decode("utf-8")
    cases = [
        {"id": "rfc7515-a1-hs256-verify", "kind": "jws_verify", "source": "RFC 7515 §A.1",
         "comment": "HS256; the header and payload octets contain CR LF, so the MAC must be computed over the received base64url segments, never a re-serialization. The JWK has no alg, so the caller pins HS256.",
         "jws": A1_JWS, "key": A1_KEY, "alg": "HS256", "payload": payload_text, "payload_b64": A1_PAYLOAD_B64,
         "expect": "valid"},
        {"id": "rfc7515-a1-hs256-sign", "kind": "jws_sign", "source": "RFC 7515 §A.1",
         "comment": "HMAC is deterministic: signing the exact protected/payload segments must give the exact RFC signature.",
         "key": A1_KEY, "alg": "HS256", "protected_b64": A1_PROTECTED_B64, "payload_b64": A1_PAYLOAD_B64,
         "jws": A1_JWS, "expect": "valid"},
        {"id": "rfc7515-a1-jwt-before-exp", "kind": "jwt_validate", "source": "RFC 7515 §A.1",
         "comment": "The A.1 JWS as a JWT, with the clock 380 s before exp=1300819380. No aud in the token, so audience is null (no audience configured).",
         "jws": A1_JWS, "key": A1_KEY, "alg": "HS256", "now": 1300819000, "issuer": "joe", "audience": None,
         "expected_claims": {"iss": "joe", "exp": 1300819380, "http://example.com/is_root": True},
         "expect": "valid"},
        {"id": "rfc7515-a1-jwt-one-second-before-exp", "kind": "jwt_validate", "source": "RFC 7515 §A.1",
         "comment": "Boundary: now = exp - 1 is still valid (RFC 7519 §4.1.4: the current time MUST be before exp).",
         "jws": A1_JWS, "key": A1_KEY, "alg": "HS256", "now": 1300819379, "issuer": "joe", "audience": None,
         "expected_claims": {"iss": "joe"}, "expect": "valid"},
        {"id": "rfc7515-a1-jwt-at-exp", "kind": "jwt_validate", "source": "RFC 7515 §A.1 (clock chosen here)",
         "comment": "Boundary: now = exp is expired (the current time must be strictly before exp).",
         "jws": A1_JWS, "key": A1_KEY, "alg": "HS256", "now": 1300819380, "issuer": "joe", "audience": None,
         "expect": "invalid", "error": "expired"},
        {"id": "rfc7515-a1-jwt-after-exp", "kind": "jwt_validate", "source": "RFC 7515 §A.1 (clock chosen here)",
         "comment": "Clock after exp: the validly signed token is expired.",
         "jws": A1_JWS, "key": A1_KEY, "alg": "HS256", "now": 1700000000, "issuer": "joe", "audience": None,
         "expect": "invalid", "error": "expired"},
        {"id": "rfc7515-a1-hs256-bad-mac", "kind": "jws_verify", "source": "RFC 7515 §A.1 (derived: first MAC byte flipped)",
         "comment": "Derived negative: one bit of the MAC changed.",
         "jws": flip_last_sig_bit(A1_JWS), "key": A1_KEY, "alg": "HS256", "expect": "invalid", "error": "signature"},
        {"id": "rfc7515-a2-rs256-verify", "kind": "jws_verify", "source": "RFC 7515 §A.2",
         "comment": "RS256 verified with the public members (n, e) of the A.2 key.",
         "jws": A2_JWS, "key": public(A2_KEY), "alg": "RS256", "payload": payload_text, "expect": "valid"},
        {"id": "rfc7515-a2-rs256-verify-private-jwk", "kind": "jws_verify", "source": "RFC 7515 §A.2",
         "comment": "Same, given the full private JWK (a verifier may use its public part).",
         "jws": A2_JWS, "key": A2_KEY, "alg": "RS256", "payload": payload_text, "expect": "valid"},
        {"id": "rfc7515-a2-rs256-sign", "kind": "jws_sign", "source": "RFC 7515 §A.2",
         "comment": "RSASSA-PKCS1-v1_5 is deterministic: the exact RFC signature must come out.",
         "key": A2_KEY, "alg": "RS256", "protected_b64": A2_PROTECTED_B64, "payload_b64": A1_PAYLOAD_B64,
         "jws": A2_JWS, "expect": "valid"},
        {"id": "rfc7515-a2-rs256-bad-sig", "kind": "jws_verify", "source": "RFC 7515 §A.2 (derived: first signature byte changed)",
         "comment": "Derived negative.",
         "jws": flip_last_sig_bit(A2_JWS), "key": public(A2_KEY), "alg": "RS256", "expect": "invalid", "error": "signature"},
        {"id": "rfc7515-a3-es256-verify", "kind": "jws_verify", "source": "RFC 7515 §A.3",
         "comment": "ES256: 64-octet R||S signature (not DER). ECDSA is randomized, so there is no jws_sign case.",
         "jws": A3_JWS, "key": public(A3_KEY), "alg": "ES256", "payload": payload_text, "expect": "valid"},
        {"id": "rfc7515-a3-es256-bad-sig", "kind": "jws_verify", "source": "RFC 7515 §A.3 (derived: first signature byte changed)",
         "comment": "Derived negative.",
         "jws": flip_last_sig_bit(A3_JWS), "key": public(A3_KEY), "alg": "ES256", "expect": "invalid", "error": "signature"},
        {"id": "rfc7515-a4-es512-verify", "kind": "jws_verify", "source": "RFC 7515 §A.4",
         "comment": "ES512 on P-521: 132-octet R||S; payload is the ASCII string \"Payload\". Needs a P-521 backend (ring has none).",
         "jws": A4_JWS, "key": public(A4_KEY), "alg": "ES512", "payload": "Payload", "expect": "valid"},
        {"id": "rfc7515-a5-alg-none", "kind": "jws_verify", "source": "RFC 7515 §A.5",
         "comment": "Unsecured JWS (alg none, empty signature). Must be rejected: the key given is the A.2 RSA key pinned to RS256.",
         "jws": A5_JWS, "key": public(A2_KEY), "alg": "RS256", "expect": "invalid", "error": "alg_none"},
        {"id": "rfc7515-a5-alg-none-hmac-key", "kind": "jws_verify", "source": "RFC 7515 §A.5",
         "comment": "Same unsecured JWS offered with the A.1 HMAC key: still rejected.",
         "jws": A5_JWS, "key": A1_KEY, "alg": "HS256", "expect": "invalid", "error": "alg_none"},
    ]
    return {"set": "rfc7515",
            "source": "RFC 7515 (JSON Web Signature), Appendix A.1-A.5; derived negatives are marked in each case's source",
            "description": "JWS compact examples: HS256 (CR LF in header), RS256 (exact deterministic signature), ES256, ES512 (P-521), and the unsecured alg none example that must be rejected.",
            "cases": cases}


# ---------------------------------------------------------------------------
# RFC 7517 Appendix A (and B)
# ---------------------------------------------------------------------------
RSA_7517_N = ("0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw")
JWKS_7517_A1 = {"keys": [
    {"kty": "EC", "crv": "P-256",
     "x": "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4",
     "y": "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM",
     "use": "enc", "kid": "1"},
    {"kty": "RSA", "n": RSA_7517_N, "e": "AQAB", "alg": "RS256", "kid": "2011-04-29"},
]}
JWKS_7517_A2 = {"keys": [
    {"kty": "EC", "crv": "P-256",
     "x": "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4",
     "y": "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM",
     "d": "870MB6gfuTJ4HtUnUvYMyJpr5eUZNP4Bk43bVdj3eAE",
     "use": "enc", "kid": "1"},
    {"kty": "RSA", "n": RSA_7517_N, "e": "AQAB",
     "d": ("X4cTteJY_gn4FYPsXB8rdXix5vwsg1FLN5E3EaG6RJoVH-HLLKD9M7dx5oo7GURknchnrRweUkC7hT5fJLM0WbFAKNLWY2vv7B6NqXSzUvxT0_"
           "YSfqijwp3RTzlBaCxWp4doFk5N2o8Gy_nHNKroADIkJ46pRUohsXywbReAdYaMwFs9tv8d_cPVY3i07a3t8MN6TNwm0dSawm9v47UiCl3Sk5Zi"
           "G7xojPLu4sbg1U2jx4IBTNBznbJSzFHK66jT8bgkuqsk0GjskDJk19Z4qwjwbsnn4j2WBii3RL-Us2lGVkY8fkFzme1z0HbIkfz0Y6mqnOYtqc"
           "0X4jfcKoAC8Q"),
     "p": ("83i-7IvMGXoMXCskv73TKr8637FiO7Z27zv8oj6pbWUQyLPQBQxtPVnwD20R-60eTDmD2ujnMt5PoqMrm8RfmNhVWDtjjMmCMjOpSXicFHj7XO"
           "uVIYQyqVWlWEh6dN36GVZYk93N8Bc9vY41xy8B9RzzOGVQzXvNEvn7O0nVbfs"),
     "q": ("3dfOR9cuYq-0S-mkFLzgItgMEfFzB2q3hWehMuG0oCuqnb3vobLyumqjVZQO1dIrdwgTnCdpYzBcOfW5r370AFXjiWft_NGEiovonizhKpo9VV"
           "S78TzFgxkIdrecRezsZ-1kYd_s1qDbxtkDEgfAITAG9LUnADun4vIcb6yelxk"),
     "dp": ("G4sPXkc6Ya9y8oJW9_ILj4xuppu0lzi_H7VTkS8xj5SdX3coE0oimYwxIi2emTAue0UOa5dpgFGyBJ4c8tQ2VF402XRugKDTP8akYhFo5tAA"
            "77Qe_NmtuYZc3C3m3I24G2GvR5sSDxUyAN2zq8Lfn9EUms6rY3Ob8YeiKkTiBj0"),
     "dq": ("s9lAH9fggBsoFR8Oac2R_E2gw282rT2kGOAhvIllETE1efrA6huUUvMfBcMpn8lqeW6vzznYY5SSQF7pMdC_agI3nG8Ibp1BUb0JUiraRNqU"
            "fLhcQb_d9GF4Dh7e74WbRsobRonujTYN1xCaP6TO61jvWrX-L18txXw494Q_cgk"),
     "qi": ("GyM_p6JrXySiz1toFgKbWV-JdI3jQ4ypu9rbMWx3rQJBfmt0FoYzgUIZEVFEcOqwemRN81zoDAaa-Bk0KWNGDjJHZDdDmFhW3AN7lI-puxk_"
            "mHZGJ11rxyR8O55XLSe3SPmRfKwZI6yU24ZxvQKFYItdldUKGzO6Ia6zTKhAVRU"),
     "alg": "RS256", "kid": "2011-04-29"},
]}
JWKS_7517_A3 = {"keys": [
    {"kty": "oct", "alg": "A128KW", "k": "GawgguFyGrWKav7AX4VKUg"},
    {"kty": "oct",
     "k": "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
     "kid": "HMAC key used in JWS spec Appendix A.1 example"},
]}
JWK_7517_B = {
    "kty": "RSA", "use": "sig", "kid": "1b94c",
    "n": ("vrjOfz9Ccdgx5nQudyhdoR17V-IubWMeOZCwX_jj0hgAsz2J_pqYW08PLbK_PdiVGKPrqzmDIsLI7sA25VEnHU1uCLNwBuUiCO11_-7dYbsr4iJmG0Qu2j"
          "8DsVyT1azpJC_NG84Ty5KKthuCaPod7iI7w0LK9orSMhBEwwZDCxTWq4aYWAchc8t-emd9qOvWtVMDC2BXksRngh6X5bUYLy6AyHKvj-nUy1wgzjYQDwHM"
          "TplCoLtU-o-8SNnZ1tmRoGE9uJkBLdh5gFENabWnU5m1ZqZPdwS-qo-meMvVfJb6jJVWRpl2SUtCnYG2C32qvbWbjZ_jBPD5eunqsIo1vQ"),
    "e": "AQAB",
    "x5c": ["MIIDQjCCAiqgAwIBAgIGATz/FuLiMA0GCSqGSIb3DQEBBQUAMGIxCzAJ"
            "BgNVBAYTAlVTMQswCQYDVQQIEwJDTzEPMA0GA1UEBxMGRGVudmVyMRww"
            "GgYDVQQKExNQaW5nIElkZW50aXR5IENvcnAuMRcwFQYDVQQDEw5Ccmlh"
            "biBDYW1wYmVsbDAeFw0xMzAyMjEyMzI5MTVaFw0xODA4MTQyMjI5MTVa"
            "MGIxCzAJBgNVBAYTAlVTMQswCQYDVQQIEwJDTzEPMA0GA1UEBxMGRGVu"
            "dmVyMRwwGgYDVQQKExNQaW5nIElkZW50aXR5IENvcnAuMRcwFQYDVQQD"
            "Ew5CcmlhbiBDYW1wYmVsbDCCASIwDQYJKoZIhvcNAQEBBQADggEPADCC"
            "AQoCggEBAL64zn8/QnHYMeZ0LncoXaEde1fiLm1jHjmQsF/449IYALM9"
            "if6amFtPDy2yvz3YlRij66s5gyLCyO7ANuVRJx1NbgizcAblIgjtdf/u"
            "3WG7K+IiZhtELto/A7Fck9Ws6SQvzRvOE8uSirYbgmj6He4iO8NCyvaK"
            "0jIQRMMGQwsU1quGmFgHIXPLfnpnfajr1rVTAwtgV5LEZ4Iel+W1GC8u"
            "gMhyr4/p1MtcIM42EA8BzE6ZQqC7VPqPvEjZ2dbZkaBhPbiZAS3YeYBR"
            "DWm1p1OZtWamT3cEvqqPpnjL1XyW+oyVVkaZdklLQp2Btgt9qr21m42f"
            "4wTw+Xrp6rCKNb0CAwEAATANBgkqhkiG9w0BAQUFAAOCAQEAh8zGlfSl"
            "cI0o3rYDPBB07aXNswb4ECNIKG0CETTUxmXl9KUL+9gGlqCz5iWLOgWs"
            "nrcKcY0vXPG9J1r9AqBNTqNgHq2G03X09266X5CpOe1zFo+Owb1zxtp3"
            "PehFdfQJ610CDLEaS9V9Rqp17hCyybEpOGVwe8fnk+fbEL2Bo3UPGrps"
            "HzUoaGpDftmWssZkhpBJKVMJyf/RuP2SmmaIzmnw9JiSlYhzo4tpzd5r"
            "FXhjRbg4zW9C+2qok+2+qDM1iJ684gPHMIY8aLWrdgQTxkumGmTqgawR"
            "+N5MDtdPTEQ0XfIBc2cJEUyMTY5MPvACWpkA6SdS4xSvdXK3IVfOWA=="],
}


def rfc7517():
    rsa_usable = {"kid": "2011-04-29", "kty": "RSA", "alg": "RS256", "use": None}
    cases = [
        {"id": "rfc7517-a1-public-jwks", "kind": "jwks_parse", "source": "RFC 7517 §A.1",
         "comment": "Public JWK Set: an EC P-256 key with use=enc (not a verification key) and an RSA key (alg RS256, kid 2011-04-29). Only the RSA key is usable for signature verification.",
         "jwks": JWKS_7517_A1, "keys": [rsa_usable], "expect": "valid"},
        {"id": "rfc7517-a2-private-jwks", "kind": "jwks_parse", "source": "RFC 7517 §A.2",
         "comment": "The same keys with their private members (EC d; RSA d, p, q, dp, dq, qi). A verifier keeps the public part of the RSA key; the EC key is still use=enc.",
         "jwks": JWKS_7517_A2, "keys": [rsa_usable], "expect": "valid"},
        {"id": "rfc7517-a3-symmetric-jwks", "kind": "jwks_parse", "source": "RFC 7517 §A.3",
         "comment": "Two oct keys: an A128KW key-wrap key (not a signing key, and only 16 octets) and the RFC 7515 A.1 HMAC key (no alg, so the caller must pin one).",
         "jwks": JWKS_7517_A3,
         "keys": [{"kid": "HMAC key used in JWS spec Appendix A.1 example", "kty": "oct", "alg": None, "use": None}],
         "expect": "valid"},
        {"id": "rfc7517-b-x5c", "kind": "jwks_parse", "source": "RFC 7517 Appendix B",
         "comment": "RSA key with an x5c certificate (standard base64 with padding, not base64url). The certificate's key equals n/e. Wrapped here in a one-key set.",
         "jwks": {"keys": [JWK_7517_B]},
         "keys": [{"kid": "1b94c", "kty": "RSA", "alg": None, "use": "sig"}],
         "expect": "valid"},
    ]
    return {"set": "rfc7517", "source": "RFC 7517 (JSON Web Key), Appendix A.1, A.2, A.3 and B",
            "description": "JWK Set parsing: which keys a verifier keeps (kid, kty, alg, use), private members tolerated, non-signature keys (use=enc, A128KW) left out.",
            "cases": cases}


# ---------------------------------------------------------------------------
# RFC 7638 §3.1, RFC 8037 §A.3, RFC 9449 §6.1
# ---------------------------------------------------------------------------
RFC8037_A1 = {"kty": "OKP", "crv": "Ed25519",
              "d": "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
              "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
RFC8037_A2 = {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
RFC9449_JWK = {"kty": "EC", "x": "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs",
               "y": "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA", "crv": "P-256"}


def rfc7638():
    cases = [
        {"id": "rfc7638-3.1-rsa", "kind": "jwk_thumbprint", "source": "RFC 7638 §3.1",
         "comment": "RSA key of RFC 7517 A.1 with alg and kid; only e, kty, n enter the canonical JSON.",
         "jwk": {"kty": "RSA", "n": RSA_7517_N, "e": "AQAB", "alg": "RS256", "kid": "2011-04-29"},
         "hash": "SHA-256", "thumbprint": "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", "expect": "valid"},
        {"id": "rfc8037-a3-okp", "kind": "jwk_thumbprint", "source": "RFC 8037 §A.3",
         "comment": "Ed25519 public key of RFC 8037 A.2; members crv, kty, x.",
         "jwk": RFC8037_A2, "hash": "SHA-256", "thumbprint": "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k",
         "expect": "valid"},
        {"id": "rfc8037-a3-okp-private", "kind": "jwk_thumbprint", "source": "RFC 8037 §A.1/§A.3",
         "comment": "The private JWK of A.1 has the same thumbprint: d is not a required member.",
         "jwk": RFC8037_A1, "hash": "SHA-256", "thumbprint": "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k",
         "expect": "valid"},
        {"id": "rfc9449-6.1-jkt", "kind": "jwk_thumbprint", "source": "RFC 9449 §6.1 (key of §4.1)",
         "comment": "DPoP cnf.jkt of the EC P-256 key in the §4.1 proof header (members in the order printed: kty, x, y, crv).",
         "jwk": RFC9449_JWK, "hash": "SHA-256", "thumbprint": "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I",
         "expect": "valid"},
        {"id": "rfc7638-3.1-ec-rfc7515-a3", "kind": "jwk_thumbprint", "source": "RFC 7515 §A.3 key; thumbprint computed here with hashlib",
         "comment": "EC members crv, kty, x, y (the private d is ignored). Value computed by the independent implementation, not printed in an RFC.",
         "jwk": A3_KEY, "hash": "SHA-256", "thumbprint": None, "expect": "valid"},
        {"id": "rfc7638-oct-rfc7515-a1", "kind": "jwk_thumbprint", "source": "RFC 7515 §A.1 key; thumbprint computed here with hashlib",
         "comment": "oct members k, kty. Value computed by the independent implementation, not printed in an RFC.",
         "jwk": A1_KEY, "hash": "SHA-256", "thumbprint": None, "expect": "valid"},
    ]
    from common import thumbprint
    for c in cases:
        if c["thumbprint"] is None:
            c["thumbprint"] = thumbprint(c["jwk"])
    return {"set": "rfc7638", "source": "RFC 7638 §3.1, RFC 8037 §A.3, RFC 9449 §6.1 (printed values); two computed values marked",
            "description": "JWK thumbprints (SHA-256, base64url) for RSA, OKP and EC keys.", "cases": cases}


# ---------------------------------------------------------------------------
# RFC 7636 Appendix B + negatives
# ---------------------------------------------------------------------------
PKCE_OCTETS = [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173,
               187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83,
               132, 141, 121]
PKCE_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
PKCE_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def s256(verifier: str) -> str:
    import hashlib
    return b64u(hashlib.sha256(verifier.encode("ascii")).digest())


def rfc7636():
    assert b64u(bytes(PKCE_OCTETS)) == PKCE_VERIFIER
    v42 = PKCE_VERIFIER[:42]
    v128 = (PKCE_VERIFIER * 3)[:128]
    v129 = (PKCE_VERIFIER * 3)[:129]
    v_plus = PKCE_VERIFIER[:20] + "+" + PKCE_VERIFIER[21:]
    v_space = PKCE_VERIFIER[:20] + " " + PKCE_VERIFIER[21:]
    v_unreserved = "abcdefghijklmnopqrstuvwxyz-._~ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    cases = [
        {"id": "rfc7636-b-s256", "kind": "pkce", "source": "RFC 7636 Appendix B",
         "comment": "32 random octets -> base64url verifier (43 chars) -> S256 challenge.",
         "verifier_octets_b64": b64u(bytes(PKCE_OCTETS)), "code_verifier": PKCE_VERIFIER, "method": "S256",
         "code_challenge": PKCE_CHALLENGE, "expect": "valid"},
        {"id": "rfc7636-b-wrong-challenge", "kind": "pkce", "source": "RFC 7636 Appendix B (derived)",
         "comment": "Verifier of Appendix B against a different challenge (last character changed).",
         "code_verifier": PKCE_VERIFIER, "method": "S256",
         "code_challenge": PKCE_CHALLENGE[:-1] + ("A" if PKCE_CHALLENGE[-1] != "A" else "B"),
         "expect": "invalid", "error": "pkce_mismatch"},
        {"id": "rfc7636-b-plain-method-with-s256-challenge", "kind": "pkce", "source": "RFC 7636 Appendix B (derived)",
         "comment": "The S256 challenge checked with method plain: the verifier is not equal to it.",
         "code_verifier": PKCE_VERIFIER, "method": "plain", "code_challenge": PKCE_CHALLENGE,
         "expect": "invalid", "error": "pkce_mismatch"},
        {"id": "rfc7636-b-padded-challenge", "kind": "pkce", "source": "RFC 7636 Appendix B (derived)",
         "comment": "Challenge with a base64 '=' pad appended: S256 challenges are unpadded base64url; compared as strings it does not match.",
         "code_verifier": PKCE_VERIFIER, "method": "S256", "code_challenge": PKCE_CHALLENGE + "=",
         "expect": "invalid", "error": "pkce_mismatch"},
        {"id": "rfc7636-plain-ok", "kind": "pkce", "source": "RFC 7636 §4.2 (plain)",
         "comment": "plain: challenge equals verifier.",
         "code_verifier": PKCE_VERIFIER, "method": "plain", "code_challenge": PKCE_VERIFIER, "expect": "valid"},
        {"id": "rfc7636-verifier-42", "kind": "pkce", "source": "RFC 7636 §4.1 (derived)",
         "comment": "42 characters: one below the minimum length of 43. The challenge is its correct S256 value, so only the syntax is wrong.",
         "code_verifier": v42, "method": "S256", "code_challenge": s256(v42), "expect": "invalid", "error": "pkce_syntax"},
        {"id": "rfc7636-verifier-128", "kind": "pkce", "source": "RFC 7636 §4.1 (derived)",
         "comment": "128 characters: the maximum length, valid.",
         "code_verifier": v128, "method": "S256", "code_challenge": s256(v128), "expect": "valid"},
        {"id": "rfc7636-verifier-129", "kind": "pkce", "source": "RFC 7636 §4.1 (derived)",
         "comment": "129 characters: one above the maximum length of 128.",
         "code_verifier": v129, "method": "S256", "code_challenge": s256(v129), "expect": "invalid", "error": "pkce_syntax"},
        {"id": "rfc7636-verifier-plus", "kind": "pkce", "source": "RFC 7636 §4.1 (derived)",
         "comment": "A '+' (not in [A-Z] / [a-z] / [0-9] / '-' / '.' / '_' / '~') in an otherwise valid 43-character verifier; the challenge matches it.",
         "code_verifier": v_plus, "method": "S256", "code_challenge": s256(v_plus), "expect": "invalid", "error": "pkce_syntax"},
        {"id": "rfc7636-verifier-space", "kind": "pkce", "source": "RFC 7636 §4.1 (derived)",
         "comment": "A space in the verifier.",
         "code_verifier": v_space, "method": "S256", "code_challenge": s256(v_space), "expect": "invalid", "error": "pkce_syntax"},
        {"id": "rfc7636-verifier-all-unreserved", "kind": "pkce", "source": "RFC 7636 §4.1 (derived)",
         "comment": "Every unreserved character class, including '.', '~', '-', '_' (valid).",
         "code_verifier": v_unreserved, "method": "S256", "code_challenge": s256(v_unreserved), "expect": "valid"},
    ]
    for c in cases:
        if c["expect"] == "invalid" and c["error"] == "pkce_syntax":
            assert len(c["code_verifier"]) in (42, 129) or any(ch in c["code_verifier"] for ch in "+ ")
    return {"set": "rfc7636", "source": "RFC 7636 (PKCE) Appendix B; negatives derived from §4.1-§4.6",
            "description": "PKCE code_verifier syntax (43-128 unreserved characters) and S256/plain challenge comparison.",
            "cases": cases}


# ---------------------------------------------------------------------------
# RFC 8037 Appendix A
# ---------------------------------------------------------------------------
RFC8037_PROTECTED_B64 = "eyJhbGciOiJFZERTQSJ9"  # {"alg":"EdDSA"}
RFC8037_PAYLOAD_B64 = "RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"  # "Example of Ed25519 signing"
RFC8037_SIG = "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
RFC8037_JWS = RFC8037_PROTECTED_B64 + "." + RFC8037_PAYLOAD_B64 + "." + RFC8037_SIG


def rfc8037():
    okp_usable = {"kid": None, "kty": "OKP", "alg": None, "use": None}
    cases = [
        {"id": "rfc8037-a1-private-key", "kind": "jwks_parse", "source": "RFC 8037 §A.1",
         "comment": "Ed25519 private OKP JWK (d, x), wrapped in a one-key set; usable (its public part) for EdDSA verification.",
         "jwks": {"keys": [RFC8037_A1]}, "keys": [okp_usable], "expect": "valid"},
        {"id": "rfc8037-a2-public-key", "kind": "jwks_parse", "source": "RFC 8037 §A.2",
         "comment": "Ed25519 public OKP JWK, wrapped in a one-key set.",
         "jwks": {"keys": [RFC8037_A2]}, "keys": [okp_usable], "expect": "valid"},
        {"id": "rfc8037-a4-sign", "kind": "jws_sign", "source": "RFC 8037 §A.4",
         "comment": "Ed25519 is deterministic: signing {\"alg\":\"EdDSA\"} / \"Example of Ed25519 signing\" gives the exact RFC signature.",
         "key": RFC8037_A1, "alg": "EdDSA", "protected_b64": RFC8037_PROTECTED_B64, "payload_b64": RFC8037_PAYLOAD_B64,
         "jws": RFC8037_JWS, "expect": "valid"},
        {"id": "rfc8037-a5-verify", "kind": "jws_verify", "source": "RFC 8037 §A.5",
         "comment": "Validation of the A.4 JWS with the A.2 public key.",
         "jws": RFC8037_JWS, "key": RFC8037_A2, "alg": "EdDSA", "payload": "Example of Ed25519 signing", "expect": "valid"},
        {"id": "rfc8037-a5-bad-sig", "kind": "jws_verify", "source": "RFC 8037 §A.5 (derived: first signature byte changed)",
         "comment": "Derived negative.",
         "jws": flip_last_sig_bit(RFC8037_JWS), "key": RFC8037_A2, "alg": "EdDSA", "expect": "invalid", "error": "signature"},
        {"id": "rfc8037-a5-wrong-payload", "kind": "jws_verify", "source": "RFC 8037 §A.5 (derived: payload changed)",
         "comment": "Derived negative: the RFC signature over a different payload (\"Example of Ed25519 signinG\").",
         "jws": RFC8037_PROTECTED_B64 + "." + b64u(b"Example of Ed25519 signinG") + "." + RFC8037_SIG,
         "key": RFC8037_A2, "alg": "EdDSA", "expect": "invalid", "error": "signature"},
    ]
    return {"set": "rfc8037", "source": "RFC 8037 (CFRG curves in JOSE), Appendix A.1, A.2, A.4, A.5; derived negatives marked",
            "description": "Ed25519 OKP keys and the deterministic EdDSA JWS example (the A.3 thumbprint is in rfc7638.json).",
            "cases": cases}


# ---------------------------------------------------------------------------
# OpenID Connect Core 1.0 Appendix A.3 / A.4 / A.6
# ---------------------------------------------------------------------------
OIDC_ACCESS_TOKEN = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"
OIDC_AT_HASH = "77QmUPtjPfzWtF2AnpK9RQ"
OIDC_CODE = "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk"
OIDC_C_HASH = "LDktKdoQak3Pk0cnXxCltA"


def oidc_half_hash(alg: str, value: str) -> str:
    import hashlib
    h = {"256": hashlib.sha256, "384": hashlib.sha384, "512": hashlib.sha512}[alg[-3:]]
    d = h(value.encode("ascii")).digest()
    return b64u(d[: len(d) // 2])


def oidc():
    cases = [
        {"id": "oidc-a3-at-hash", "kind": "oidc_hash", "source": "OpenID Connect Core 1.0 Appendix A.3 (response_type=id_token token)",
         "comment": "RS256 -> SHA-256, left-most 128 bits, base64url (22 chars).",
         "alg": "RS256", "claim": "at_hash", "input": OIDC_ACCESS_TOKEN, "value": OIDC_AT_HASH, "expect": "valid"},
        {"id": "oidc-a4-c-hash", "kind": "oidc_hash", "source": "OpenID Connect Core 1.0 Appendix A.4 (response_type=code id_token)",
         "comment": "c_hash of the authorization code, RS256.",
         "alg": "RS256", "claim": "c_hash", "input": OIDC_CODE, "value": OIDC_C_HASH, "expect": "valid"},
        {"id": "oidc-a6-at-hash", "kind": "oidc_hash", "source": "OpenID Connect Core 1.0 Appendix A.6 (response_type=code id_token token)",
         "comment": "at_hash in the hybrid code id_token token response (same token as A.3).",
         "alg": "RS256", "claim": "at_hash", "input": OIDC_ACCESS_TOKEN, "value": OIDC_AT_HASH, "expect": "valid"},
        {"id": "oidc-a6-c-hash", "kind": "oidc_hash", "source": "OpenID Connect Core 1.0 Appendix A.6",
         "comment": "c_hash in the hybrid code id_token token response (same code as A.4).",
         "alg": "RS256", "claim": "c_hash", "input": OIDC_CODE, "value": OIDC_C_HASH, "expect": "valid"},
    ]
    # Values for other algorithms: computed with hashlib (OIDC Core §3.1.3.6 /
    # §3.3.2.11 rule), not printed in the specification.
    for alg in ("ES256", "PS256", "RS384", "ES384", "RS512", "ES512"):
        cases.append({"id": "oidc-computed-at-hash-" + alg.lower(), "kind": "oidc_hash",
                      "source": "OpenID Connect Core 1.0 §3.2.2.9 rule; value computed here with hashlib",
                      "comment": "%s -> SHA-%s, left-most half. Not printed in the specification." % (alg, alg[-3:]),
                      "alg": alg, "claim": "at_hash", "input": OIDC_ACCESS_TOKEN,
                      "value": oidc_half_hash(alg, OIDC_ACCESS_TOKEN), "expect": "valid"})
    cases.append({"id": "oidc-a3-at-hash-mismatch", "kind": "oidc_hash", "source": "OpenID Connect Core 1.0 Appendix A.3 (derived)",
                  "comment": "The A.3 at_hash checked against the authorization code instead of the access token.",
                  "alg": "RS256", "claim": "at_hash", "input": OIDC_CODE, "value": OIDC_AT_HASH,
                  "expect": "invalid", "error": "hash_mismatch"})
    cases.append({"id": "oidc-a3-at-hash-full-length", "kind": "oidc_hash", "source": "OpenID Connect Core 1.0 Appendix A.3 (derived)",
                  "comment": "The whole SHA-256 digest (43 chars) instead of its left half: must not match.",
                  "alg": "RS256", "claim": "at_hash", "input": OIDC_ACCESS_TOKEN,
                  "value": b64u(hashlib.sha256(OIDC_ACCESS_TOKEN.encode("ascii")).digest()),
                  "expect": "invalid", "error": "hash_mismatch"})
    return {"set": "oidc", "source": "OpenID Connect Core 1.0 incorporating errata set 2, Appendix A.3, A.4, A.6; computed and derived cases marked",
            "description": "at_hash / c_hash: base64url of the left-most half of the hash that matches the ID Token's alg.",
            "cases": cases}


# ---------------------------------------------------------------------------
# RFC 9449 (DPoP) §4.1, §7.1
# ---------------------------------------------------------------------------
DPOP_TOKEN_PROOF = (
    "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19"
    ".eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwiaWF0IjoxNTYyMjYyNjE2fQ"
    ".2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg")
DPOP_RESOURCE_PROOF = (
    "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19"
    ".eyJqdGkiOiJlMWozVl9iS2ljOC1MQUVCIiwiaHRtIjoiR0VUIiwiaHR1IjoiaHR0cHM6Ly9yZXNvdXJjZS5leGFtcGxlLm9yZy9wcm90ZWN0ZWRyZXNvdXJjZSIsImlhdCI6MTU2MjI2MjYxOCwiYXRoIjoiZlVIeU8ycjJaM0RaNTNFc05yV0JiMHhXWG9hTnk1OUlpS0NBcWtzbVFFbyJ9"
    ".2oW9RP35yRqzhrtNP86L-Ey71EOptxRimPPToA1plemAgR6pxHF8y6-yqyVnmcw6Fy1dqd-jfxSYoMxhAJpLjA")
DPOP_ACCESS_TOKEN = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"
DPOP_ATH = "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"
DPOP_JKT = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"


def rfc9449():
    tok_payload = b64u_dec(DPOP_TOKEN_PROOF.split(".")[1]).decode()
    res_payload = b64u_dec(DPOP_RESOURCE_PROOF.split(".")[1]).decode()
    base_tok = {"kind": "dpop_proof", "proof": DPOP_TOKEN_PROOF, "htm": "POST",
                "htu": "https://server.example.com/token", "now": 1562262616, "max_age": 60}
    base_res = {"kind": "dpop_proof", "proof": DPOP_RESOURCE_PROOF, "htm": "GET",
                "htu": "https://resource.example.org/protectedresource", "now": 1562262618, "max_age": 60,
                "access_token": DPOP_ACCESS_TOKEN}
    cases = [
        {"id": "rfc9449-4.1-proof-signature", "kind": "jws_verify", "source": "RFC 9449 §4.1 Figure 2",
         "comment": "The token-request DPoP proof verifies with the jwk carried in its own header (ES256).",
         "jws": DPOP_TOKEN_PROOF, "key": RFC9449_JWK, "alg": "ES256", "payload": tok_payload, "expect": "valid"},
        {"id": "rfc9449-7.1-proof-signature", "kind": "jws_verify", "source": "RFC 9449 §7.1 Figure 13",
         "comment": "The resource-request DPoP proof (with ath) verifies with the same key.",
         "jws": DPOP_RESOURCE_PROOF, "key": RFC9449_JWK, "alg": "ES256", "payload": res_payload, "expect": "valid"},
        {"id": "rfc9449-7.1-ath", "kind": "dpop_ath", "source": "RFC 9449 §7.1",
         "comment": "ath = base64url(SHA-256(ASCII(access token))).",
         "access_token": DPOP_ACCESS_TOKEN, "ath": DPOP_ATH, "expect": "valid"},
        dict(base_tok, id="rfc9449-4.1-proof-ok", source="RFC 9449 §4.1/§4.3",
             comment="Token request proof checked per §4.3 at its own iat; jkt of the header key is returned.",
             jkt=DPOP_JKT, expect="valid"),
        dict(base_tok, id="rfc9449-4.1-proof-wrong-htm", source="RFC 9449 §4.3 (derived: request method GET)",
             comment="htm POST does not match a GET request.", htm="GET", expect="invalid", error="dpop_binding"),
        dict(base_tok, id="rfc9449-4.1-proof-wrong-htu", source="RFC 9449 §4.3 (derived: other URI)",
             comment="htu does not match the request URI.", htu="https://server.example.com/other",
             expect="invalid", error="dpop_binding"),
        dict(base_tok, id="rfc9449-4.1-proof-too-old", source="RFC 9449 §4.3 (derived: clock one hour later)",
             comment="iat is an hour before now, outside max_age.", now=1562262616 + 3600,
             expect="invalid", error="expired"),
        dict(base_tok, id="rfc9449-4.1-proof-from-future", source="RFC 9449 §4.3 (derived: clock one hour earlier)",
             comment="iat is an hour after now.", now=1562262616 - 3600, expect="invalid", error="iat_future"),
        dict(base_res, id="rfc9449-7.1-proof-ok", source="RFC 9449 §7.1",
             comment="Resource request proof with the matching access token (ath) and the §6.1 jkt.",
             jkt=DPOP_JKT, expect="valid"),
        dict(base_res, id="rfc9449-7.1-proof-other-token", source="RFC 9449 §7.1 (derived: other access token)",
             comment="ath does not match the access token presented.", access_token="other-token",
             expect="invalid", error="dpop_binding"),
    ]
    return {"set": "rfc9449", "source": "RFC 9449 (DPoP) §4.1 Figure 2, §6.1, §7.1 Figures 13-14; derived negatives marked",
            "description": "DPoP proof JWTs (signature with the embedded jwk, htm/htu/iat/ath checks) and the ath hash.",
            "cases": cases}


def main():
    files = {"rfc7515.json": rfc7515(), "rfc7517.json": rfc7517(), "rfc7638.json": rfc7638(),
             "rfc7636.json": rfc7636(), "rfc8037.json": rfc8037(), "oidc.json": oidc(),
             "rfc9449.json": rfc9449()}
    for name, doc in files.items():
        ids = [c["id"] for c in doc["cases"]]
        assert len(ids) == len(set(ids)), name
        write_json(os.path.join(VECTORS_DIR, name), doc)
        print("wrote %s (%d cases)" % (name, len(doc["cases"])))


if __name__ == "__main__":
    main()
