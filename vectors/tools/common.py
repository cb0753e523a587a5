"""Shared helpers for the oauth-core vector tools.

Independent implementation used throughout: Python's hashlib/hmac, the
`cryptography` package and `joserfc`. Nothing here imports or runs oauth-core.
"""
import base64
import hashlib
import json
import os

VECTORS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def b64u(data: bytes) -> str:
    """base64url without padding (RFC 7515 §2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64u_dec(text: str) -> bytes:
    """Strict base64url decode: no padding, only the URL-safe alphabet, and
    canonical (zero) unused trailing bits."""
    alphabet = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    if any(c not in alphabet for c in text):
        raise ValueError("non-base64url character")
    if len(text) % 4 == 1:
        raise ValueError("impossible base64url length")
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if b64u(raw) != text:
        raise ValueError("non-canonical base64url (unused bits set)")
    return raw


def int_from_b64u(text: str) -> int:
    return int.from_bytes(b64u_dec(text), "big")


def int_to_b64u(value: int, length: int | None = None) -> str:
    if length is None:
        length = max(1, (value.bit_length() + 7) // 8)
    return b64u(value.to_bytes(length, "big"))


def thumbprint(jwk: dict, hash_name: str = "sha256") -> str:
    """RFC 7638 §3: required members only, lexicographic order, no whitespace."""
    required = {
        "RSA": ("e", "kty", "n"),
        "EC": ("crv", "kty", "x", "y"),
        "oct": ("k", "kty"),
        "OKP": ("crv", "kty", "x"),  # RFC 8037 §2
    }[jwk["kty"]]
    canon = "{" + ",".join('"%s":"%s"' % (m, jwk[m]) for m in required) + "}"
    return b64u(hashlib.new(hash_name, canon.encode("utf-8")).digest())


def write_json(path: str, doc: dict) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")
