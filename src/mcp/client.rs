//! The MCP client's authorization discovery chain (MCP authorization 2025-11-25 /
//! 2026-07-28), as a sans-IO state machine in the quinn-proto style: the caller feeds
//! responses to [`McpAuthorization::handle_response`], sends what
//! [`McpAuthorization::poll_request`] hands out, and acts on the returned [`McpStep`].
//!
//! 1. The MCP server answers 401: its `WWW-Authenticate` is parsed (RFC 9110 §11.6.1,
//!    RFC 6750 §3); `resource_metadata` (RFC 9728 §5.1) names the protected resource
//!    metadata, else the well-known URLs are probed, path-inserted then root (RFC 9728
//!    §3.1, MCP SEP-985).
//! 2. The metadata's `resource` must equal the server's canonical resource URI, or the
//!    identifier its well-known URL was built from when that is a parent of it (the root
//!    probe: the origin) (RFC 9728 §3.3; RFC 8707 §2); an authorization server is chosen from
//!    `authorization_servers` (the first, or the caller's choice, RFC 9728 §7.6).
//! 3. Its metadata is fetched in the MCP order (RFC 8414 path-inserted, OIDC
//!    path-inserted, OIDC appended) with the `issuer` echo checked (RFC 8414 §3.3); the
//!    client refuses to go on without `S256` in `code_challenge_methods_supported`.
//! 4. The scope: the challenge's `scope`, else the metadata's `scopes_supported`, else
//!    none (MCP "scope selection strategy").
//! 5. On 403 `insufficient_scope` the scopes become the union of those requested and
//!    those challenged (MCP 2026-07-28 step-up), at most `max_step_ups` times.
//!
//! ```
//! use oauth_core::http::HttpResponse;
//! use oauth_core::mcp::{McpAuthorization, McpStep};
//!
//! let mut auth = McpAuthorization::new("https://mcp.example.com/mcp")?;
//! // The MCP request without a token came back 401:
//! let resp = HttpResponse::new(401).with_header("WWW-Authenticate",
//!     r#"Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp", scope="tools:read""#)?;
//! assert_eq!(auth.handle_response(&resp)?, McpStep::SendRequest);
//! let prm_request = auth.poll_request().unwrap();
//! assert_eq!(prm_request.url, "https://mcp.example.com/.well-known/oauth-protected-resource/mcp");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::client::www_authenticate::{self, Challenge, WwwAuthenticateError};
use crate::client::{ClientError, discovery_requests, process_discovery_response};
use crate::encoding::document::DocumentError;
use crate::http::{HttpRequest, HttpResponse};
use crate::metadata::well_known::{self, canonical_resource_uri, protected_resource_metadata_urls};
use crate::metadata::{AuthorizationServerMetadata, ProtectedResourceMetadata, WellKnownError};

/// The default number of 403 `insufficient_scope` step-ups before giving up (MCP
/// 2026-07-28: clients SHOULD cap retries).
pub const DEFAULT_MAX_STEP_UPS: u32 = 2;

/// Why the discovery chain stopped. Never holds a token.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum McpAuthError {
    /// The MCP server URL is not a valid resource identifier (RFC 8707 §2).
    InvalidServerUrl(WellKnownError),
    /// The `WWW-Authenticate` header does not parse (RFC 9110 §11.6.1).
    Challenge(WwwAuthenticateError),
    /// The `resource_metadata` URL is not an https (or loopback http) URL (RFC 9728 §5.1).
    InvalidResourceMetadataUrl(WellKnownError),
    /// No protected resource metadata at the header's URL or any well-known URL (the
    /// status of the last response).
    NoProtectedResourceMetadata {
        /// The last HTTP status received.
        last_status: u16,
    },
    /// The protected resource metadata document was refused.
    ProtectedResourceMetadata(DocumentError),
    /// RFC 9728 §3.3: the metadata's `resource` is not the resource being accessed.
    ResourceMismatch {
        /// The canonical URI of the MCP server.
        expected: String,
        /// The metadata's `resource`.
        actual: String,
    },
    /// The metadata lists no `authorization_servers` (MCP: at least one).
    NoAuthorizationServers,
    /// The authorization server the caller chose is not listed in the metadata.
    AuthorizationServerNotListed,
    /// No authorization server metadata could be used; the error of the last attempt.
    AuthorizationServerMetadata(ClientError),
    /// `code_challenge_methods_supported` is absent or lacks `S256`: the MCP client MUST
    /// refuse to proceed (MCP 2025-11-25 "authorization code protection").
    PkceS256NotSupported,
    /// 403 `insufficient_scope` after `max_step_ups` step-ups (MCP 2026-07-28).
    StepUpLimit {
        /// The step-ups already made.
        attempts: u32,
    },
    /// A 401 after a token was obtained, at the step-up limit.
    ReauthorizationLimit,
    /// A 403 that is not `insufficient_scope`: the server refuses outright.
    Forbidden,
    /// A response arrived while no request was outstanding.
    NoRequestPending,
}

impl fmt::Display for McpAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidServerUrl(e) => write!(f, "mcp server url: {e} (RFC 8707 §2)"),
            Self::Challenge(e) => e.fmt(f),
            Self::InvalidResourceMetadataUrl(e) => {
                write!(f, "resource_metadata url: {e} (RFC 9728 §5.1)")
            }
            Self::NoProtectedResourceMetadata { last_status } => write!(
                f,
                "no protected resource metadata found (last status {last_status}; RFC 9728 §3)"
            ),
            Self::ProtectedResourceMetadata(e) => write!(f, "protected resource metadata: {e}"),
            Self::ResourceMismatch { expected, actual } => write!(
                f,
                "protected resource metadata is for {actual:?}, not {expected:?} (RFC 9728 §3.3)"
            ),
            Self::NoAuthorizationServers => {
                f.write_str("protected resource metadata lists no authorization_servers")
            }
            Self::AuthorizationServerNotListed => f.write_str(
                "the chosen authorization server is not in authorization_servers (RFC 9728 §7.6)",
            ),
            Self::AuthorizationServerMetadata(e) => write!(f, "authorization server metadata: {e}"),
            Self::PkceS256NotSupported => f.write_str(
                "authorization server does not list S256 in code_challenge_methods_supported (MCP: refuse to proceed)",
            ),
            Self::StepUpLimit { attempts } => write!(
                f,
                "insufficient_scope again after {attempts} step-ups (retry limit)"
            ),
            Self::ReauthorizationLimit => {
                f.write_str("the mcp server keeps refusing new tokens (retry limit)")
            }
            Self::Forbidden => f.write_str("the mcp server answered 403 without insufficient_scope"),
            Self::NoRequestPending => f.write_str("a response arrived with no request outstanding"),
        }
    }
}

impl core::error::Error for McpAuthError {}

/// What the caller does next.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum McpStep {
    /// Take the request from [`McpAuthorization::poll_request`], send it, and pass its
    /// response to [`McpAuthorization::handle_response`].
    SendRequest,
    /// Discovery is complete: obtain a token as planned (authorization code + PKCE with
    /// `resource`, or client credentials), then send the MCP request again with it and
    /// pass that response in.
    Authorize(alloc::boxed::Box<AuthorizationPlan>),
    /// The MCP server accepted the request (or answered with something other than 401
    /// or 403): nothing for authorization to do.
    Proceed,
}

/// Where and how to get a token for the MCP server.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct AuthorizationPlan {
    /// The chosen authorization server's validated metadata.
    pub metadata: AuthorizationServerMetadata,
    /// The MCP server's protected resource metadata.
    pub resource_metadata: ProtectedResourceMetadata,
    /// The RFC 8707 `resource` for the authorization and token requests: the metadata's
    /// `resource`, exactly as published (the MCP server's canonical URI, or its origin when
    /// the document came from the root well-known URL).
    pub resource: String,
    /// The scopes to request, in order (empty: omit `scope`).
    pub scopes: Vec<String>,
}

impl AuthorizationPlan {
    /// The scopes as one space-separated `scope` value, `None` when there are none.
    #[must_use]
    pub fn scope(&self) -> Option<String> {
        (!self.scopes.is_empty()).then(|| self.scopes.join(" "))
    }
}

impl Eq for AuthorizationPlan {}

#[derive(Clone, Debug)]
enum Phase {
    /// Waiting for the MCP server's answer to a request.
    Server,
    /// Fetching protected resource metadata from `urls[index]`.
    ResourceMetadata { urls: Vec<String>, index: usize },
    /// Fetching the authorization server's metadata from `urls[index]`.
    AuthorizationServer {
        issuer: String,
        urls: Vec<HttpRequest>,
        index: usize,
        /// The most telling refusal so far (a document refused beats a later 404).
        refused: Option<ClientError>,
    },
}

/// The MCP client's authorization state machine. See the [module docs](self).
#[derive(Clone, Debug)]
pub struct McpAuthorization {
    resource: String,
    phase: Phase,
    outbox: Option<HttpRequest>,
    chosen_issuer: Option<String>,
    max_step_ups: u32,
    step_ups: u32,
    /// Scopes from the latest 401 challenge (authoritative, MCP scope selection).
    challenge_scopes: Option<Vec<String>>,
    /// Scopes requested so far.
    requested: Vec<String>,
    prm: Option<ProtectedResourceMetadata>,
    as_meta: Option<AuthorizationServerMetadata>,
    authorized: bool,
}

impl McpAuthorization {
    /// A state machine for the MCP server at `server_url` (its endpoint URL, e.g.
    /// `https://mcp.example.com/mcp`). Send the MCP request (without a token) and pass
    /// the response to [`McpAuthorization::handle_response`].
    ///
    /// # Errors
    /// [`McpAuthError::InvalidServerUrl`] when the URL is not an https (or loopback
    /// http) URL without fragment.
    pub fn new(server_url: &str) -> Result<Self, McpAuthError> {
        let resource =
            canonical_resource_uri(server_url).map_err(McpAuthError::InvalidServerUrl)?;
        Ok(Self {
            resource,
            phase: Phase::Server,
            outbox: None,
            chosen_issuer: None,
            max_step_ups: DEFAULT_MAX_STEP_UPS,
            step_ups: 0,
            challenge_scopes: None,
            requested: Vec::new(),
            prm: None,
            as_meta: None,
            authorized: false,
        })
    }

    /// Uses this authorization server instead of the first listed (RFC 9728 §7.6: the
    /// client chooses); it must appear in the metadata's `authorization_servers`.
    #[must_use]
    pub fn authorization_server(mut self, issuer: impl Into<String>) -> Self {
        self.chosen_issuer = Some(issuer.into());
        self
    }

    /// The most 403 `insufficient_scope` step-ups (default [`DEFAULT_MAX_STEP_UPS`]).
    #[must_use]
    pub fn max_step_ups(mut self, n: u32) -> Self {
        self.max_step_ups = n;
        self
    }

    /// The canonical resource URI of the MCP server (RFC 8707 `resource`).
    #[must_use]
    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// The next request to send, if any (taken: a second call returns `None`).
    pub fn poll_request(&mut self) -> Option<HttpRequest> {
        self.outbox.take()
    }

    /// Feeds the response to the request last sent: the MCP server's, or one that
    /// [`McpAuthorization::poll_request`] handed out.
    ///
    /// # Errors
    /// [`McpAuthError`] naming the rule that stops the chain; the machine should then
    /// be dropped.
    pub fn handle_response(&mut self, resp: &HttpResponse) -> Result<McpStep, McpAuthError> {
        match core::mem::replace(&mut self.phase, Phase::Server) {
            Phase::Server => self.on_server_response(resp),
            Phase::ResourceMetadata { urls, index } => self.on_resource_metadata(resp, urls, index),
            Phase::AuthorizationServer {
                issuer,
                urls,
                index,
                refused,
            } => self.on_as_metadata(resp, issuer, urls, index, refused),
        }
    }

    fn on_server_response(&mut self, resp: &HttpResponse) -> Result<McpStep, McpAuthError> {
        if self.outbox.is_some() {
            return Err(McpAuthError::NoRequestPending);
        }
        match resp.status {
            401 => {
                let challenges =
                    www_authenticate::parse_response(resp).map_err(McpAuthError::Challenge)?;
                let challenge = challenges.bearer().or_else(|| challenges.dpop());
                if self.authorized {
                    // A fresh token was refused: start over once per step-up budget.
                    if self.step_ups >= self.max_step_ups {
                        return Err(McpAuthError::ReauthorizationLimit);
                    }
                    self.step_ups += 1;
                    self.authorized = false;
                }
                self.challenge_scopes = challenge.map(scopes_of).filter(|s| !s.is_empty());
                self.start_resource_metadata(challenge)
            }
            403 => {
                let challenges =
                    www_authenticate::parse_response(resp).map_err(McpAuthError::Challenge)?;
                let challenge = challenges
                    .bearer()
                    .or_else(|| challenges.dpop())
                    .filter(|c| c.error() == Some("insufficient_scope"))
                    .ok_or(McpAuthError::Forbidden)?;
                // MCP 2026-07-28: step up with union(requested, challenged), capped.
                if self.step_ups >= self.max_step_ups {
                    return Err(McpAuthError::StepUpLimit {
                        attempts: self.step_ups,
                    });
                }
                self.step_ups += 1;
                for s in scopes_of(challenge) {
                    if !self.requested.contains(&s) {
                        self.requested.push(s);
                    }
                }
                match (&self.prm, &self.as_meta) {
                    (Some(_), Some(_)) => Ok(self.plan()),
                    _ => {
                        // A 403 before discovery: discover, keeping the union.
                        self.challenge_scopes = Some(self.requested.clone());
                        self.start_resource_metadata(Some(challenge))
                    }
                }
            }
            _ => Ok(McpStep::Proceed),
        }
    }

    fn start_resource_metadata(
        &mut self,
        challenge: Option<&Challenge>,
    ) -> Result<McpStep, McpAuthError> {
        let urls = match challenge.and_then(Challenge::resource_metadata) {
            // RFC 9728 §5.1 / MCP: the header's URL when present...
            // Q: send the header's text or the parsed URL? A: the parsed URL, so the
            // request goes exactly where the check looked (`https:/x/p` parses as
            // `https://x/p`; an HTTP stack must not read it another way).
            Some(url) => {
                let parsed = well_known::check_endpoint_url(url)
                    .map_err(McpAuthError::InvalidResourceMetadataUrl)?;
                alloc::vec![String::from(parsed)]
            }
            // ...else the well-known URLs, path-inserted then root (MCP SEP-985).
            None => protected_resource_metadata_urls(&self.resource)
                .map_err(McpAuthError::InvalidServerUrl)?,
        };
        self.fetch_resource_metadata(urls, 0, 0)
    }

    fn fetch_resource_metadata(
        &mut self,
        urls: Vec<String>,
        index: usize,
        last_status: u16,
    ) -> Result<McpStep, McpAuthError> {
        let Some(url) = urls.get(index) else {
            return Err(McpAuthError::NoProtectedResourceMetadata { last_status });
        };
        self.outbox = Some(HttpRequest::get(url.as_str()).with_accept_json());
        self.phase = Phase::ResourceMetadata { urls, index };
        Ok(McpStep::SendRequest)
    }

    fn on_resource_metadata(
        &mut self,
        resp: &HttpResponse,
        urls: Vec<String>,
        index: usize,
    ) -> Result<McpStep, McpAuthError> {
        if resp.status != 200 || !resp.content_type_is_json() {
            // Not found here: probe the next URL.
            return self.fetch_resource_metadata(urls, index + 1, resp.status);
        }
        let prm = ProtectedResourceMetadata::from_json(&resp.body)
            .map_err(McpAuthError::ProtectedResourceMetadata)?;
        // RFC 9728 §3.3: the metadata must be about the resource being accessed.
        // Compared in canonical form (lower-case scheme and host, no default port, no
        // root slash), byte for byte.
        // Q: accept a root document whose `resource` is a parent of the server URL (the
        // MCP TypeScript SDK does)? A: only when the document was fetched from the
        // well-known URL built from that very identifier: §3.3 asks the `resource` to be
        // identical to "the resource identifier value into which the well-known URI path
        // suffix was inserted", and the root probe (MCP SEP-985) inserts it into the
        // origin. A parent-path document fetched from elsewhere (the header's URL, the
        // path-inserted URL) still cannot speak for this resource.
        let fetched_from = urls.get(index).map(String::as_str).unwrap_or_default();
        let actual = canonical_resource_uri(&prm.resource).ok();
        let accepted = actual.as_deref() == Some(self.resource.as_str())
            || actual.is_some_and(|a| {
                well_known_identifier(fetched_from).as_deref() == Some(a.as_str())
                    && is_path_prefix(&a, &self.resource)
            });
        if !accepted {
            return Err(McpAuthError::ResourceMismatch {
                expected: self.resource.clone(),
                actual: prm.resource,
            });
        }
        let servers = prm
            .authorization_servers
            .as_deref()
            .filter(|s| !s.is_empty())
            .ok_or(McpAuthError::NoAuthorizationServers)?;
        let issuer = match &self.chosen_issuer {
            Some(chosen) => servers
                .iter()
                .find(|s| *s == chosen)
                .ok_or(McpAuthError::AuthorizationServerNotListed)?,
            None => servers
                .first()
                .ok_or(McpAuthError::NoAuthorizationServers)?,
        }
        .clone();
        // MCP scope selection: the challenge's scope, else scopes_supported, else none.
        if self.requested.is_empty() || self.challenge_scopes.is_some() {
            self.requested = match &self.challenge_scopes {
                Some(s) => s.clone(),
                None => prm.scopes_supported.clone().unwrap_or_default(),
            };
        }
        self.prm = Some(prm);
        // Metadata already fetched for this issuer (a re-authorization): reuse it.
        if self.as_meta.as_ref().is_some_and(|m| m.issuer == issuer) {
            return Ok(self.plan());
        }
        let urls =
            discovery_requests(&issuer).map_err(McpAuthError::AuthorizationServerMetadata)?;
        self.fetch_as_metadata(issuer, urls, 0, None)
    }

    fn fetch_as_metadata(
        &mut self,
        issuer: String,
        urls: Vec<HttpRequest>,
        index: usize,
        last_error: Option<ClientError>,
    ) -> Result<McpStep, McpAuthError> {
        let Some(req) = urls.get(index) else {
            return Err(McpAuthError::AuthorizationServerMetadata(
                last_error.unwrap_or(ClientError::MissingEndpoint(
                    "authorization server metadata",
                )),
            ));
        };
        self.outbox = Some(req.clone());
        self.phase = Phase::AuthorizationServer {
            issuer,
            urls,
            index,
            refused: last_error,
        };
        Ok(McpStep::SendRequest)
    }

    fn on_as_metadata(
        &mut self,
        resp: &HttpResponse,
        issuer: String,
        urls: Vec<HttpRequest>,
        index: usize,
        refused: Option<ClientError>,
    ) -> Result<McpStep, McpAuthError> {
        let meta = match process_discovery_response(&issuer, resp) {
            Ok(m) => m,
            // RFC 8414 §3.3 / MCP: a document that fails (404, or a wrong issuer) is
            // never used; the next URL in the MCP order is tried. The error reported at
            // the end is the first document refused (e.g. its issuer), not a later 404.
            Err(e) => {
                let keep = match refused {
                    Some(r) if !matches!(r, ClientError::UnexpectedStatus { .. }) => r,
                    _ => e,
                };
                return self.fetch_as_metadata(issuer, urls, index + 1, Some(keep));
            }
        };
        // MCP 2025-11-25: refuse when code_challenge_methods_supported is absent or
        // lacks S256 (RFC 7636 §4.2, RFC 9700 §2.1.1).
        if !meta.supports_pkce_method("S256") {
            return Err(McpAuthError::PkceS256NotSupported);
        }
        self.as_meta = Some(meta);
        Ok(self.plan())
    }

    fn plan(&mut self) -> McpStep {
        match (&self.prm, &self.as_meta) {
            (Some(prm), Some(meta)) => {
                self.authorized = true;
                McpStep::Authorize(alloc::boxed::Box::new(AuthorizationPlan {
                    metadata: meta.clone(),
                    resource_metadata: prm.clone(),
                    // MCP: the identifier exactly as the metadata publishes it.
                    resource: prm.resource.clone(),
                    scopes: self.requested.clone(),
                }))
            }
            // Unreachable by construction; answer conservatively.
            _ => McpStep::Proceed,
        }
    }
}

/// The resource identifier a protected resource metadata URL was built from (RFC 9728
/// §3.1: the well-known suffix inserted between the origin and the path), canonical; `None`
/// for any other URL.
fn well_known_identifier(url: &str) -> Option<String> {
    let parsed = well_known::check_endpoint_url(url).ok()?;
    let rest = parsed
        .path()
        .strip_prefix("/.well-known/oauth-protected-resource")?;
    if !(rest.is_empty() || rest.starts_with('/')) || parsed.query().is_some() {
        return None;
    }
    let origin = parsed.origin().ascii_serialization();
    canonical_resource_uri(&alloc::format!("{origin}{rest}")).ok()
}

/// Whether `parent` is `child` or one of its path-segment ancestors (same origin).
fn is_path_prefix(parent: &str, child: &str) -> bool {
    child
        .strip_prefix(parent)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

fn scopes_of(c: &Challenge) -> Vec<String> {
    c.scopes().map(String::from).collect()
}
