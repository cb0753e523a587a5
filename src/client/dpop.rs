//! DPoP for the client (RFC 9449): proof creation (§4), presenting DPoP-bound access
//! tokens (§7.1), and server-provided nonces with exactly one retry (§8, §9).
//!
//! ```
//! # #[cfg(feature = "std")] {
//! use oauth_core::client::dpop::{DpopExchange, DpopKey, DpopNonces, DpopStep};
//! use oauth_core::http::{HttpRequest, HttpResponse};
//! use oauth_core::rand::SystemRandom;
//! use oauth_core::time::UnixTime;
//!
//! let mut rng = SystemRandom::new();
//! let key = DpopKey::generate_es256(&mut rng)?;          // keep it for the token's lifetime
//! let mut nonces = DpopNonces::new();
//! let req = HttpRequest::post_form("https://as.example/token", &[("grant_type", "client_credentials")]);
//! let mut exchange = DpopExchange::new(req, None);
//! let now = UnixTime::from_secs(1_700_000_000);
//! let signed = exchange.request(&key, &nonces, now, &mut rng)?;  // send this
//! assert!(signed.header("dpop").is_some());
//! // The AS asks for a nonce (RFC 9449 §8): one retry, with the nonce in the proof.
//! let resp = HttpResponse::json(400, br#"{"error":"use_dpop_nonce"}"#.to_vec())
//!     .with_header("DPoP-Nonce", "eyJ7S_zG.eyJH0-Z.HX4w-7v")?;
//! assert_eq!(exchange.handle_response(&mut nonces, &resp)?, DpopStep::Retry);
//! let again = exchange.request(&key, &nonces, now, &mut rng)?;
//! # let _ = again; }
//! # Ok::<(), Box<dyn core::error::Error>>(())
//! ```

use alloc::collections::BTreeMap;
use alloc::string::String;
use core::fmt;

use sha2::Digest as _;

use crate::encoding::base64url;
use crate::encoding::json::{self, Limits};
use crate::error::ErrorResponse;
use crate::http::{HttpError, HttpRequest, HttpResponse, Method};
use crate::jose::{Algorithm, Jwk, KeyError, KeyFamily, SigningKey};
use crate::rand::SecureRandom;
use crate::time::UnixTime;

use super::www_authenticate;

/// The `typ` of a DPoP proof (RFC 9449 §4.2).
pub const DPOP_PROOF_TYP: &str = "dpop+jwt";
/// The most origins whose nonce a [`DpopNonces`] remembers.
pub const MAX_NONCE_ORIGINS: usize = 64;
/// The longest `DPoP-Nonce` value accepted, in bytes.
pub const MAX_NONCE_LEN: usize = 1024;

/// Why a DPoP proof could not be built or a DPoP exchange went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DpopError {
    /// The key could not be used (holds the key error).
    Key(KeyError),
    /// DPoP needs an asymmetric key; HMAC keys are refused (RFC 9449 §4.2: the
    /// proof carries the public key).
    SymmetricKey,
    /// The JWK given as the public key holds private members (RFC 9449 §4.2: the
    /// `jwk` header "MUST NOT contain a private key").
    PrivateJwk,
    /// The public JWK does not belong to the signing key.
    KeyMismatch,
    /// The request URL is not an absolute http(s) URL (RFC 9449 §4.2 `htu`).
    InvalidUrl,
    /// The random source failed while making a `jti`.
    Random,
    /// A `DPoP-Nonce` value that is not `1*NQCHAR` (RFC 9449 §8.1).
    InvalidNonce,
    /// A header could not be set.
    Http(HttpError),
    /// The server asked for a fresh nonce again after the one retry (RFC 9449 §8:
    /// the client retries once with the new nonce).
    NonceRetryExhausted,
}

impl fmt::Display for DpopError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Key(e) => write!(f, "dpop key: {e}"),
            Self::SymmetricKey => f.write_str("dpop needs an asymmetric key (RFC 9449 §4.2)"),
            Self::PrivateJwk => {
                f.write_str("dpop jwk header must not contain a private key (RFC 9449 §4.2)")
            }
            Self::KeyMismatch => f.write_str("public jwk does not match the dpop signing key"),
            Self::InvalidUrl => {
                f.write_str("dpop htu needs an absolute http(s) request URL (RFC 9449 §4.2)")
            }
            Self::Random => f.write_str("random source failed while making the dpop jti"),
            Self::InvalidNonce => f.write_str("dpop-nonce is not 1*NQCHAR (RFC 9449 §8.1)"),
            Self::Http(e) => write!(f, "dpop header: {e}"),
            Self::NonceRetryExhausted => {
                f.write_str("server asked for a new dpop nonce after the one retry (RFC 9449 §8)")
            }
        }
    }
}

impl core::error::Error for DpopError {}

impl From<KeyError> for DpopError {
    fn from(e: KeyError) -> Self {
        Self::Key(e)
    }
}

impl From<HttpError> for DpopError {
    fn from(e: HttpError) -> Self {
        Self::Http(e)
    }
}

/// A DPoP key pair: the signing key and its public JWK, checked to match.
///
/// The public JWK (members `kty`, `crv`/`x`/`y` or `n`/`e` only) goes in every
/// proof's header; its RFC 7638 thumbprint is the `dpop_jkt` of an authorization
/// request (RFC 9449 §10) and the `cnf.jkt` of bound tokens (§6.1).
pub struct DpopKey {
    signing: SigningKey,
    /// Public JWK as compact JSON.
    jwk_json: String,
    thumbprint: heapless::String<43>,
}

impl fmt::Debug for DpopKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DpopKey")
            .field("alg", &self.signing.algorithm())
            .field("jkt", &self.thumbprint.as_str())
            .finish_non_exhaustive()
    }
}

/// The public members of a JWK (RFC 7638 §3.2's required members) as compact JSON.
fn public_members(jwk_json: &[u8]) -> Result<String, DpopError> {
    let obj = json::parse_object(jwk_json, &Limits::default()).map_err(|_| KeyError::Malformed)?;
    let get = |name: &str| obj.get(name).and_then(|v| v.as_str()).map(|s| s.to_cow());
    let kty = get("kty").ok_or(KeyError::Malformed)?;
    let names: &[&str] = match &*kty {
        "EC" => &["crv", "kty", "x", "y"],
        "OKP" => &["crv", "kty", "x"],
        "RSA" => &["e", "kty", "n"],
        "oct" => return Err(DpopError::SymmetricKey),
        _ => return Err(KeyError::UnsupportedKeyType.into()),
    };
    let mut map = serde_json::Map::new();
    for &n in names {
        let v = get(n).ok_or(KeyError::Malformed)?;
        map.insert(n.into(), serde_json::Value::String(v.into_owned()));
    }
    serde_json::to_string(&map).map_err(|_| DpopError::Key(KeyError::Malformed))
}

impl DpopKey {
    /// A DPoP key from a signing key and its public JWK (JSON text).
    ///
    /// # Errors
    /// [`DpopError::SymmetricKey`] for HMAC keys; [`DpopError::PrivateJwk`] when the
    /// JWK holds private members; [`DpopError::KeyMismatch`] when a probe signature
    /// of `signing` does not verify under the JWK; [`DpopError::Key`] for a bad JWK.
    pub fn new(signing: SigningKey, public_jwk: &str) -> Result<Self, DpopError> {
        if signing.algorithm().family() == KeyFamily::Hmac {
            return Err(DpopError::SymmetricKey);
        }
        let jwk = Jwk::parse(public_jwk.as_bytes())?;
        if jwk.family()? == KeyFamily::Hmac {
            return Err(DpopError::SymmetricKey);
        }
        // RFC 9449 §4.2: the jwk header MUST NOT contain a private key.
        if jwk.is_private() {
            return Err(DpopError::PrivateJwk);
        }
        let verifying = jwk
            .to_verifying_key(Some(signing.algorithm()))
            .map_err(|_| DpopError::KeyMismatch)?;
        if verifying.algorithm() != signing.algorithm() {
            return Err(DpopError::KeyMismatch);
        }
        const PROBE: &[u8] = b"oauth-core dpop key pair check";
        let sig = signing.sign(PROBE)?;
        verifying
            .verify_signature(PROBE, &sig)
            .map_err(|_| DpopError::KeyMismatch)?;
        let jwk_json = public_members(public_jwk.as_bytes())?;
        let thumbprint = Jwk::parse(jwk_json.as_bytes())?.thumbprint()?;
        Ok(Self {
            signing,
            jwk_json,
            thumbprint,
        })
    }

    /// A DPoP key from a private JWK (EC, OKP or RSA with its private members),
    /// signing with the JWK's `alg`, or the curve's algorithm, or `rsa_alg` for an
    /// RSA JWK without `alg`.
    ///
    /// # Errors
    /// As [`DpopKey::new`], and [`DpopError::Key`] when the JWK is not a usable
    /// private key.
    pub fn from_private_jwk(jwk_json: &str, rsa_alg: Option<Algorithm>) -> Result<Self, DpopError> {
        let jwk = Jwk::parse(jwk_json.as_bytes())?;
        if jwk.family()? == KeyFamily::Hmac {
            return Err(DpopError::SymmetricKey);
        }
        let pin = (jwk.family()? == KeyFamily::Rsa)
            .then_some(rsa_alg)
            .flatten();
        Self::from_signing_key(jwk.to_signing_key(pin)?)
    }

    /// A DPoP key from a signing key alone: the public JWK in proof headers is
    /// derived from it ([`SigningKey::public_jwk`], kept to the RFC 7638 members).
    ///
    /// # Errors
    /// [`DpopError::SymmetricKey`] for HMAC keys; [`DpopError::Key`] if the
    /// backend cannot render the public key.
    pub fn from_signing_key(signing: SigningKey) -> Result<Self, DpopError> {
        // RFC 9449 §4.2: the jwk header is a public key; HMAC has none.
        let public = match signing.public_jwk() {
            Ok(v) => v,
            Err(KeyError::WrongUse) => return Err(DpopError::SymmetricKey),
            Err(e) => return Err(e.into()),
        };
        let text = serde_json::to_vec(&public).map_err(|_| KeyError::Malformed)?;
        let public = public_members(&text)?;
        Self::new(signing, &public)
    }

    /// A fresh ES256 (P-256) key from the caller's random source: the default DPoP
    /// algorithm, supported by every DPoP server we know of.
    ///
    /// # Errors
    /// [`DpopError::Random`] when the source fails; [`DpopError::Key`] if the
    /// backend refuses the key.
    pub fn generate_es256(rng: &mut impl SecureRandom) -> Result<Self, DpopError> {
        // A uniformly random scalar: retry the (2^-32 likely) out-of-range draws.
        // The random bytes and every encoding of the scalar are wiped when dropped: the
        // scalar goes to the signer as a PKCS#8 document (`SecretDocument` zeroizes itself),
        // never through a JSON string.
        use p256::elliptic_curve::zeroize::Zeroize;
        use p256::pkcs8::EncodePrivateKey;
        let mut secret = None;
        let mut d = [0u8; 32];
        for _ in 0..8 {
            if rng.fill(&mut d).is_err() {
                d.zeroize();
                return Err(DpopError::Random);
            }
            if let Ok(s) = p256::SecretKey::from_slice(&d) {
                secret = Some(s);
                break;
            }
        }
        d.zeroize();
        let secret = secret.ok_or(DpopError::Random)?;
        let der = secret
            .to_pkcs8_der()
            .map_err(|_| KeyError::InvalidPrivateKey)?;
        Self::from_es256_pkcs8(der.as_bytes())
    }

    /// An ES256 key from a PKCS#8 DER P-256 private key (RFC 5958); the public JWK is
    /// derived from it.
    ///
    /// # Errors
    /// [`DpopError::Key`] when the document is not a P-256 private key.
    pub fn from_es256_pkcs8(der: &[u8]) -> Result<Self, DpopError> {
        Self::from_signing_key(SigningKey::from_pkcs8(Algorithm::ES256, der)?)
    }

    /// As [`DpopKey::from_es256_pkcs8`], from a PEM `PRIVATE KEY` block (RFC 7468 §10).
    ///
    /// # Errors
    /// [`DpopError::Key`] for bad PEM, another label, or as
    /// [`DpopKey::from_es256_pkcs8`].
    pub fn from_es256_pkcs8_pem(pem: &str) -> Result<Self, DpopError> {
        let (label, der) =
            pem_rfc7468::decode_vec(pem.as_bytes()).map_err(|_| KeyError::InvalidPrivateKey)?;
        if label != "PRIVATE KEY" {
            return Err(KeyError::InvalidPrivateKey.into());
        }
        Self::from_es256_pkcs8(&der)
    }

    /// The algorithm proofs are signed with.
    #[must_use]
    pub fn algorithm(&self) -> Algorithm {
        self.signing.algorithm()
    }

    /// The public JWK put in proof headers, as JSON.
    #[must_use]
    pub fn public_jwk(&self) -> &str {
        &self.jwk_json
    }

    /// The RFC 7638 SHA-256 thumbprint of the public key, base64url: the value of
    /// `dpop_jkt` in an authorization request (RFC 9449 §10) and of `cnf.jkt`.
    #[must_use]
    pub fn thumbprint(&self) -> &str {
        &self.thumbprint
    }

    /// Signs a DPoP proof JWT (RFC 9449 §4.2) for `method` and `url`.
    ///
    /// Header: `typ` = `dpop+jwt`, `alg`, `jwk` (public members only). Claims:
    /// `jti` (256 random bits), `htm`, `htu` (the URL without query and fragment),
    /// `iat` = `now`, `ath` when `access_token` is given (§4.2: base64url SHA-256 of
    /// the token's ASCII), and `nonce` when given.
    ///
    /// # Errors
    /// [`DpopError::InvalidUrl`], [`DpopError::InvalidNonce`], [`DpopError::Random`]
    /// or [`DpopError::Key`] from the signer.
    pub fn proof(
        &self,
        method: Method,
        url: &str,
        access_token: Option<&str>,
        nonce: Option<&str>,
        now: UnixTime,
        rng: &mut impl SecureRandom,
    ) -> Result<String, DpopError> {
        let htu = htu(url)?;
        if let Some(n) = nonce
            && !is_valid_nonce(n)
        {
            return Err(DpopError::InvalidNonce);
        }
        let mut jti = [0u8; 32];
        rng.fill(&mut jti).map_err(|_| DpopError::Random)?;
        let jwk: serde_json::Value =
            serde_json::from_str(&self.jwk_json).map_err(|_| KeyError::Malformed)?;
        let header = serde_json::json!({
            "typ": DPOP_PROOF_TYP,
            "alg": self.signing.algorithm().name(),
            "jwk": jwk,
        });
        let mut claims = serde_json::Map::new();
        claims.insert("jti".into(), base64url::encode_string(&jti).into());
        claims.insert("htm".into(), method.as_str().into());
        claims.insert("htu".into(), htu.into());
        claims.insert("iat".into(), now.as_secs().into());
        if let Some(t) = access_token {
            claims.insert("ath".into(), access_token_hash(t).into());
        }
        if let Some(n) = nonce {
            claims.insert("nonce".into(), n.into());
        }
        let header = serde_json::to_vec(&header).map_err(|_| KeyError::Malformed)?;
        let claims = serde_json::to_vec(&claims).map_err(|_| KeyError::Malformed)?;
        let mut out = String::new();
        base64url::encode_into_string(&header, &mut out);
        out.push('.');
        base64url::encode_into_string(&claims, &mut out);
        let sig = self.signing.sign(out.as_bytes())?;
        out.push('.');
        base64url::encode_into_string(&sig, &mut out);
        Ok(out)
    }

    /// Signs a proof for `req` and sets its `DPoP` header (RFC 9449 §4.1); with an
    /// access token, also sets `Authorization: DPoP <token>` (§7.1) and the proof's
    /// `ath`.
    ///
    /// # Errors
    /// As [`DpopKey::proof`], and [`DpopError::Http`] for a token with characters a
    /// header cannot hold.
    pub fn attach(
        &self,
        req: &mut HttpRequest,
        access_token: Option<&str>,
        nonce: Option<&str>,
        now: UnixTime,
        rng: &mut impl SecureRandom,
    ) -> Result<(), DpopError> {
        let proof = self.proof(req.method, &req.url, access_token, nonce, now, rng)?;
        if let Some(t) = access_token {
            let mut value = String::from("DPoP ");
            value.push_str(t);
            req.headers.insert("Authorization", value)?;
        }
        // RFC 9449 §4.1: exactly one DPoP header.
        req.headers.insert("DPoP", proof)?;
        Ok(())
    }
}

/// The `htu` of a request URL (RFC 9449 §4.2): the target URI without query and
/// fragment, in the URL parser's normal form (lower-case scheme and host, default
/// port dropped, `/` for an empty path; RFC 3986 §6.2.2 normalisation, which §4.3
/// tells servers to apply when comparing).
///
/// # Errors
/// [`DpopError::InvalidUrl`] for anything but an absolute http(s) URL with a host.
pub fn htu(url: &str) -> Result<String, DpopError> {
    let mut u = url::Url::parse(url).map_err(|_| DpopError::InvalidUrl)?;
    if !matches!(u.scheme(), "https" | "http") || u.host().is_none() {
        return Err(DpopError::InvalidUrl);
    }
    u.set_query(None);
    u.set_fragment(None);
    Ok(u.into())
}

/// `ath` (RFC 9449 §4.2): base64url of the SHA-256 of the access token's ASCII.
#[must_use]
pub fn access_token_hash(access_token: &str) -> String {
    base64url::encode_string(&sha2::Sha256::digest(access_token.as_bytes()))
}

/// RFC 9449 §8.1: `nonce = 1*NQCHAR`, `NQCHAR = %x21 / %x23-5B / %x5D-7E`.
fn is_valid_nonce(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= MAX_NONCE_LEN
        && n.bytes()
            .all(|b| b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b))
}

/// The origin of a URL (RFC 6454 §4) as text, the key nonces are kept under.
fn origin(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    let o = u.origin();
    o.is_tuple().then(|| o.ascii_serialization())
}

/// The latest `DPoP-Nonce` of each origin (RFC 9449 §8.2, §9: the authorization
/// server and each resource server have their own nonce).
#[derive(Clone, Default)]
pub struct DpopNonces {
    by_origin: BTreeMap<String, String>,
}

impl fmt::Debug for DpopNonces {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DpopNonces")
            .field("origins", &self.by_origin.len())
            .finish()
    }
}

impl DpopNonces {
    /// No nonces yet.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The nonce to put in the next proof for `url`, if its origin sent one.
    #[must_use]
    pub fn get(&self, url: &str) -> Option<&str> {
        self.by_origin.get(&origin(url)?).map(String::as_str)
    }

    /// Remembers the `DPoP-Nonce` of a response to a request sent to `url`
    /// (RFC 9449 §8.2: a server may send a new nonce on any response). Returns
    /// whether a nonce was recorded.
    ///
    /// # Errors
    /// [`DpopError::InvalidNonce`] for a repeated or malformed `DPoP-Nonce`.
    pub fn update(&mut self, url: &str, resp: &HttpResponse) -> Result<bool, DpopError> {
        let Some(nonce) = resp
            .headers
            .get_single("DPoP-Nonce")
            .map_err(|_| DpopError::InvalidNonce)?
        else {
            return Ok(false);
        };
        if !is_valid_nonce(nonce) {
            return Err(DpopError::InvalidNonce);
        }
        let Some(origin) = origin(url) else {
            return Err(DpopError::InvalidUrl);
        };
        if !self.by_origin.contains_key(&origin) && self.by_origin.len() >= MAX_NONCE_ORIGINS {
            self.by_origin.pop_first();
        }
        self.by_origin.insert(origin, nonce.into());
        Ok(true)
    }
}

/// Whether `resp` asks for a DPoP nonce, and from which kind of server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NonceRequest {
    /// Not a `use_dpop_nonce` error (or one without a `DPoP-Nonce` to use).
    No,
    /// An authorization server's 400 with `{"error":"use_dpop_nonce"}` (RFC 9449 §8).
    AuthorizationServer,
    /// A resource server's 401 with `WWW-Authenticate: DPoP error="use_dpop_nonce"`
    /// (RFC 9449 §9).
    ResourceServer,
}

/// Classifies `resp` as a nonce request (RFC 9449 §8 and §9). Both forms need a
/// `DPoP-Nonce` header: without a new nonce a retry cannot succeed.
#[must_use]
pub fn nonce_request(resp: &HttpResponse) -> NonceRequest {
    if !matches!(resp.headers.get_single("DPoP-Nonce"), Ok(Some(n)) if is_valid_nonce(n)) {
        return NonceRequest::No;
    }
    match resp.status {
        400 if resp.content_type_is_json() => match ErrorResponse::from_json(&resp.body) {
            Ok(e) if e.error == "use_dpop_nonce" => NonceRequest::AuthorizationServer,
            _ => NonceRequest::No,
        },
        401 => match www_authenticate::parse_response(resp) {
            Ok(c) if c.dpop().and_then(|d| d.error()) == Some("use_dpop_nonce") => {
                NonceRequest::ResourceServer
            }
            _ => NonceRequest::No,
        },
        _ => NonceRequest::No,
    }
}

/// What to do after [`DpopExchange::handle_response`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DpopStep {
    /// The server asked for a nonce and it is now known: build the request again
    /// with [`DpopExchange::request`] and send it (the one retry). A token request
    /// authenticated with a client assertion (`private_key_jwt`, `client_secret_jwt`)
    /// must get a fresh assertion first, through [`DpopExchange::replace_request`]:
    /// the server has seen the first one's `jti` (RFC 7523 §3: single use).
    Retry,
    /// Process the response with the exchange's usual `process_*` function.
    Done,
}

/// One request sent with DPoP, with its single nonce retry (RFC 9449 §8, §9).
///
/// A sans-IO state machine: [`DpopExchange::request`] signs a fresh proof (new
/// `jti`, the origin's latest nonce) each time; [`DpopExchange::handle_response`]
/// records any `DPoP-Nonce` and says whether to retry. A second `use_dpop_nonce`
/// is an error, so a server cannot keep the client in a loop.
#[derive(Clone)]
pub struct DpopExchange {
    request: HttpRequest,
    access_token: Option<String>,
    retried: bool,
}

impl fmt::Debug for DpopExchange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DpopExchange")
            .field("request", &self.request)
            .field("with_access_token", &self.access_token.is_some())
            .field("retried", &self.retried)
            .finish()
    }
}

impl DpopExchange {
    /// An exchange for `request` (a token request when `access_token` is `None`, a
    /// resource request presenting the DPoP-bound `access_token` otherwise).
    #[must_use]
    pub fn new(request: HttpRequest, access_token: Option<&str>) -> Self {
        Self {
            request,
            access_token: access_token.map(String::from),
            retried: false,
        }
    }

    /// The request to send now, with a fresh proof carrying the origin's latest
    /// nonce from `nonces`.
    ///
    /// # Errors
    /// As [`DpopKey::attach`].
    pub fn request(
        &self,
        key: &DpopKey,
        nonces: &DpopNonces,
        now: UnixTime,
        rng: &mut impl SecureRandom,
    ) -> Result<HttpRequest, DpopError> {
        let mut req = self.request.clone();
        let nonce = nonces.get(&req.url);
        key.attach(&mut req, self.access_token.as_deref(), nonce, now, rng)?;
        Ok(req)
    }

    /// Replaces the request (same method and URL expected) for the retry, e.g. a token
    /// request rebuilt with a fresh client assertion. The retry budget is unchanged.
    pub fn replace_request(&mut self, request: HttpRequest) {
        self.request = request;
    }

    /// Records the response's `DPoP-Nonce` in `nonces` and decides: retry once on
    /// `use_dpop_nonce`, else done.
    ///
    /// # Errors
    /// [`DpopError::NonceRetryExhausted`] on a second `use_dpop_nonce`;
    /// [`DpopError::InvalidNonce`] for a malformed `DPoP-Nonce`.
    pub fn handle_response(
        &mut self,
        nonces: &mut DpopNonces,
        resp: &HttpResponse,
    ) -> Result<DpopStep, DpopError> {
        nonces.update(&self.request.url, resp)?;
        if nonce_request(resp) == NonceRequest::No {
            return Ok(DpopStep::Done);
        }
        if self.retried {
            return Err(DpopError::NonceRetryExhausted);
        }
        self.retried = true;
        Ok(DpopStep::Retry)
    }
}

/// Splits a compact JWS into its three segments (for tests and callers that
/// inspect their own proofs).
#[must_use]
pub fn split_compact(token: &str) -> Option<[&str; 3]> {
    let mut it = token.split('.');
    let parts = [it.next()?, it.next()?, it.next()?];
    it.next().is_none().then_some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn htu_drops_query_and_fragment() {
        // RFC 9449 §4.2: "without query and fragment parts".
        assert_eq!(
            htu("https://Server.Example.com/token?a=b#frag").unwrap(),
            "https://server.example.com/token"
        );
        assert_eq!(
            htu("https://server.example.com:443").unwrap(),
            "https://server.example.com/"
        );
        assert_eq!(htu("urn:x:y"), Err(DpopError::InvalidUrl));
        assert_eq!(htu("ftp://x/"), Err(DpopError::InvalidUrl));
    }

    #[test]
    fn nonce_syntax() {
        assert!(is_valid_nonce("eyJ7S_zG.eyJH0-Z.HX4w-7v"));
        for bad in ["", "a b", "a\"b", "a\\b", "é"] {
            assert!(!is_valid_nonce(bad), "{bad:?}");
        }
    }

    #[test]
    fn compact_split() {
        assert_eq!(split_compact("a.b.c"), Some(["a", "b", "c"]));
        assert_eq!(split_compact("a.b"), None);
        assert_eq!(split_compact("a.b.c.d"), None);
    }
}
