//! The device authorization grant (RFC 8628): the device authorization request and response
//! (§3.1, §3.2), and the token polling state machine (§3.4, §3.5) driven by the caller's clock.

use alloc::string::String;
use core::fmt;

use serde_json::{Map, Value};

use super::common::{Secret, check_json_response, endpoint};
use super::grants::{GRANT_TYPE_DEVICE_CODE, token_post};
use super::token::{TokenResponse, TokenResponseOptions, process_token_response};
use super::{ClientAuth, ClientError};
use crate::encoding::document::from_slice_strict;
use crate::error::ErrorCode;
use crate::http::{HttpRequest, HttpResponse};
use crate::metadata::AuthorizationServerMetadata;
use crate::metadata::well_known;
use crate::rand::SecureRandom;
use crate::time::{Duration, UnixTime};

/// RFC 8628 §3.2: the polling interval when the server sends none.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
/// RFC 8628 §3.5: `slow_down` increases the interval by 5 seconds.
pub const SLOW_DOWN_INCREMENT: Duration = Duration::from_secs(5);

/// The device authorization request (RFC 8628 §3.1), with the client's authentication, `scope`
/// and RFC 8707 `resource` indicators.
///
/// # Errors
/// [`ClientError::MissingEndpoint`] without `device_authorization_endpoint`;
/// [`ClientError::InvalidUrl`] for a resource that is not an absolute `https` (or loopback
/// `http`) URI without fragment (RFC 8707 §2); client authentication errors.
pub fn device_authorization_request(
    meta: &AuthorizationServerMetadata,
    auth: &ClientAuth,
    scope: Option<&str>,
    resources: &[&str],
    now: UnixTime,
    rng: &mut impl SecureRandom,
) -> Result<HttpRequest, ClientError> {
    let url = endpoint(
        meta.device_authorization_endpoint.as_ref(),
        "device_authorization_endpoint",
    )?;
    let mut params = alloc::vec::Vec::new();
    if let Some(s) = scope {
        params.push(("scope", String::from(s)));
    }
    super::grants::push_resources(&mut params, resources)?;
    auth.post(url, params, &meta.issuer, now, rng)
}

/// A device authorization response that passed [`process_device_authorization_response`].
///
/// `Debug` redacts the device code.
#[derive(Clone)]
pub struct DeviceAuthorization {
    device_code: Secret,
    user_code: String,
    verification_uri: String,
    verification_uri_complete: Option<String>,
    expires_in: u64,
    interval: Duration,
}

impl fmt::Debug for DeviceAuthorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceAuthorization")
            .field("user_code", &self.user_code)
            .field("verification_uri", &self.verification_uri)
            .field("expires_in", &self.expires_in)
            .field("interval", &self.interval)
            .finish_non_exhaustive()
    }
}

impl DeviceAuthorization {
    /// The code the user enters at the verification URI.
    #[must_use]
    pub fn user_code(&self) -> &str {
        &self.user_code
    }

    /// Where the user goes (show it, or a QR code of it).
    #[must_use]
    pub fn verification_uri(&self) -> &str {
        &self.verification_uri
    }

    /// The verification URI with the user code in it, when the server sent one.
    #[must_use]
    pub fn verification_uri_complete(&self) -> Option<&str> {
        self.verification_uri_complete.as_deref()
    }

    /// Lifetime of the device code in seconds.
    #[must_use]
    pub fn expires_in(&self) -> u64 {
        self.expires_in
    }

    /// The minimum polling interval (RFC 8628 §3.2; 5 s when not sent).
    #[must_use]
    pub fn interval(&self) -> Duration {
        self.interval
    }
}

fn required_string(
    obj: &mut Map<String, Value>,
    name: &str,
    rule: &'static str,
) -> Result<String, ClientError> {
    match obj.remove(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        _ => Err(ClientError::InvalidResponse(rule)),
    }
}

/// Checks a device authorization response (RFC 8628 §3.2): status 200 (else the §3.3 error as
/// [`ClientError::ErrorResponse`]), JSON, `device_code`, `user_code` and `verification_uri`
/// non-empty strings, the URIs https (or loopback http), `expires_in` a positive integer and
/// `interval` a non-negative integer when present.
///
/// # Errors
/// The [`ClientError`] of the first failed check.
pub fn process_device_authorization_response(
    resp: &HttpResponse,
) -> Result<DeviceAuthorization, ClientError> {
    check_json_response(resp, 200)?;
    let mut obj: Map<String, Value> = from_slice_strict(&resp.body)?;
    let device_code = required_string(
        &mut obj,
        "device_code",
        "device_code: missing or empty (RFC 8628 §3.2)",
    )?;
    let user_code = required_string(
        &mut obj,
        "user_code",
        "user_code: missing or empty (RFC 8628 §3.2)",
    )?;
    let verification_uri = required_string(
        &mut obj,
        "verification_uri",
        "verification_uri: missing or empty (RFC 8628 §3.2)",
    )?;
    well_known::check_endpoint_url(&verification_uri)?;
    let verification_uri_complete = match obj.remove("verification_uri_complete") {
        None => None,
        Some(Value::String(s)) => {
            well_known::check_endpoint_url(&s)?;
            Some(s)
        }
        Some(_) => {
            return Err(ClientError::InvalidResponse(
                "verification_uri_complete: not a string (RFC 8628 §3.2)",
            ));
        }
    };
    let expires_in = obj
        .get("expires_in")
        .and_then(Value::as_u64)
        .filter(|n| *n > 0)
        .ok_or(ClientError::InvalidResponse(
            "expires_in: missing or not a positive integer (RFC 8628 §3.2)",
        ))?;
    let interval = match obj.get("interval") {
        None => DEFAULT_INTERVAL,
        Some(v) => Duration::from_secs(v.as_u64().ok_or(ClientError::InvalidResponse(
            "interval: not a non-negative integer (RFC 8628 §3.2)",
        ))?),
    };
    Ok(DeviceAuthorization {
        device_code: Secret::new(device_code),
        user_code,
        verification_uri,
        verification_uri_complete,
        expires_in,
        interval,
    })
}

/// What the device flow wants next ([`DeviceFlow::poll`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DevicePoll {
    /// Do not poll before this time (RFC 8628 §3.5: "MUST wait at least `interval`").
    WaitUntil(UnixTime),
    /// Build and send the token request now ([`DeviceFlow::token_request`]).
    SendRequest,
}

/// The token polling state machine of RFC 8628 §3.4–§3.5. Nothing reads a clock: every step
/// takes `now`.
///
/// ```text
/// loop { match flow.poll(now)? {
///     DevicePoll::WaitUntil(t) => sleep until t,
///     DevicePoll::SendRequest => { send flow.token_request(..)?;
///         if let Some(tokens) = flow.handle_response(&resp, now, opts)? { break tokens } } } }
/// ```
#[derive(Debug)]
pub struct DeviceFlow {
    device_code: Secret,
    interval: Duration,
    expires_at: UnixTime,
    next_poll: UnixTime,
    finished: bool,
}

impl DeviceFlow {
    /// Starts polling for `authorization`, received at `received_at`: the first request may go
    /// one interval later; the code expires `expires_in` seconds after `received_at`.
    #[must_use]
    pub fn new(authorization: &DeviceAuthorization, received_at: UnixTime) -> Self {
        Self {
            device_code: authorization.device_code.clone(),
            interval: authorization.interval,
            expires_at: received_at.saturating_add(Duration::from_secs(authorization.expires_in)),
            next_poll: received_at.saturating_add(authorization.interval),
            finished: false,
        }
    }

    /// The current polling interval (grown by `slow_down`).
    #[must_use]
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// When the device code expires.
    #[must_use]
    pub fn expires_at(&self) -> UnixTime {
        self.expires_at
    }

    /// What to do at `now`.
    ///
    /// # Errors
    /// [`ClientError::DeviceCodeExpired`] once `now` reaches the code's expiry (RFC 8628 §3.5:
    /// stop polling; start over with a new device authorization request);
    /// [`ClientError::DeviceFlowFinished`] after tokens or a final error were handled.
    pub fn poll(&self, now: UnixTime) -> Result<DevicePoll, ClientError> {
        if self.finished {
            return Err(ClientError::DeviceFlowFinished);
        }
        if now >= self.expires_at {
            return Err(ClientError::DeviceCodeExpired);
        }
        if now < self.next_poll {
            return Ok(DevicePoll::WaitUntil(self.next_poll));
        }
        Ok(DevicePoll::SendRequest)
    }

    /// The device access token request (RFC 8628 §3.4). The next poll is scheduled one interval
    /// after `now`.
    ///
    /// # Errors
    /// As [`DeviceFlow::poll`], and [`ClientError::InvalidRequest`] when called before the
    /// interval has passed (RFC 8628 §3.5); request building errors.
    pub fn token_request(
        &mut self,
        meta: &AuthorizationServerMetadata,
        auth: &ClientAuth,
        now: UnixTime,
        rng: &mut impl SecureRandom,
    ) -> Result<HttpRequest, ClientError> {
        if self.poll(now)? != DevicePoll::SendRequest {
            return Err(ClientError::InvalidRequest(
                "polling faster than the interval (RFC 8628 §3.5)",
            ));
        }
        let params = alloc::vec![
            ("grant_type", String::from(GRANT_TYPE_DEVICE_CODE)),
            ("device_code", String::from(self.device_code.expose())),
        ];
        let req = token_post(meta, auth, params, now, rng)?;
        self.next_poll = now.saturating_add(self.interval);
        Ok(req)
    }

    /// Handles the token endpoint's answer received at `now`: `Some(tokens)` when authorized,
    /// `None` to keep polling (`authorization_pending`; `slow_down` also adds 5 seconds to the
    /// interval, RFC 8628 §3.5).
    ///
    /// # Errors
    /// [`ClientError::DeviceCodeExpired`] for `expired_token`; [`ClientError::ErrorResponse`] for
    /// `access_denied` and any other error; the checks of [`process_token_response`]. Each ends
    /// the flow.
    pub fn handle_response(
        &mut self,
        resp: &HttpResponse,
        now: UnixTime,
        options: TokenResponseOptions,
    ) -> Result<Option<TokenResponse>, ClientError> {
        if self.finished {
            return Err(ClientError::DeviceFlowFinished);
        }
        match process_token_response(resp, options) {
            Ok(tokens) => {
                self.finished = true;
                Ok(Some(tokens))
            }
            Err(e) => {
                match e.error_response().and_then(|r| r.code()) {
                    Some(ErrorCode::AuthorizationPending) => {
                        self.next_poll = now.saturating_add(self.interval);
                        return Ok(None);
                    }
                    Some(ErrorCode::SlowDown) => {
                        // RFC 8628 §3.5: "the interval MUST be increased by 5 seconds for this and
                        // all subsequent requests".
                        self.interval = Duration::from_secs(
                            self.interval
                                .as_secs()
                                .saturating_add(SLOW_DOWN_INCREMENT.as_secs()),
                        );
                        self.next_poll = now.saturating_add(self.interval);
                        return Ok(None);
                    }
                    Some(ErrorCode::ExpiredToken) => {
                        self.finished = true;
                        return Err(ClientError::DeviceCodeExpired);
                    }
                    _ => {}
                }
                self.finished = true;
                Err(e)
            }
        }
    }
}
