//! Pushed Authorization Requests (RFC 9126): the client POSTs its authorization parameters,
//! authenticated, and gets a one-time `request_uri` to use at the authorization endpoint.
//!
//! ```text
//! let par = parse_par_request(&http_req)?;                          // POST form + credentials
//! let client = store.client(par.client_id())?;                       // unknown: invalid_client
//! let pushed = process_par_request(&policy, &client, par, &audience, now, rng)?;
//! // check pushed.client.replay_record() (JWT client assertions), then:
//! store.put_par(pushed.record);                                      // keyed by record.request_uri
//! return pushed.response;                                            // 201 {request_uri, expires_in}
//! ```
//! At the authorization endpoint the caller *takes* the record (read and delete: single use) and
//! passes it to [`super::authorize::validate_authorization_request`], which checks client and
//! expiry (RFC 9126 §4).

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::authorize::{AuthorizePolicy, Params, random_handle, validate_params};
use super::client::{
    AssertionAudience, AuthenticatedClient, ClientCredentials, RegisteredClient,
    authenticate_client, extract_client_credentials,
};
use super::error::AuthorizeError;
use super::token::DpopKey;
use crate::encoding::form::{FormParams, parse_form};
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::rand::SecureRandom;
use crate::time::UnixTime;

/// RFC 9126 §2.2: the `request_uri` prefix for pushed requests.
pub const REQUEST_URI_PREFIX: &str = "urn:ietf:params:oauth:request_uri:";

/// Parameters that are client authentication, not authorization request parameters.
const CLIENT_AUTH_PARAMS: &[&str] = &["client_secret", "client_assertion", "client_assertion_type"];

/// What the server stores for a pushed request, under `request_uri` (RFC 9126 §2.2).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PushedAuthorizationRecord {
    /// The handle given to the client (`urn:ietf:params:oauth:request_uri:` + 256 random bits).
    pub request_uri: String,
    /// The client that pushed it: only it may use the handle (RFC 9126 §4).
    pub client_id: String,
    /// The validated authorization parameters (from a request object's claims when one was
    /// pushed), client authentication removed.
    pub params: Vec<(String, String)>,
    /// After this the handle is refused.
    pub expires_at: UnixTime,
}

/// A parsed PAR request: its form, the client credentials it presents, and its DPoP proof.
#[derive(Clone, Debug)]
pub struct ParRequest {
    form: FormParams,
    credentials: ClientCredentials,
    dpop_proof: Option<String>,
    dpop_jkt: Option<String>,
}

impl ParRequest {
    /// The client to look up before [`process_par_request`].
    #[must_use]
    pub fn client_id(&self) -> &str {
        self.credentials.client_id()
    }

    /// The credentials presented.
    #[must_use]
    pub fn credentials(&self) -> &ClientCredentials {
        &self.credentials
    }

    /// The `DPoP` header's proof, if any (RFC 9449 §10.1): validate it with the DPoP module
    /// (RFC 9449 §4.3, `htm` POST and `htu` the PAR endpoint) and pass its key to
    /// [`ParRequest::with_validated_dpop`]; a proof left unvalidated makes
    /// [`process_par_request`] refuse the request.
    #[must_use]
    pub fn dpop_proof(&self) -> Option<&str> {
        self.dpop_proof.as_deref()
    }

    /// Binds the pushed request to the key of the validated DPoP proof (RFC 9449 §10.1): the code
    /// will then be bound to it as if `dpop_jkt` had been sent.
    #[must_use]
    pub fn with_validated_dpop(mut self, key: &DpopKey) -> Self {
        self.dpop_jkt = Some(key.jkt().to_string());
        self
    }
}

/// Reads a PAR request: a POST with a form body (RFC 9126 §2.1), and its client credentials.
///
/// # Errors
/// [`AuthorizeError::Method`], [`AuthorizeError::Form`], [`AuthorizeError::ClientAuth`].
pub fn parse_par_request(request: &HttpRequest) -> Result<ParRequest, AuthorizeError> {
    if request.method != Method::Post || !request.content_type_is_form() {
        return Err(AuthorizeError::Method);
    }
    let form = parse_form(&request.body)?;
    let credentials = extract_client_credentials(request, &form)?;
    // RFC 9449 §4.3: exactly one DPoP header.
    let dpop_proof = request
        .headers
        .get_single("dpop")
        .map_err(|_| AuthorizeError::DpopProof("more than one DPoP header (RFC 9449 §4.3)"))?
        .map(ToString::to_string);
    Ok(ParRequest {
        form,
        credentials,
        dpop_proof,
        dpop_jkt: None,
    })
}

/// An accepted pushed request.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct PushedAuthorization {
    /// 201 with `{"request_uri": ..., "expires_in": ...}` (RFC 9126 §2.2).
    pub response: HttpResponse,
    /// What to store under `record.request_uri`.
    pub record: PushedAuthorizationRecord,
    /// The authenticated client (check its replay record for JWT assertions).
    pub client: AuthenticatedClient,
}

/// Processes a PAR request for `client` (looked up by [`ParRequest::client_id`]).
///
/// Order: client authentication ([`authenticate_client`], RFC 9126 §2.1); no `request_uri`
/// parameter (RFC 9126 §2.1); a `request` object, if any, is verified and its claims become the
/// parameters (RFC 9126 §3); a DPoP proof, if sent, must have been validated and its key
/// becomes (or must equal) `dpop_jkt` (RFC 9449 §10.1); then the authorization endpoint's own
/// checks, with every error answered as JSON (RFC 9126 §2.3) instead of a redirect; then a 256-bit `request_uri` from `rng`
/// valid for `policy.par_lifetime`.
///
/// # Errors
/// [`AuthorizeError`]; render with [`AuthorizeError::to_response`].
pub fn process_par_request(
    policy: &AuthorizePolicy,
    client: &RegisteredClient,
    request: ParRequest,
    audience: &AssertionAudience<'_>,
    now: UnixTime,
    rng: &mut impl SecureRandom,
) -> Result<PushedAuthorization, AuthorizeError> {
    let authenticated = authenticate_client(client, &request.credentials, audience, now)?;
    let outer = Params::from_form(&request.form);
    // RFC 9126 §2.1: request_uri must not be pushed.
    if outer.0.iter().any(|(k, _)| k == "request_uri") {
        return Err(AuthorizeError::RequestAndRequestUri);
    }
    let mut params = match outer.get("request")? {
        Some(jwt) => {
            if !policy.accept_request_objects {
                return Err(AuthorizeError::RequestNotSupported);
            }
            super::jar::verify_request_object(policy, client, jwt, now)?
        }
        None => Params(
            outer
                .0
                .into_iter()
                .filter(|(k, _)| !CLIENT_AUTH_PARAMS.contains(&k.as_str()))
                .collect(),
        ),
    };
    // RFC 9126 §2.1: the client_id, if sent, is the authenticated client's.
    if params
        .get("client_id")?
        .is_some_and(|id| id != client.client_id)
    {
        return Err(AuthorizeError::ClientIdMismatch);
    }
    if params.get("client_id")?.is_none() {
        params
            .0
            .push(("client_id".into(), client.client_id.clone()));
    }
    // RFC 9449 §10.1: a DPoP proof at PAR binds the code like dpop_jkt; both must agree.
    match (&request.dpop_proof, &request.dpop_jkt) {
        (Some(_), None) => {
            return Err(AuthorizeError::DpopProof(
                "the DPoP proof was not validated (ParRequest::with_validated_dpop)",
            ));
        }
        (_, Some(jkt)) => match params.get("dpop_jkt")? {
            Some(sent) if sent != jkt => {
                return Err(AuthorizeError::DpopProof(
                    "dpop_jkt differs from the DPoP proof's key (RFC 9449 §10.1)",
                ));
            }
            Some(_) => {}
            None => params.0.push(("dpop_jkt".into(), jkt.clone())),
        },
        (None, None) => {}
    }
    let validated =
        validate_params(policy, client, params, true, false).map_err(|f| f.into_error())?;
    let handle = random_handle(rng)?;
    let request_uri = alloc::format!("{REQUEST_URI_PREFIX}{handle}");
    let expires_in = policy.par_lifetime.as_secs();
    let body = serde_json::json!({ "request_uri": request_uri, "expires_in": expires_in });
    let response = HttpResponse::json(201, body.to_string().into_bytes());
    let response = response
        .clone()
        .with_header("Cache-Control", "no-store")
        .unwrap_or(response);
    Ok(PushedAuthorization {
        response,
        record: PushedAuthorizationRecord {
            request_uri,
            client_id: client.client_id.clone(),
            params: validated.params.0,
            expires_at: now.saturating_add(policy.par_lifetime),
        },
        client: authenticated,
    })
}
