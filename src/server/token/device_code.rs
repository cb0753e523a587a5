//! The device authorization grant (RFC 8628): the device authorization endpoint
//! (§3.1, §3.2), user codes (§6.1) and their verification helper (§3.3), and
//! token polling (§3.4, §3.5).
//!
//! ```text
//! device ── POST /device_authorization ──▶ start_device_authorization → (response, record)
//! user   ── enters user code ───────────▶ normalize_user_code → store lookup → record.approve(..)
//! device ── POST /token (device_code) ──▶ poll_device_code(record) → Grant | pending | slow_down
//! ```

use alloc::string::{String, ToString as _};
use alloc::vec::Vec;
use core::fmt;

use serde::Serialize;

use super::{
    DpopKey, GrantFailure, GrantParams, TokenClient, TokenError, TokenRequest, dpop_binding,
    grant_type, parse_scope,
};
use crate::encoding::form::{self, FormParams};
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::rand::SecureRandom;
use crate::server::issue::{
    Grant, GrantKind, HANDLE_BYTES, HandleHash, RefreshPlan, TokenPolicy, no_store, random_handle,
};
use crate::time::{Duration, UnixTime};

/// RFC 8628 §6.1: the base-20 user-code alphabet (consonants without vowels,
/// so no words form; upper case only).
pub const USER_CODE_ALPHABET: &[u8; 20] = b"BCDFGHJKLMNPQRSTVWXZ";

/// User-code length in characters (8: 20^8, about 34.5 bits, RFC 8628 §6.1).
pub const USER_CODE_LEN: usize = 8;

/// RFC 8628 §3.5: the increase of the polling interval on `slow_down`.
pub const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);

/// The server's device-flow settings.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct DevicePolicy {
    /// The end-user verification URI (RFC 8628 §3.2 `verification_uri`).
    pub verification_uri: String,
    /// Device code lifetime (default 10 minutes).
    pub expires_in: Duration,
    /// Minimum polling interval (default 5 s, RFC 8628 §3.2).
    pub interval: Duration,
}

impl DevicePolicy {
    /// A policy with the defaults for `verification_uri`.
    #[must_use]
    pub fn new(verification_uri: impl Into<String>) -> Self {
        Self {
            verification_uri: verification_uri.into(),
            expires_in: Duration::from_secs(600),
            interval: Duration::from_secs(5),
        }
    }
}

/// A parsed device authorization request (RFC 8628 §3.1).
#[derive(Clone)]
pub struct DeviceAuthorizationRequest {
    scope: Vec<String>,
    resources: Vec<String>,
    form: FormParams,
}

impl fmt::Debug for DeviceAuthorizationRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceAuthorizationRequest")
            .field("scope", &self.scope)
            .field("resources", &self.resources)
            .finish_non_exhaustive()
    }
}

impl DeviceAuthorizationRequest {
    /// The requested scope (empty if none).
    #[must_use]
    pub fn scope(&self) -> &[String] {
        &self.scope
    }
    /// The requested resources (RFC 8707).
    #[must_use]
    pub fn resources(&self) -> &[String] {
        &self.resources
    }
    /// The form, for client authentication.
    #[must_use]
    pub fn form(&self) -> &FormParams {
        &self.form
    }
}

/// Reads a device authorization request (RFC 8628 §3.1): POST, form-encoded,
/// no repeated parameter except `resource`, valid `scope` and `resource`s.
///
/// # Errors
/// [`TokenError`] (`invalid_request`, `invalid_scope`, `invalid_target`).
pub fn parse_device_authorization_request(
    req: &HttpRequest,
) -> Result<DeviceAuthorizationRequest, TokenError> {
    if req.method != Method::Post {
        return Err(TokenError::MethodNotAllowed);
    }
    if !req.content_type_is_form() {
        return Err(TokenError::UnsupportedContentType);
    }
    if req.body.len() > super::MAX_TOKEN_REQUEST_LEN {
        return Err(TokenError::TooLarge);
    }
    let form = form::parse_form(&req.body)?;
    form.ensure_no_duplicates(&["resource"])?;
    let scope = match form.get_non_empty("scope")? {
        Some(s) => parse_scope(s)?,
        None => Vec::new(),
    };
    let mut resources: Vec<String> = Vec::new();
    for r in form.get_all("resource").filter(|r| !r.is_empty()) {
        super::check_resource(r)?;
        if !resources.iter().any(|x| x == r) {
            resources.push(r.to_string());
        }
    }
    Ok(DeviceAuthorizationRequest {
        scope,
        resources,
        form,
    })
}

/// The device authorization response (RFC 8628 §3.2).
#[derive(Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DeviceAuthorizationResponse {
    /// The device verification code.
    pub device_code: String,
    /// The end-user verification code, formatted `XXXX-XXXX`.
    pub user_code: String,
    /// The end-user verification URI.
    pub verification_uri: String,
    /// The verification URI with the user code (`?user_code=`).
    pub verification_uri_complete: String,
    /// Lifetime of the codes in seconds.
    pub expires_in: u64,
    /// Minimum polling interval in seconds.
    pub interval: u64,
}

impl fmt::Debug for DeviceAuthorizationResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceAuthorizationResponse")
            .field("user_code", &self.user_code)
            .field("verification_uri", &self.verification_uri)
            .field("expires_in", &self.expires_in)
            .field("interval", &self.interval)
            .finish_non_exhaustive()
    }
}

impl DeviceAuthorizationResponse {
    /// The HTTP response: 200 JSON with `Cache-Control: no-store` (RFC 8628 §3.2).
    #[must_use]
    pub fn to_http_response(&self) -> HttpResponse {
        no_store(HttpResponse::json(
            200,
            serde_json::to_vec(self).unwrap_or_default(),
        ))
    }
}

/// Where a device authorization stands.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeviceStatus {
    /// Waiting for the user.
    Pending,
    /// The user approved; the next poll gets tokens.
    Approved {
        /// The end-user.
        subject: String,
        /// The scope the user granted (within the requested scope).
        scope: Vec<String>,
        /// When the user authenticated.
        auth_time: Option<UnixTime>,
    },
    /// The user denied.
    Denied,
    /// Tokens were issued; the device code is spent.
    Redeemed,
}

/// A device authorization as the caller stores it, found by the device code's
/// hash (polling) or by the normalized user code (user interaction).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeviceCodeRecord {
    /// SHA-256 of the device code.
    pub device_code_hash: HandleHash,
    /// The user code, normalized (8 alphabet characters, no dash).
    pub user_code: String,
    /// The client that started the flow.
    pub client_id: String,
    /// The requested scope.
    pub scope: Vec<String>,
    /// The requested resources.
    pub resources: Vec<String>,
    /// When the codes expire.
    pub expires_at: UnixTime,
    /// The current minimum polling interval (grows on `slow_down`).
    pub interval: Duration,
    /// The time of the last poll (RFC 8628 §3.5 rate limiting).
    pub last_poll: Option<UnixTime>,
    /// The user's decision so far.
    pub status: DeviceStatus,
}

impl DeviceCodeRecord {
    /// Records the user's approval with the scope they granted (narrowed to the
    /// requested scope).
    pub fn approve(
        &mut self,
        subject: impl Into<String>,
        scope: &[String],
        auth_time: Option<UnixTime>,
    ) {
        let scope = scope
            .iter()
            .filter(|s| self.scope.contains(s))
            .cloned()
            .collect();
        self.status = DeviceStatus::Approved {
            subject: subject.into(),
            scope,
            auth_time,
        };
    }

    /// Records the user's denial.
    pub fn deny(&mut self) {
        self.status = DeviceStatus::Denied;
    }

    /// Whether the codes have expired at `now`.
    #[must_use]
    pub fn is_expired(&self, now: UnixTime) -> bool {
        now >= self.expires_at
    }
}

/// Draws a user code: [`USER_CODE_LEN`] characters of [`USER_CODE_ALPHABET`],
/// uniformly (rejection sampling), returned normalized (no dash).
fn generate_user_code(rng: &mut impl SecureRandom) -> Result<String, TokenError> {
    let mut out = String::with_capacity(USER_CODE_LEN);
    let mut buf = [0u8; 32];
    for _ in 0..16 {
        rng.fill(&mut buf)
            .map_err(|_| TokenError::Issue(crate::server::issue::IssueError::Random))?;
        // 240 = 12 * 20: bytes below it map uniformly onto the alphabet.
        for b in buf.iter().filter(|&&b| b < 240) {
            if out.len() == USER_CODE_LEN {
                return Ok(out);
            }
            if let Some(&c) = USER_CODE_ALPHABET.get(usize::from(b % 20)) {
                out.push(char::from(c));
            }
        }
        if out.len() == USER_CODE_LEN {
            return Ok(out);
        }
    }
    Err(TokenError::Issue(crate::server::issue::IssueError::Random))
}

/// `BDWPHQPK` → `BDWP-HQPK` (RFC 8628 §6.1: a dash helps reading).
#[must_use]
pub fn format_user_code(normalized: &str) -> String {
    let mut s = String::with_capacity(normalized.len() + 1);
    for (i, c) in normalized.chars().enumerate() {
        if i == USER_CODE_LEN / 2 {
            s.push('-');
        }
        s.push(c);
    }
    s
}

/// Normalizes what a user typed (RFC 8628 §6.1: case-insensitive, ignoring
/// dashes and spaces) to the stored form, or `None` if it cannot be a user code
/// (wrong length or a character outside the alphabet). Look the record up by
/// the result.
#[must_use]
pub fn normalize_user_code(input: &str) -> Option<String> {
    let mut out = String::with_capacity(USER_CODE_LEN);
    for c in input.chars() {
        if c == '-' || c == ' ' {
            continue;
        }
        let u = c.to_ascii_uppercase();
        if !u.is_ascii() || !USER_CODE_ALPHABET.contains(&(u as u8)) || out.len() == USER_CODE_LEN {
            return None;
        }
        out.push(u);
    }
    (out.len() == USER_CODE_LEN).then_some(out)
}

/// Starts a device authorization (RFC 8628 §3.2): checks the client may use the
/// grant and the scope and resources are allowed, draws a device code (256
/// bits) and a user code, and returns the response and the record to persist
/// (under [`DeviceCodeRecord::device_code_hash`] and
/// [`DeviceCodeRecord::user_code`]; the caller retries on a user-code collision).
///
/// # Errors
/// [`TokenError`]: `unauthorized_client`, `invalid_scope`, `invalid_target`,
/// `server_error` when the random source fails.
pub fn start_device_authorization(
    policy: &DevicePolicy,
    client: &TokenClient<'_>,
    req: &DeviceAuthorizationRequest,
    now: UnixTime,
    rng: &mut impl SecureRandom,
) -> Result<(DeviceAuthorizationResponse, DeviceCodeRecord), TokenError> {
    client.require_grant_type(grant_type::DEVICE_CODE)?;
    client.check_scope(&req.scope)?;
    client.check_resources(&req.resources)?;
    let device_code = random_handle(rng, HANDLE_BYTES)
        .map_err(|_| TokenError::Issue(crate::server::issue::IssueError::Random))?;
    let user_code = generate_user_code(rng)?;
    let display = format_user_code(&user_code);
    let complete = form::append_query(&policy.verification_uri, &[("user_code", &display)])
        .map_err(|_| TokenError::InvalidParameter("verification_uri"))?;
    let record = DeviceCodeRecord {
        device_code_hash: HandleHash::of(&device_code),
        user_code,
        client_id: client.client_id().to_string(),
        scope: req.scope.clone(),
        resources: req.resources.clone(),
        expires_at: now.saturating_add(policy.expires_in),
        interval: policy.interval,
        last_poll: None,
        status: DeviceStatus::Pending,
    };
    let response = DeviceAuthorizationResponse {
        device_code,
        user_code: display,
        verification_uri: policy.verification_uri.clone(),
        verification_uri_complete: complete,
        expires_in: policy.expires_in.as_secs(),
        interval: policy.interval.as_secs(),
    };
    Ok((response, record))
}

/// The outcome of one poll: the decision and the record to write back.
#[derive(Debug)]
#[non_exhaustive]
pub struct DevicePoll {
    /// Tokens may be issued for this grant, or the error to render.
    pub result: Result<Grant, TokenError>,
    /// The record to persist (last poll time, interval, redeemed status), or
    /// `None` when there is nothing to write.
    pub update: Option<DeviceCodeRecord>,
}

/// Decides a device code token request (RFC 8628 §3.4, §3.5) with the record
/// the caller found under [`TokenRequest::device_code_hash`].
///
/// Order: unknown code → `invalid_grant`; another client → `invalid_grant`;
/// expired → `expired_token`; polled before `last_poll + interval` →
/// `slow_down`, and the interval grows by 5 s for this and later polls; the
/// user's status: pending → `authorization_pending`, denied →
/// `access_denied`, already redeemed → `invalid_grant`, approved → the grant,
/// and the record becomes redeemed. Every poll updates `last_poll`.
#[must_use]
pub fn poll_device_code(
    policy: &TokenPolicy,
    client: &TokenClient<'_>,
    record: Option<DeviceCodeRecord>,
    req: &TokenRequest,
    dpop: Option<&DpopKey>,
    now: UnixTime,
) -> DevicePoll {
    let fail = |e: TokenError, update| DevicePoll {
        result: Err(e),
        update,
    };
    if !matches!(req.grant(), GrantParams::DeviceCode { .. }) {
        return fail(TokenError::UnsupportedGrantType, None);
    }
    if let Err(e) = client.require_grant_type(grant_type::DEVICE_CODE) {
        return fail(e, None);
    }
    let Some(mut record) = record else {
        return fail(GrantFailure::Unknown.into(), None);
    };
    if record.client_id != client.client_id() {
        return fail(GrantFailure::ClientMismatch.into(), None);
    }
    if record.is_expired(now) {
        return fail(TokenError::ExpiredToken, None);
    }
    let too_fast = record
        .last_poll
        .is_some_and(|last| now < last.saturating_add(record.interval));
    record.last_poll = Some(now);
    if too_fast {
        // RFC 8628 §3.5: "the interval MUST be increased by 5 seconds for this
        // and all subsequent requests".
        record.interval = Duration::from_secs(record.interval.as_secs() + SLOW_DOWN_STEP.as_secs());
        return fail(TokenError::SlowDown, Some(record));
    }
    let (subject, scope, auth_time) = match &record.status {
        DeviceStatus::Pending => return fail(TokenError::AuthorizationPending, Some(record)),
        DeviceStatus::Denied => return fail(TokenError::AccessDenied, Some(record)),
        DeviceStatus::Redeemed => return fail(GrantFailure::Unknown.into(), Some(record)),
        DeviceStatus::Approved {
            subject,
            scope,
            auth_time,
        } => (subject.clone(), scope.clone(), *auth_time),
    };
    if let Err(e) = client.require_dpop_if_registered(dpop) {
        return fail(e, Some(record));
    }
    let dpop_jkt = match dpop_binding(None, dpop) {
        Ok(j) => j,
        Err(e) => return fail(e, Some(record)),
    };
    let refresh = if policy.refresh_for_device && client.may_refresh() {
        RefreshPlan::NewFamily
    } else {
        RefreshPlan::None
    };
    let grant = Grant {
        kind: GrantKind::DeviceCode,
        client_id: client.client_id().to_string(),
        public_client: client.is_public(),
        subject: Some(subject),
        scope,
        resources: record.resources.clone(),
        family_id: Some(record.device_code_hash.to_base64url()),
        auth_time,
        acr: None,
        nonce: None,
        dpop_jkt,
        act: None,
        refresh,
        issued_token_type: None,
    };
    record.status = DeviceStatus::Redeemed;
    DevicePoll {
        result: Ok(grant),
        update: Some(record),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_code_normalization() {
        // RFC 8628 §6.1 example "WDJB-MJHT".
        assert_eq!(
            normalize_user_code("wdjb-mjht").as_deref(),
            Some("WDJBMJHT")
        );
        assert_eq!(
            normalize_user_code("WDJB MJHT").as_deref(),
            Some("WDJBMJHT")
        );
        assert_eq!(normalize_user_code("WDJB-MJH"), None);
        assert_eq!(normalize_user_code("WDJB-MJHTX"), None);
        // Vowels are not in the alphabet.
        assert_eq!(normalize_user_code("WDJA-MJHT"), None);
        assert_eq!(format_user_code("WDJBMJHT"), "WDJB-MJHT");
    }

    #[test]
    fn user_codes_use_the_alphabet() {
        let mut x = 7u8;
        let mut rng = |d: &mut [u8]| {
            for b in d.iter_mut() {
                x = x.wrapping_mul(31).wrapping_add(17);
                *b = x;
            }
            Ok(())
        };
        for _ in 0..50 {
            let c = generate_user_code(&mut rng).unwrap();
            assert_eq!(c.len(), USER_CODE_LEN);
            assert!(c.bytes().all(|b| USER_CODE_ALPHABET.contains(&b)));
            assert_eq!(normalize_user_code(&format_user_code(&c)), Some(c));
        }
    }
}
