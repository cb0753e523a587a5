#!/usr/bin/env python3
"""Seeds the fuzz corpora from vectors/ (standard library only).

    python3 fuzz/seed.py                # writes fuzz/corpus/<target>/ (git-ignored)
    python3 fuzz/seed.py --regressions  # (re)writes the curated seed-* files of
                                        # fuzz/regressions/<target>/ (checked in)

Every JSON file under vectors/ is walked: compact tokens, JWKs, JWK Sets, PKCE
cases and every JSON object found become inputs of the targets that read them
(input formats: fuzz/properties.rs). File names are the SHA-1 of the content, as
libFuzzer names its own corpus files, so re-running adds nothing twice.
"""

import base64
import hashlib
import json
import pathlib
import re
import sys
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parent.parent
VECTORS = ROOT / "vectors"
TARGETS = ["jwt_verify", "jws_multi_key", "json_scanner", "claims", "jwk", "base64url", "form", "pkce"]
# Per target: the corpus keeps every seed up to this size; the curated
# regression set keeps at most REGRESSION_MAX files of at most REGRESSION_SIZE bytes.
MAX_SEED = 64 * 1024
REGRESSION_MAX = 40
REGRESSION_SIZE = 4 * 1024

B64URL = re.compile(r"^[A-Za-z0-9_-]*$")
COMPACT = re.compile(r"^[A-Za-z0-9_=+/-]*\.[A-Za-z0-9_=+/-]*\.[A-Za-z0-9_=+/!-]*$")


def unb64(s):
    """Lenient base64url decode (the seeds may be deliberately broken)."""
    try:
        return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
    except ValueError:
        return None


def b64(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def compact(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


class Seeds:
    def __init__(self):
        self.by_target = {t: {} for t in TARGETS}  # sha1 -> bytes, in insertion order
        self.pinned = {t: set() for t in TARGETS}  # always in the curated regression set

    def add(self, target, data, pin=False):
        if isinstance(data, str):
            data = data.encode()
        if data is None or len(data) > MAX_SEED:
            return
        h = hashlib.sha1(data).hexdigest()
        self.by_target[target].setdefault(h, data)
        if pin:
            self.pinned[target].add(h)


def walk(value):
    """Every dict, list and string inside a JSON document."""
    yield value
    if isinstance(value, dict):
        for v in value.values():
            yield from walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v)


def collect():
    s = Seeds()
    tokens, payloads, headers, jwks, jwk_sets, objects = [], [], [], [], [], []
    pkce = []
    files = sorted(VECTORS.rglob("*.json"))
    for f in files:
        doc = json.loads(f.read_text())
        # Primitive-level Wycheproof files hold thousands of tests; only their
        # JWKs matter here.
        primitive = f.parent.name == "wycheproof" and not f.name.startswith("json_web_")
        for v in walk(doc):
            if isinstance(v, dict):
                if "kty" in v:
                    jwks.append(v)
                elif isinstance(v.get("keys"), list):
                    jwk_sets.append(v)
                if not primitive:
                    objects.append(v)
                if v.get("kind") == "pkce":
                    pkce.append((v.get("code_verifier", ""), v.get("code_challenge", "")))
            elif isinstance(v, str) and not primitive and COMPACT.match(v) and len(v) > 4:
                tokens.append(v)
            elif isinstance(v, str) and not primitive and v.startswith("{") and '"signatures"' in v:
                tokens.append(v)  # a JWS JSON serialization: must be rejected

    seen = set()
    for t in tokens:
        if t in seen:
            continue
        seen.add(t)
        s.add("jwt_verify", t)
        parts = t.split(".")
        if len(parts) == 3:
            h, p = unb64(parts[0]), unb64(parts[1])
            for seg in parts:
                s.add("base64url", seg)
            if h is not None and p is not None:
                headers.append(h)
                payloads.append(p)
                s.add("jwt_verify", b"!" + h + b"\0" + p)

    # Every claims set behind a valid MAC and a good access-token header, so the
    # claim rules are reached whatever key signed the original token.
    hs_header = compact({"alg": "HS256", "typ": "at+jwt", "kid": "hs256-2025"})
    for p in payloads:
        s.add("jwt_verify", b"!" + hs_header + b"\0" + p)

    for typ in ("application/at+jwt", "AT+JWT", "Application/At+Jwt", "jwt"):
        h = compact({"alg": "HS256", "typ": typ, "kid": "hs256-2025"})
        for i, p in enumerate(payloads[:4]):
            s.add("jwt_verify", b"!" + h + b"\0" + p, pin=i == 0)

    # Every escape, numbers of every shape, nesting, unicode.
    handmade = [
        r'{"s":"\b\f\n\r\t\/\\\"\u00e9\ud83d\ude00\u0000 x","\u0061ud":"a"}',
        r'{"n":[0,-0,1.5e3,-2E-2,1e308,123456789012345678901234567890,-9223372036854775808,18446744073709551615]}',
        r'{"a":{"b":{"c":[[[{"d":null}]]]}},"t":true,"f":false,"e":{},"l":[]}',
        '{"kü":"€𝄞"}',
        r'{"exp":1750000000.5,"nbf":1.7e9,"iat":-0,"aud":["x","https://api.example.com"]}',
    ]
    for h in handmade:
        s.add("json_scanner", h, pin=True)
        s.add("claims", h, pin=True)

    for h in headers:
        s.add("json_scanner", h)
    for p in payloads:
        s.add("json_scanner", p)
        s.add("claims", p)
    for o in objects:
        s.add("json_scanner", compact(o))
        if "expected_claims" in o:
            s.add("claims", compact(o["expected_claims"]))
    # Pretty-printed and escaped spellings of a few documents.
    for o in objects[:40]:
        s.add("json_scanner", json.dumps(o, indent=2).encode())
        s.add("json_scanner", json.dumps(o, ensure_ascii=True).encode())

    for k in jwks:
        s.add("jwk", compact(k))
        s.add("jwk", compact({"keys": [k]}))
        for m in ("x", "y", "d", "k", "n", "e"):
            if isinstance(k.get(m), str) and B64URL.match(k[m]):
                s.add("base64url", k[m])
    for ks in jwk_sets:
        s.add("jwk", compact(ks))

    # jws_multi_key: signer, flags, tamper byte, then the payload or HEADER NUL PAYLOAD.
    samples = payloads[:24]
    for i, p in enumerate(samples):
        for signer in range(5):
            flags = [0, 1, 1 | 8, 16, 4][(i + signer) % 5]
            s.add("jws_multi_key", bytes([signer, flags, i]) + p, pin=i < 2)
    for i, (h, p) in enumerate(zip(headers[:24], payloads[:24])):
        s.add("jws_multi_key", bytes([i % 5, 2, 0]) + h + b"\0" + p)

    # pkce: "verifier challenge"; verifiers and challenges alone.
    for v, c in pkce:
        s.add("pkce", f"{v} {c}")
        s.add("pkce", v)
        s.add("base64url", c)
    for v, _ in pkce[:1]:
        s.add("pkce", f"{v} {v}")  # plain, and an S256 downgrade attempt

    # form: bodies and queries built with an independent encoder (urllib), the
    # RFC 6749 examples, edge cases, and Basic credentials.
    forms = [
        "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA"
        "&redirect_uri=https%3A%2F%2Fclient%2Eexample%2Ecom%2Fcb",
        "grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA",
        "response_type=code&client_id=s6BhdRkqt3&state=xyz"
        "&redirect_uri=https%3A%2F%2Fclient%2Eexample%2Ecom%2Fcb",
        "code=SplxlOBeZQQYbYS6WxSbIA&state=xyz&iss=https%3A%2F%2Fas.example",
        "&a=&b&=c&&d==&",
        "a=%zz&b=%&c=%4&d=100%&e=%%41&f=%4g",
        "scope=openid+email&x=a%2Bb&y=%20",
        "k%C3%BC=%E2%82%AC+%F0%9D%84%9E",
        "code=a&state=s&code=b",
        "co%64e=a&code=b",
        "a=1&b=%FF",
        "a=%C0%AF",
        "a=%ED%A0%80",
        "Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3",
        "basic YTo=",
        "Basic " + base64.b64encode(b"my%3Aclient+id%25:p%C3%A4+ss%3Aw%2Brd%2F%3D").decode(),
    ]
    for f in forms:
        s.add("form", f, pin=True)
    for i, (v, c) in enumerate(pkce):
        s.add("form", urllib.parse.urlencode({
            "grant_type": "authorization_code", "code": f"code-{i}",
            "redirect_uri": "https://client.example.com/cb?x=1&y=2", "code_verifier": v,
        }))
        s.add("form", urllib.parse.urlencode({"code_challenge": c, "code_challenge_method": "S256"}))
    for t in tokens[:8]:
        s.add("form", urllib.parse.urlencode({
            "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": t}))
    return s


def write(seeds, base, prefix="", limit=None, max_size=None):
    total = 0
    for target, items in seeds.by_target.items():
        d = base / target
        d.mkdir(parents=True, exist_ok=True)
        chosen = list(items.items())
        if max_size is not None:
            chosen = [(h, b) for h, b in chosen if len(b) <= max_size]
        if limit is not None and len(chosen) > limit:
            # The pinned seeds, then a spread over the sources (the list is in
            # source order).
            pinned = [(h, b) for h, b in chosen if h in seeds.pinned[target]][:limit]
            rest = [(h, b) for h, b in chosen if h not in seeds.pinned[target]]
            step = len(rest) / (limit - len(pinned))
            chosen = pinned + [rest[int(i * step)] for i in range(limit - len(pinned))]
        for h, data in chosen:
            (d / f"{prefix}{h}").write_bytes(data)
        total += len(chosen)
        print(f"  {target:14} {len(chosen):5} seeds")
    return total


def main():
    seeds = collect()
    if "--regressions" in sys.argv[1:]:
        base = ROOT / "fuzz" / "regressions"
        for t in TARGETS:  # replace the curated seeds, keep found artifacts
            for old in (base / t).glob("seed-*"):
                old.unlink()
        n = write(seeds, base, prefix="seed-", limit=REGRESSION_MAX, max_size=REGRESSION_SIZE)
        print(f"seed.py: {n} curated seeds in {base.relative_to(ROOT)}/")
    else:
        base = ROOT / "fuzz" / "corpus"
        n = write(seeds, base)
        print(f"seed.py: {n} seeds in {base.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
