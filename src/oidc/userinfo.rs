//! The UserInfo endpoint (OpenID Connect Core 1.0 §5.3): the request with the access
//! token (Bearer, RFC 6750 §2.1, or DPoP, RFC 9449 §7.1), and the response as JSON or as
//! a signed JWT (`application/jwt`, §5.3.2), whose `sub` must equal the ID token's
//! (§5.3.4).

use alloc::string::String;
use core::fmt;

use serde_json::{Map, Value};

use crate::client::dpop::DpopExchange;
use crate::client::www_authenticate::{self, Challenges};
use crate::encoding::document::{DocumentError, from_slice_strict};
use crate::http::{HttpError, HttpRequest, HttpResponse};
use crate::jose::{Algorithm, JoseError, KeyResolver, Validation};
use crate::metadata::AuthorizationServerMetadata;
use crate::time::UnixTime;

use super::id_token::VerifiedIdToken;

/// The media type of a signed UserInfo response (OIDC Core §5.3.2).
pub const APPLICATION_JWT: &str = "application/jwt";
/// The largest UserInfo JWT accepted, in bytes.
pub const MAX_USERINFO_JWT_LEN: usize = 64 * 1024;

/// Why a UserInfo request could not be built or its response was refused. Never holds
/// the access token or claim values.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UserInfoError {
    /// The metadata has no `userinfo_endpoint` (OpenID Connect Discovery §3).
    NoEndpoint,
    /// The access token cannot be put in a header.
    Http(HttpError),
    /// The server refused the token: its `WWW-Authenticate` challenges (OIDC Core
    /// §5.3.3, RFC 6750 §3), with the status.
    Challenge {
        /// The HTTP status (401 or 403 usually).
        status: u16,
        /// The challenges, parsed.
        challenges: Challenges,
    },
    /// A status other than 200 without a readable challenge.
    UnexpectedStatus(u16),
    /// The `Content-Type` is not the one expected (`application/json`, or
    /// `application/jwt` when a signed response is expected).
    UnexpectedContentType,
    /// The JSON body was refused (syntax, duplicate member, not an object).
    Document(DocumentError),
    /// The signed response failed a JWT check (signature with the issuer's keys,
    /// `iss`, `aud`; OIDC Core §5.3.2).
    Jwt(JoseError),
    /// `sub` is missing or not a string (OIDC Core §5.3.2: always returned).
    SubMissing,
    /// `sub` differs from the ID token's (OIDC Core §5.3.4: the response MUST NOT be used).
    SubMismatch,
}

impl fmt::Display for UserInfoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoEndpoint => {
                f.write_str("metadata has no userinfo_endpoint (OIDC Discovery §3)")
            }
            Self::Http(e) => write!(f, "userinfo request: {e}"),
            Self::Challenge { status, .. } => {
                write!(
                    f,
                    "userinfo refused the access token with status {status} (OIDC Core §5.3.3)"
                )
            }
            Self::UnexpectedStatus(s) => {
                write!(f, "userinfo answered with status {s} (OIDC Core §5.3.2)")
            }
            Self::UnexpectedContentType => {
                f.write_str("userinfo content-type is not the one expected (OIDC Core §5.3.2)")
            }
            Self::Document(e) => write!(f, "userinfo body: {e}"),
            Self::Jwt(e) => write!(f, "signed userinfo: {e}"),
            Self::SubMissing => f.write_str("userinfo response has no sub (OIDC Core §5.3.2)"),
            Self::SubMismatch => {
                f.write_str("userinfo sub differs from the id token's (OIDC Core §5.3.4)")
            }
        }
    }
}

impl core::error::Error for UserInfoError {}

fn endpoint(meta: &AuthorizationServerMetadata) -> Result<&str, UserInfoError> {
    meta.userinfo_endpoint
        .as_deref()
        .ok_or(UserInfoError::NoEndpoint)
}

/// A UserInfo request presenting a Bearer access token in the `Authorization`
/// header (OIDC Core §5.3.1, RFC 6750 §2.1; never in the query).
///
/// # Errors
/// [`UserInfoError::NoEndpoint`]; [`UserInfoError::Http`] for a token with control
/// characters.
pub fn userinfo_request(
    meta: &AuthorizationServerMetadata,
    access_token: &str,
) -> Result<HttpRequest, UserInfoError> {
    let mut value = String::from("Bearer ");
    value.push_str(access_token);
    HttpRequest::get(endpoint(meta)?)
        .with_header("Accept", "application/json, application/jwt")
        .and_then(|r| r.with_header("Authorization", value))
        .map_err(UserInfoError::Http)
}

/// A UserInfo request with a DPoP-bound access token (RFC 9449 §7.1): the exchange
/// signs a proof with `ath` and sets `Authorization: DPoP`, and retries once on
/// `use_dpop_nonce`.
///
/// # Errors
/// [`UserInfoError::NoEndpoint`].
pub fn userinfo_dpop_exchange(
    meta: &AuthorizationServerMetadata,
    access_token: &str,
) -> Result<DpopExchange, UserInfoError> {
    let req = HttpRequest::get(endpoint(meta)?)
        .with_header("Accept", "application/json, application/jwt")
        .map_err(UserInfoError::Http)?;
    Ok(DpopExchange::new(req, Some(access_token)))
}

/// How the UserInfo response must come.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub enum UserInfoFormat<'e, K: KeyResolver + ?Sized> {
    /// Plain `application/json` (the default when the client registered no
    /// `userinfo_signed_response_alg`). A signed response is refused: it could not
    /// be verified.
    Json,
    /// A JWT signed by the issuer (`application/jwt`, the client registered
    /// `userinfo_signed_response_alg`): verified with `keys`, `iss` must equal
    /// `issuer` and `aud` contain `client_id` (§5.3.2 says SHOULD; we require them).
    Signed {
        /// The OpenID Provider's issuer identifier.
        issuer: &'e str,
        /// Our client id.
        client_id: &'e str,
        /// The issuer's keys (its JWKS).
        keys: &'e K,
        /// Algorithms allowed on top of the key pin (the registered one), or `None`.
        algorithms: Option<&'e [Algorithm]>,
    },
}

/// Claims from the UserInfo endpoint whose `sub` matched the ID token's. Only this
/// module constructs it.
#[derive(Clone, PartialEq)]
pub struct UserInfo {
    sub: String,
    claims: Map<String, Value>,
}

impl fmt::Debug for UserInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserInfo")
            .field("sub", &self.sub)
            .field("claims", &self.claims.len())
            .finish()
    }
}

impl UserInfo {
    /// `sub`, equal to the ID token's.
    #[must_use]
    pub fn sub(&self) -> &str {
        &self.sub
    }

    /// Every claim returned (OIDC Core §5.1 standard claims and others).
    #[must_use]
    pub fn claims(&self) -> &Map<String, Value> {
        &self.claims
    }

    /// A string claim, `None` when absent or not a string.
    #[must_use]
    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }
}

/// Processes a UserInfo response (OIDC Core §5.3.2-§5.3.4): status 200, the expected
/// content type, the JSON object (or the verified JWT's claims), and `sub` equal to the
/// ID token's.
///
/// # Errors
/// [`UserInfoError`] naming the first rule broken; a 401/403 with challenges is
/// [`UserInfoError::Challenge`].
pub fn process_userinfo_response<K: KeyResolver + ?Sized>(
    resp: &HttpResponse,
    id_token: &VerifiedIdToken,
    format: &UserInfoFormat<'_, K>,
    now: UnixTime,
) -> Result<UserInfo, UserInfoError> {
    if resp.status != 200 {
        return match www_authenticate::parse_response(resp) {
            Ok(challenges) if !challenges.is_empty() => Err(UserInfoError::Challenge {
                status: resp.status,
                challenges,
            }),
            _ => Err(UserInfoError::UnexpectedStatus(resp.status)),
        };
    }
    let claims: Map<String, Value> = match format {
        UserInfoFormat::Json => {
            if !resp.content_type_is_json() {
                return Err(UserInfoError::UnexpectedContentType);
            }
            from_slice_strict(&resp.body).map_err(UserInfoError::Document)?
        }
        UserInfoFormat::Signed {
            issuer,
            client_id,
            keys,
            algorithms,
        } => {
            if !content_type_is_jwt(resp) {
                return Err(UserInfoError::UnexpectedContentType);
            }
            let token = core::str::from_utf8(&resp.body)
                .map_err(|_| UserInfoError::Jwt(JoseError::Malformed))?
                .trim_end_matches(['\r', '\n']);
            // OIDC Core §5.3.2: a signed response has no exp requirement; iss and aud
            // are checked like an ID token's.
            let mut v = Validation::new(issuer, client_id)
                .exp_optional()
                .max_token_len(MAX_USERINFO_JWT_LEN);
            if let Some(a) = algorithms {
                v = v.algorithms(a);
            }
            let mut scratch = alloc::vec![0u8; token.len()];
            let jwt = v
                .verify(token, *keys, now, &mut scratch)
                .map_err(UserInfoError::Jwt)?;
            jwt.claims()
                .deserialize()
                .map_err(|_| UserInfoError::Jwt(JoseError::Malformed))?
        }
    };
    let sub = match claims.get("sub") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err(UserInfoError::SubMissing),
    };
    // OIDC Core §5.3.4: exact match, else the response MUST NOT be used.
    if sub != id_token.sub() {
        return Err(UserInfoError::SubMismatch);
    }
    Ok(UserInfo { sub, claims })
}

fn content_type_is_jwt(resp: &HttpResponse) -> bool {
    matches!(resp.headers.get_single("content-type"), Ok(Some(ct))
        if ct.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case(APPLICATION_JWT)))
}
