"""Deterministic test keys for gen_jwt_cases.py.

Every key is derived from a fixed text label, so re-running the generator
gives the same keys (and, with deterministic signing, the same file).
Independent implementation: hashlib + the `cryptography` package.

  oct      k      = first N octets of SHAKE-256(label)
  EC       d      = (SHAKE-256(label) as integer mod (order - 1)) + 1
  Ed25519  seed   = first 32 octets of SHAKE-256(label)
  RSA      p, q   = first primes found scanning SHAKE-256(label || counter)
                    candidates (top two bits and low bit set), Miller-Rabin
                    with the first 40 primes as bases; e = 65537
THESE ARE PUBLIC TEST KEYS. Never use them for anything but tests.
"""
import hashlib

from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from common import b64u, int_to_b64u

_SMALL_PRIMES = [p for p in range(3, 20000) if all(p % q for q in range(2, int(p ** 0.5) + 1))]
_MR_BASES = [2] + _SMALL_PRIMES[:39]


def shake(label: str, n: int) -> bytes:
    return hashlib.shake_256(label.encode("utf-8")).digest(n)


def _is_probable_prime(n: int) -> bool:
    for p in _SMALL_PRIMES:
        if n % p == 0:
            return n == p
    d, r = n - 1, 0
    while d % 2 == 0:
        d //= 2
        r += 1
    for a in _MR_BASES:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(label: str, bits: int, e: int) -> int:
    counter = 0
    while True:
        cand = int.from_bytes(shake("%s/%d" % (label, counter), bits // 8), "big")
        cand |= (3 << (bits - 2)) | 1
        counter += 1
        if _is_probable_prime(cand) and (cand - 1) % e != 0:
            return cand


def hmac_key(label: str, nbytes: int) -> bytes:
    return shake(label, nbytes)


def oct_jwk(secret: bytes, **extra) -> dict:
    return dict({"kty": "oct"}, **extra, k=b64u(secret))


def rsa_key(label: str, bits: int = 2048, e: int = 65537):
    p = _prime(label + "/p", bits // 2, e)
    q = _prime(label + "/q", bits // 2, e)
    if p < q:
        p, q = q, p
    n = p * q
    assert n.bit_length() == bits
    phi = (p - 1) * (q - 1)
    d = pow(e, -1, phi)
    priv = rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p),
                                 rsa.RSAPublicNumbers(e, n)).private_key()
    return priv


def rsa_jwk(priv, private: bool = False, **extra) -> dict:
    nums = priv.private_numbers() if hasattr(priv, "private_numbers") else None
    pub = priv.public_key().public_numbers() if nums else priv.public_numbers()
    nlen = (pub.n.bit_length() + 7) // 8
    jwk = dict({"kty": "RSA"}, **extra)
    jwk["n"] = int_to_b64u(pub.n, nlen)
    jwk["e"] = int_to_b64u(pub.e)
    if private:
        jwk.update(d=int_to_b64u(nums.d, nlen), p=int_to_b64u(nums.p), q=int_to_b64u(nums.q),
                   dp=int_to_b64u(nums.dmp1), dq=int_to_b64u(nums.dmq1), qi=int_to_b64u(nums.iqmp))
    return jwk


_CURVES = {"P-256": (ec.SECP256R1(), 32), "P-384": (ec.SECP384R1(), 48), "P-521": (ec.SECP521R1(), 66)}
_ORDERS = {
    "P-256": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    "P-384": 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973,
}


def ec_key(label: str, crv: str):
    curve, size = _CURVES[crv]
    d = int.from_bytes(shake(label, size + 8), "big") % (_ORDERS[crv] - 1) + 1
    return ec.derive_private_key(d, curve)


def ec_jwk(priv, crv: str, private: bool = False, **extra) -> dict:
    size = _CURVES[crv][1]
    pub = priv.public_key().public_numbers()
    jwk = dict({"kty": "EC", "crv": crv}, **extra)
    jwk["x"] = int_to_b64u(pub.x, size)
    jwk["y"] = int_to_b64u(pub.y, size)
    if private:
        jwk["d"] = int_to_b64u(priv.private_numbers().private_value, size)
    return jwk


def ed25519_key(label: str):
    return ed25519.Ed25519PrivateKey.from_private_bytes(shake(label, 32))


def ed25519_jwk(priv, private: bool = False, **extra) -> dict:
    from cryptography.hazmat.primitives import serialization as s
    jwk = dict({"kty": "OKP", "crv": "Ed25519"}, **extra)
    jwk["x"] = b64u(priv.public_key().public_bytes(s.Encoding.Raw, s.PublicFormat.Raw))
    if private:
        jwk["d"] = b64u(priv.private_bytes(s.Encoding.Raw, s.PrivateFormat.Raw, s.NoEncryption()))
    return jwk
