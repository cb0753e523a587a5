//! Token endpoint responses (RFC 6749 §5.1, §5.2), with the RFC 8693 §2.2 token exchange and the
//! ID-JAG variants, and refresh token rotation (OAuth 2.1 §4.3.1).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde_json::{Map, Value};

use super::ClientError;
use super::common::{Secret, check_json_response, parse_scope};
use crate::encoding::document::from_slice_strict;
use crate::http::HttpResponse;
use crate::time::{Duration, UnixTime};

/// RFC 8693 §3: the token type URI of an access token.
pub const TOKEN_TYPE_ACCESS_TOKEN: &str = "urn:ietf:params:oauth:token-type:access_token";
/// RFC 8693 §3: the token type URI of a refresh token.
pub const TOKEN_TYPE_REFRESH_TOKEN: &str = "urn:ietf:params:oauth:token-type:refresh_token";
/// RFC 8693 §3: the token type URI of an OpenID Connect ID token.
pub const TOKEN_TYPE_ID_TOKEN: &str = "urn:ietf:params:oauth:token-type:id_token";
/// RFC 8693 §3: the token type URI of a JWT.
pub const TOKEN_TYPE_JWT: &str = "urn:ietf:params:oauth:token-type:jwt";
/// RFC 8693 §3: the token type URI of a SAML 2.0 assertion.
pub const TOKEN_TYPE_SAML2: &str = "urn:ietf:params:oauth:token-type:saml2";
/// The Identity Assertion JWT Authorization Grant's token type
/// (draft-ietf-oauth-identity-assertion-authz-grant; MCP Enterprise-Managed Authorization).
pub const TOKEN_TYPE_ID_JAG: &str = "urn:ietf:params:oauth:token-type:id-jag";

/// The `token_type` of an issued token (RFC 6749 §7.1), compared case-insensitively.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenType {
    /// `Bearer` (RFC 6750).
    Bearer,
    /// `DPoP` (RFC 9449 §5): the token is bound to the client's DPoP key.
    DPoP,
    /// `N_A` (RFC 8693 §2.2.1): the issued token is not an access token (only in token exchange
    /// responses).
    NotApplicable,
}

impl TokenType {
    /// The wire value (`Bearer`, `DPoP`, `N_A`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Bearer => "Bearer",
            Self::DPoP => "DPoP",
            Self::NotApplicable => "N_A",
        }
    }
}

/// Weakens a check of [`process_token_response`]; each is a named opt-out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenLeniency {
    /// Accept `expires_in` as a JSON string of decimal digits (`"3600"`), as some servers send.
    /// RFC 6749 §5.1 makes it a number; by default a string is refused.
    ExpiresInAsString,
}

/// What [`process_token_response`] expects besides the defaults.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TokenResponseOptions {
    dpop: bool,
    expires_in_as_string: bool,
}

impl TokenResponseOptions {
    /// The strict defaults: a Bearer token expected, `expires_in` a number.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            dpop: false,
            expires_in_as_string: false,
        }
    }

    /// The request carried a DPoP proof: `token_type` must be `DPoP` (RFC 9449 §5).
    #[must_use]
    pub const fn dpop(mut self) -> Self {
        self.dpop = true;
        self
    }

    /// Weakens one check (see [`TokenLeniency`]).
    #[must_use]
    pub const fn leniency(mut self, leniency: TokenLeniency) -> Self {
        match leniency {
            TokenLeniency::ExpiresInAsString => self.expires_in_as_string = true,
        }
        self
    }
}

/// A successful token response that passed every check of [`process_token_response`] (or its
/// refresh / token exchange variants); only those functions make one.
///
/// `Debug` shows the token type, lifetime, scope and member names, never a token.
#[derive(Clone)]
pub struct TokenResponse {
    access_token: Secret,
    token_type: TokenType,
    expires_in: Option<u64>,
    refresh_token: Option<Secret>,
    refresh_token_is_new: bool,
    scope: Option<Vec<String>>,
    id_token: Option<Secret>,
    issued_token_type: Option<String>,
    additional: Map<String, Value>,
}

impl fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| ".."))
            .field("scope", &self.scope)
            .field("id_token", &self.id_token.as_ref().map(|_| ".."))
            .field("issued_token_type", &self.issued_token_type)
            .field("additional", &self.additional.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl TokenResponse {
    /// The `access_token` (for token exchange: the issued token, whatever its type).
    #[must_use]
    pub fn access_token(&self) -> &Secret {
        &self.access_token
    }

    /// The `token_type`.
    #[must_use]
    pub fn token_type(&self) -> TokenType {
        self.token_type
    }

    /// `expires_in` in seconds, when sent.
    #[must_use]
    pub fn expires_in(&self) -> Option<u64> {
        self.expires_in
    }

    /// When the access token expires, given when the response was received.
    #[must_use]
    pub fn expires_at(&self, received_at: UnixTime) -> Option<UnixTime> {
        self.expires_in
            .map(|s| received_at.saturating_add(Duration::from_secs(s)))
    }

    /// The refresh token: the one issued, or after a refresh that returned none, the previous one
    /// (see [`process_refresh_token_response`]).
    #[must_use]
    pub fn refresh_token(&self) -> Option<&Secret> {
        self.refresh_token.as_ref()
    }

    /// `true` when the refresh token came in this response (a rotation after a refresh), `false`
    /// when the previous one was kept or there is none.
    #[must_use]
    pub fn refresh_token_is_new(&self) -> bool {
        self.refresh_token_is_new
    }

    /// The granted scope, split into tokens; `None` when the server omitted it (RFC 6749 §5.1:
    /// then the scope is the one requested).
    #[must_use]
    pub fn scope(&self) -> Option<&[String]> {
        self.scope.as_deref()
    }

    /// The raw, NOT YET VALIDATED `id_token` (OIDC Core §3.1.3.3). Validate it with the `oidc`
    /// module (signature, `iss`, `aud`, `nonce`, ...) before trusting any claim.
    #[must_use]
    pub fn id_token(&self) -> Option<&Secret> {
        self.id_token.as_ref()
    }

    /// RFC 8693 §2.2.1 `issued_token_type`, when sent.
    #[must_use]
    pub fn issued_token_type(&self) -> Option<&str> {
        self.issued_token_type.as_deref()
    }

    /// Members this type does not name, as parsed.
    ///
    /// # Security
    /// May hold credentials of extensions: do not log the values.
    #[must_use]
    pub fn additional(&self) -> &Map<String, Value> {
        &self.additional
    }
}

fn take_string(
    obj: &mut Map<String, Value>,
    name: &str,
    rule: &'static str,
) -> Result<Option<String>, ClientError> {
    match obj.remove(name) {
        None => Ok(None),
        Some(Value::String(s)) if !s.is_empty() => Ok(Some(s)),
        Some(_) => Err(ClientError::InvalidResponse(rule)),
    }
}

fn token_type_of(s: &str) -> Option<TokenType> {
    // RFC 6749 §5.1: "The value is case insensitive."
    [TokenType::Bearer, TokenType::DPoP, TokenType::NotApplicable]
        .into_iter()
        .find(|t| t.as_str().eq_ignore_ascii_case(s))
}

/// Which response variant is processed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Plain,
    /// RFC 8693 §2.2.1: `issued_token_type` required and equal; `N_A` allowed.
    Exchange,
}

pub(crate) fn process(
    resp: &HttpResponse,
    options: TokenResponseOptions,
    kind: Kind,
) -> Result<TokenResponse, ClientError> {
    // RFC 6749 §5.1 "200 (OK)"; §5.2 errors are 400/401 JSON bodies.
    check_json_response(resp, 200)?;
    let mut obj: Map<String, Value> = from_slice_strict(&resp.body)?;
    let access_token = take_string(
        &mut obj,
        "access_token",
        "access_token: missing, empty or not a string (RFC 6749 §5.1)",
    )?
    .ok_or(ClientError::InvalidResponse(
        "access_token: missing, empty or not a string (RFC 6749 §5.1)",
    ))?;
    let token_type = match obj.remove("token_type") {
        Some(Value::String(s)) => token_type_of(&s).ok_or(ClientError::UnsupportedTokenType)?,
        _ => return Err(ClientError::UnsupportedTokenType),
    };
    match token_type {
        TokenType::NotApplicable if kind != Kind::Exchange => {
            return Err(ClientError::UnsupportedTokenType);
        }
        // RFC 9449 §5: "the token_type ... MUST be DPoP" when the request carried a proof and the
        // server bound the token; a Bearer answer to a DPoP request is refused (downgrade).
        TokenType::Bearer if options.dpop => return Err(ClientError::DpopTokenTypeRequired),
        TokenType::DPoP if !options.dpop => {
            return Err(ClientError::InvalidResponse(
                "token_type DPoP but no DPoP proof was sent (RFC 9449 §5)",
            ));
        }
        _ => {}
    }
    let expires_in = match obj.remove("expires_in") {
        None => None,
        Some(Value::Number(n)) => Some(n.as_u64().ok_or(ClientError::InvalidResponse(
            "expires_in: not a non-negative integer (RFC 6749 §5.1)",
        ))?),
        Some(Value::String(s)) if options.expires_in_as_string => {
            let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            Some(
                s.parse::<u64>()
                    .ok()
                    .filter(|_| digits)
                    .ok_or(ClientError::InvalidResponse(
                        "expires_in: string of digits expected (TokenLeniency::ExpiresInAsString)",
                    ))?,
            )
        }
        Some(Value::String(_)) => {
            return Err(ClientError::InvalidResponse(
                "expires_in: a string, not a number (RFC 6749 §5.1; see TokenLeniency::ExpiresInAsString)",
            ));
        }
        Some(_) => {
            return Err(ClientError::InvalidResponse(
                "expires_in: not a number (RFC 6749 §5.1)",
            ));
        }
    };
    let scope = match obj.remove("scope") {
        None => None,
        Some(Value::String(s)) => Some(parse_scope(&s)?),
        Some(_) => {
            return Err(ClientError::InvalidResponse(
                "scope: not a string (RFC 6749 §5.1)",
            ));
        }
    };
    let refresh_token = take_string(
        &mut obj,
        "refresh_token",
        "refresh_token: empty or not a string (RFC 6749 §5.1)",
    )?;
    let id_token = take_string(
        &mut obj,
        "id_token",
        "id_token: empty or not a string (OIDC Core §3.1.3.3)",
    )?;
    let issued_token_type = take_string(
        &mut obj,
        "issued_token_type",
        "issued_token_type: empty or not a string (RFC 8693 §2.2.1)",
    )?;
    Ok(TokenResponse {
        access_token: Secret::new(access_token),
        token_type,
        expires_in,
        refresh_token_is_new: refresh_token.is_some(),
        refresh_token: refresh_token.map(Secret::new),
        scope,
        id_token: id_token.map(Secret::new),
        issued_token_type,
        additional: obj,
    })
}

/// Checks a token endpoint response for the authorization code, client credentials, JWT bearer
/// and device code grants.
///
/// Checks: status 200, else the RFC 6749 §5.2 error body as [`ClientError::ErrorResponse`]
/// (with the `DPoP-Nonce` header for a `use_dpop_nonce` retry, RFC 9449 §8); `Content-Type:
/// application/json`; strict JSON (no duplicate members); `access_token` a non-empty string;
/// `token_type` `Bearer` or `DPoP` (case-insensitive), `DPoP` when a proof was sent
/// ([`TokenResponseOptions::dpop`]); `expires_in` a non-negative integer (a string only with
/// [`TokenLeniency::ExpiresInAsString`]); `scope` a list of scope tokens; `refresh_token` and
/// `id_token` non-empty strings when present. `Cache-Control: no-store` is not required of the
/// response (it protects intermediaries, not the client).
///
/// The `id_token` is returned raw: validate it with the `oidc` module.
///
/// # Errors
/// The [`ClientError`] of the first failed check.
pub fn process_token_response(
    resp: &HttpResponse,
    options: TokenResponseOptions,
) -> Result<TokenResponse, ClientError> {
    process(resp, options, Kind::Plain)
}

/// As [`process_token_response`], for a `refresh_token` grant (OAuth 2.1 §4.3.1, RFC 9700
/// §4.14.2): a new refresh token in the response replaces `previous`; when none is returned the
/// previous one is kept ([`TokenResponse::refresh_token_is_new`] tells which).
///
/// # Errors
/// As [`process_token_response`].
pub fn process_refresh_token_response(
    resp: &HttpResponse,
    previous: &Secret,
    options: TokenResponseOptions,
) -> Result<TokenResponse, ClientError> {
    let mut tokens = process(resp, options, Kind::Plain)?;
    if tokens.refresh_token.is_none() {
        tokens.refresh_token = Some(previous.clone());
    }
    Ok(tokens)
}

/// As [`process_token_response`], for a token exchange (RFC 8693 §2.2.1): `issued_token_type` is
/// required and must equal `requested_token_type` (the one sent, or
/// [`TOKEN_TYPE_ACCESS_TOKEN`] when none was), and `token_type` may be `N_A` when the issued token
/// is not an access token.
///
/// # Errors
/// As [`process_token_response`], and [`ClientError::IssuedTokenTypeMismatch`].
pub fn process_token_exchange_response(
    resp: &HttpResponse,
    requested_token_type: &str,
    options: TokenResponseOptions,
) -> Result<TokenResponse, ClientError> {
    let tokens = process(resp, options, Kind::Exchange)?;
    if tokens.issued_token_type.as_deref() != Some(requested_token_type) {
        return Err(ClientError::IssuedTokenTypeMismatch);
    }
    Ok(tokens)
}

/// An Identity Assertion JWT Authorization Grant from the IdP, to present with
/// [`super::jwt_bearer_request`] at the resource's authorization server.
///
/// `Debug` redacts the assertion.
#[derive(Clone)]
pub struct IdJag {
    assertion: Secret,
    expires_in: Option<u64>,
    scope: Option<Vec<String>>,
}

impl fmt::Debug for IdJag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdJag")
            .field("expires_in", &self.expires_in)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl IdJag {
    /// The ID-JAG (a JWT, `typ: oauth-id-jag+jwt`), as the `assertion` of the JWT bearer grant.
    #[must_use]
    pub fn assertion(&self) -> &Secret {
        &self.assertion
    }

    /// Its lifetime in seconds, when sent.
    #[must_use]
    pub fn expires_in(&self) -> Option<u64> {
        self.expires_in
    }

    /// The scope granted, when sent.
    #[must_use]
    pub fn scope(&self) -> Option<&[String]> {
        self.scope.as_deref()
    }
}

/// Checks the IdP's answer to an ID-JAG token exchange ([`super::TokenExchange::id_jag`]):
/// a token exchange response whose `issued_token_type` is [`TOKEN_TYPE_ID_JAG`] and whose
/// `token_type` is `N_A` (the ID-JAG is not an access token).
///
/// # Errors
/// As [`process_token_exchange_response`], and [`ClientError::UnsupportedTokenType`] when the
/// `token_type` is not `N_A`.
pub fn process_id_jag_response(resp: &HttpResponse) -> Result<IdJag, ClientError> {
    let tokens =
        process_token_exchange_response(resp, TOKEN_TYPE_ID_JAG, TokenResponseOptions::new())?;
    // draft-ietf-oauth-identity-assertion-authz-grant §4.3: token_type "N_A".
    if tokens.token_type != TokenType::NotApplicable {
        return Err(ClientError::UnsupportedTokenType);
    }
    Ok(IdJag {
        assertion: tokens.access_token,
        expires_in: tokens.expires_in,
        scope: tokens.scope,
    })
}
