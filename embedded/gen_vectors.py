#!/usr/bin/env python3
"""Writes embedded/src/vectors.rs: the cases the firmware checks, copied verbatim
from the project's vectors (never produced by oauth-core).

    python3 embedded/gen_vectors.py            # rewrite src/vectors.rs
    python3 embedded/gen_vectors.py --check    # exit 1 if src/vectors.rs is stale

Sources:
- vectors/jwt_cases.json: a hand-picked list of HS256 / ES256 / EdDSA cases (JWT_IDS);
- vectors/wycheproof/{ecdsa_secp256r1_sha256_p1363,ed25519,hmac_sha256}_test.json:
  the first 5 `valid` tests and 5 `invalid` ones, taken round-robin over the flag
  sets in file order (HMAC: only the 256-bit key, full 256-bit tag group);
- vectors/rfc7636.json: every PKCE case (RFC 7636 Appendix B and derived ones).
"""
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "src" / "vectors.rs"

# jwt_cases.json ids, in the order the firmware runs them.
JWT_IDS = [
    # HS256
    "jwt-valid-hs256-aud-string",
    "jwt-valid-hs256-aud-array",
    "jwt-tampered-claims-hs256",
    "jwt-expired-at-exact-second",
    "jwt-aud-missing",
    "jwt-alg-hs384-with-hs256-key",
    "jwt-duplicate-header-alg",
    "jwt-key-hmac-too-short",
    # ES256
    "jwt-valid-es256-aud-string",
    "jwt-valid-es256-aud-array",
    "jwt-tampered-claims-es256",
    "jwt-expired-within-leeway",
    "jwt-expired-beyond-leeway",
    "jwt-aud-wrong",
    "jwt-typ-jwt",
    "jwt-kid-not-in-set",
    "jwt-jwk-header-attacker-our-kid",
    "jwt-key-ec-point-not-on-curve",
    # EdDSA
    "jwt-valid-eddsa-aud-string",
    "jwt-valid-eddsa-aud-array",
    "jwt-tampered-claims-eddsa",
    "jwt-nbf-equals-now",
    "jwt-iss-wrong",
    "jwt-claims-escaped-member-name",
    # alg none (RFC 8725 §3.1)
    "jwt-alg-none",
    "jwt-alg-none-with-signature",
]

WYCHEPROOF = [
    # (Rust const, file, group filter)
    ("WYCHEPROOF_ES256", "ecdsa_secp256r1_sha256_p1363_test.json", None),
    ("WYCHEPROOF_ED25519", "ed25519_test.json", None),
    ("WYCHEPROOF_HS256", "hmac_sha256_test.json",
     lambda g: str(g.get("keySize")) == "256" and str(g.get("tagSize")) == "256"),
]
PER_KIND = 5


def rs_str(s: str) -> str:
    """A Rust string literal (JSON escapes are valid Rust escapes for these inputs)."""
    out = []
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\u{%x}" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def rs_bytes(h: str) -> str:
    b = bytes.fromhex(h)
    if not b:
        return "&[]"
    return "&[" + ", ".join("0x%02x" % x for x in b) + "]"


def compact(v) -> str:
    # The same serialization the host runner feeds oauth-core (serde_json::to_vec).
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False)


def jwt_part(lines):
    doc = json.loads((ROOT / "vectors/jwt_cases.json").read_text(encoding="utf-8"))
    by_id = {c["id"]: c for c in doc["cases"]}
    sets = {}  # JWKS text -> const name
    body = []
    for cid in JWT_IDS:
        c = by_id[cid]
        assert c["kind"] == "jwt_validate", cid
        if "jwks" in c:
            text = compact(c["jwks"])
            if text not in sets:
                sets[text] = "JWKS_%d" % len(sets)
            keys = "Keys::Set(%s)" % sets[text]
        else:
            pin = c.get("alg")
            keys = "Keys::One { jwk: %s, pin: %s }" % (
                rs_str(compact(c["key"])),
                "Some(%s)" % rs_str(pin) if pin else "None",
            )
        if c["expect"] == "valid":
            sub = (c.get("expected_claims") or {}).get("sub")
            expect = "Expect::Valid { sub: %s }" % ("Some(%s)" % rs_str(sub) if sub else "None")
        else:
            classes = [c["error"]] + list(c.get("error_also", []))
            expect = "Expect::Invalid(&[%s])" % ", ".join(rs_str(x) for x in classes)
        req = ", ".join(rs_str(x) for x in c.get("required_claims", []))
        body.append(
            "    // vectors/jwt_cases.json id %s\n"
            "    JwtCase {\n"
            "        id: %s,\n"
            "        jws: %s,\n"
            "        keys: %s,\n"
            "        now: %d,\n"
            "        issuer: %s,\n"
            "        audience: %s,\n"
            "        leeway: %d,\n"
            "        typ: %s,\n"
            "        required: &[%s],\n"
            "        expect: %s,\n"
            "    },"
            % (
                cid,
                rs_str(cid),
                rs_str(c["jws"]),
                keys,
                c["now"],
                rs_str(c["issuer"]),
                rs_str(c["audience"]),
                c.get("leeway", 0),
                "Some(%s)" % rs_str(c["typ"]) if c.get("typ") else "None",
                req,
                expect,
            )
        )
    for text, name in sets.items():
        lines.append("/// A JWK Set of vectors/jwt_cases.json (`jwks` of the cases that use it).")
        lines.append("pub const %s: &str = %s;" % (name, rs_str(text)))
        lines.append("")
    lines.append("/// vectors/jwt_cases.json, the cases listed in gen_vectors.py (JWT_IDS).")
    lines.append("pub const JWT_CASES: &[JwtCase] = &[")
    lines.extend(body)
    lines.append("];")
    lines.append("")


def pick(tests):
    """The first PER_KIND valid tests, and PER_KIND invalid ones taken round-robin
    over the flag sets (in order of first appearance), one per distinct comment."""
    valid = [t for t in tests if t["result"] == "valid"][:PER_KIND]
    groups, seen = {}, set()
    for t in tests:
        key = (tuple(t.get("flags", [])), t.get("comment", ""))
        if t["result"] == "invalid" and key not in seen:
            seen.add(key)
            groups.setdefault(key[0], []).append(t)
    invalid, queues = [], list(groups.values())
    while len(invalid) < PER_KIND and any(queues):
        for q in queues:
            if q and len(invalid) < PER_KIND:
                invalid.append(q.pop(0))
    assert len(valid) == PER_KIND and len(invalid) == PER_KIND
    return valid + invalid


def wycheproof_part(lines):
    for const, fname, group_ok in WYCHEPROOF:
        doc = json.loads((ROOT / "vectors/wycheproof" / fname).read_text(encoding="utf-8"))
        tests = []
        for g in doc["testGroups"]:
            if group_ok and not group_ok(g):
                continue
            pk = g.get("publicKey", {})
            key = pk.get("uncompressed") or pk.get("pk")
            for t in g["tests"]:
                tests.append((key or t.get("key"), t))
        chosen = pick([t for _, t in tests])
        key_of = {id(t): k for k, t in tests}
        lines.append("/// vectors/wycheproof/%s (tcId named in each case)." % fname)
        lines.append("pub const %s: &[SigCase] = &[" % const)
        stem = fname[: -len("_test.json")]
        for t in chosen:
            sig = t["sig"] if "sig" in t else t["tag"]
            lines.append(
                "    // tcId %d: %s [%s]\n"
                "    SigCase {\n"
                "        id: %s,\n"
                "        key: %s,\n"
                "        msg: %s,\n"
                "        sig: %s,\n"
                "        valid: %s,\n"
                "    },"
                % (
                    t["tcId"],
                    t.get("comment") or "-",
                    ", ".join(t.get("flags", [])),
                    rs_str("wycheproof/%s#%d" % (stem, t["tcId"])),
                    rs_bytes(key_of[id(t)]),
                    rs_bytes(t["msg"]),
                    rs_bytes(sig),
                    "true" if t["result"] == "valid" else "false",
                )
            )
        lines.append("];")
        lines.append("")


def pkce_part(lines):
    doc = json.loads((ROOT / "vectors/rfc7636.json").read_text(encoding="utf-8"))
    lines.append("/// vectors/rfc7636.json, every case (RFC 7636 Appendix B and derived).")
    lines.append("pub const PKCE_CASES: &[PkceCase] = &[")
    for c in doc["cases"]:
        assert c["kind"] == "pkce", c["id"]
        lines.append(
            "    // %s\n"
            "    PkceCase {\n"
            "        id: %s,\n"
            "        verifier: %s,\n"
            "        method: %s,\n"
            "        challenge: %s,\n"
            "        error: %s,\n"
            "    },"
            % (
                c.get("source", ""),
                rs_str(c["id"]),
                rs_str(c["code_verifier"]),
                rs_str(c["method"]),
                rs_str(c["code_challenge"]),
                "None" if c["expect"] == "valid" else "Some(%s)" % rs_str(c["error"]),
            )
        )
    lines.append("];")
    lines.append("")
    # RFC 7636 Appendix B: the 32 octets that the verifier is the base64url of.
    b = [c for c in doc["cases"] if c["id"] == "rfc7636-b-s256"][0]
    import base64

    octets = base64.urlsafe_b64decode(b["verifier_octets_b64"] + "=")
    lines.append("/// RFC 7636 Appendix B: the verifier's 32 octets (vectors/rfc7636.json")
    lines.append("/// rfc7636-b-s256 `verifier_octets_b64`), its verifier and S256 challenge.")
    lines.append("pub const APPENDIX_B_OCTETS: [u8; 32] = [%s];" % ", ".join(str(x) for x in octets))
    lines.append("pub const APPENDIX_B_VERIFIER: &str = %s;" % rs_str(b["code_verifier"]))
    lines.append("pub const APPENDIX_B_CHALLENGE: &str = %s;" % rs_str(b["code_challenge"]))


def render() -> str:
    lines = [
        "// @generated by embedded/gen_vectors.py from the project's vectors/: do not edit.",
        "// .ci/firmware checks that this file matches its sources.",
        "",
        "use crate::cases::{Expect, JwtCase, Keys, PkceCase, SigCase};",
        "",
    ]
    jwt_part(lines)
    wycheproof_part(lines)
    pkce_part(lines)
    return "\n".join(lines) + "\n"


def main():
    text = render()
    if "--check" in sys.argv[1:]:
        if OUT.read_text(encoding="utf-8") != text:
            print("embedded/src/vectors.rs is stale: run python3 embedded/gen_vectors.py", file=sys.stderr)
            sys.exit(1)
        return
    OUT.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
