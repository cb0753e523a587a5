"""Records interop fixtures from joserfc (a real peer) for tests/resource_interop.rs.

The authorization server's access token (RFC 9068, ES256, with cnf.jkt) and the
client's DPoP proof (RFC 9449, ES256, jwk header) are both made by joserfc, with
fresh keys; the test verifies them with oauth-core at the recorded time.
Run: python3 tests/resource_fixtures/record_joserfc.py > tests/resource_fixtures/joserfc.json
"""
import base64, hashlib, json
import joserfc
from joserfc import jwt
from joserfc.jwk import ECKey

NOW = 1_760_000_000
RESOURCE = "https://mcp.example.com/mcp"
ISSUER = "https://as.example.com"

as_key = ECKey.generate_key("P-256", parameters={"kid": "as-1", "alg": "ES256", "use": "sig"}, private=True)
client = ECKey.generate_key("P-256", private=True)
jkt = client.thumbprint()

token = jwt.encode(
    {"alg": "ES256", "typ": "at+jwt", "kid": "as-1"},
    {"iss": ISSUER, "aud": RESOURCE, "sub": "user-1", "client_id": "agent-1",
     "scope": "mcp:tools", "iat": NOW - 5, "exp": NOW + 300, "jti": "at-1",
     "cnf": {"jkt": jkt}},
    as_key,
)
ath = base64.urlsafe_b64encode(hashlib.sha256(token.encode()).digest()).rstrip(b"=").decode()
proof = jwt.encode(
    {"alg": "ES256", "typ": "dpop+jwt", "jwk": client.as_dict(private=False)},
    {"jti": "proof-1", "htm": "POST", "htu": RESOURCE, "iat": NOW, "ath": ath},
    client,
)
print(json.dumps({
    "peer": f"joserfc {joserfc.__version__}",
    "now": NOW,
    "issuer": ISSUER,
    "resource": RESOURCE,
    "jwks": {"keys": [as_key.as_dict(private=False)]},
    "access_token": token,
    "dpop_proof": proof,
    "jkt": jkt,
    "ath": ath,
}, indent=2))
