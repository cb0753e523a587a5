//! Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document; MCP 2025-11-25
//! "CIMD"): a `client_id` that is an https URL names a JSON client metadata document the server
//! fetches and validates instead of a registration.
//!
//! ```text
//! if is_client_id_url(client_id) {
//!     let req = client_metadata_request(client_id, &policy)?;   // SSRF checks on the URL
//!     // the caller resolves the host and MUST refuse it if any address is_forbidden_ip
//!     // (unless the policy allows private addresses), connects to that address, no redirects
//!     let resp = http.send(req);                                 // caller's I/O; may cache per HTTP
//!     let client = process_client_metadata_response(client_id, &resp, &policy)?;
//! }
//! ```
//!
//! # Security
//! DNS resolution happens in the caller, so the URL checks here cannot see where a host name
//! points: the caller's resolver must apply [`is_forbidden_ip`] to every address it would
//! connect to (and not follow HTTP redirects), or a name resolving to `127.0.0.1` or
//! `169.254.169.254` turns the server into a proxy to its own network (SSRF; RFC 9728 §7.7).

use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec;
use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::client::{ApplicationType, RegisteredClient, TokenEndpointAuthMethod};
use crate::encoding::document::DocumentError;
use crate::error::ErrorCode;
use crate::http::{HttpRequest, HttpResponse};
use crate::jose::{JwkSet, JwkSetOptions};
use crate::metadata::ClientMetadata;

/// The default largest document accepted (5 KiB, as the draft suggests).
pub const DEFAULT_MAX_DOCUMENT_LEN: usize = 5 * 1024;

/// What the server allows for metadata-document clients.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct CimdPolicy {
    /// Allow `client_id` URLs whose host is `localhost` or a private, loopback or link-local IP
    /// literal (development only). Off by default.
    pub allow_private_addresses: bool,
    /// The largest document accepted, in bytes.
    pub max_document_len: usize,
}

impl CimdPolicy {
    /// The defaults: public https hosts only, 5 KiB documents.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            allow_private_addresses: false,
            max_document_len: DEFAULT_MAX_DOCUMENT_LEN,
        }
    }
}

impl Default for CimdPolicy {
    fn default() -> Self {
        Self::new()
    }
}

/// Why a metadata-document client was refused. All render as `invalid_client`: the client is
/// unknown as far as the authorization endpoint is concerned (do not redirect).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CimdError {
    /// The `client_id` is not a valid document URL: names the rule (https, a path, no dot
    /// segments, no fragment, no userinfo).
    InvalidClientIdUrl(&'static str),
    /// The host is `localhost` or a private/loopback/link-local IP literal (SSRF guard).
    ForbiddenHost,
    /// The response is not 200.
    Status(u16),
    /// The response is not `application/json`.
    ContentType,
    /// The document is larger than the policy allows.
    TooLarge,
    /// The document is not strict JSON client metadata.
    Document(DocumentError),
    /// The document's `client_id` is not exactly the URL it was fetched from.
    ClientIdMismatch,
    /// `redirect_uris` missing or empty, or one is invalid.
    RedirectUris,
    /// A shared-secret method or a `client_secret` in the document.
    SymmetricAuth,
    /// `private_key_jwt` without usable keys (`jwks` or `jwks_uri`).
    Keys,
    /// Another metadata value is refused: names it.
    InvalidMetadata(&'static str),
}

impl CimdError {
    /// The OAuth `error` code (`invalid_client`).
    #[must_use]
    pub fn error_code(&self) -> ErrorCode {
        ErrorCode::InvalidClient
    }
}

impl fmt::Display for CimdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidClientIdUrl(r) => write!(f, "client_id metadata URL: {r}"),
            Self::ForbiddenHost => f.write_str(
                "client_id metadata URL host is local or private (SSRF guard, RFC 9728 §7.7)",
            ),
            Self::Status(s) => write!(f, "client metadata document fetch answered {s}"),
            Self::ContentType => f.write_str("client metadata document is not application/json"),
            Self::TooLarge => f.write_str("client metadata document is too large"),
            Self::Document(e) => write!(f, "client metadata document: {e}"),
            Self::ClientIdMismatch => f.write_str(
                "client metadata document client_id does not equal its URL",
            ),
            Self::RedirectUris => {
                f.write_str("client metadata document redirect_uris missing or invalid")
            }
            Self::SymmetricAuth => f.write_str(
                "client metadata documents must not use shared secrets (none or private_key_jwt only)",
            ),
            Self::Keys => f.write_str("private_key_jwt needs jwks or jwks_uri"),
            Self::InvalidMetadata(m) => write!(f, "client metadata document: {m}"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for CimdError {}

/// Whether `client_id` looks like a metadata-document URL (starts with `https://`); such ids are
/// resolved with [`client_metadata_request`], never looked up as registered ids.
#[must_use]
pub fn is_client_id_url(client_id: &str) -> bool {
    client_id.starts_with("https://")
}

/// Whether the server must refuse to connect to `ip` when fetching client metadata: unspecified,
/// loopback, private (RFC 1918), shared (RFC 6598), link-local (incl. cloud metadata
/// `169.254.169.254`), benchmarking, documentation, multicast, broadcast and reserved IPv4
/// ranges; IPv6 loopback, unspecified, unique local (`fc00::/7`), link-local (`fe80::/10`), site
/// local, multicast, documentation, and IPv4-mapped / NAT64 / 6to4 forms of forbidden IPv4.
///
/// Use it in the resolver that connects for [`client_metadata_request`].
#[must_use]
pub fn is_forbidden_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => forbidden_v4(a),
        IpAddr::V6(a) => forbidden_v6(a),
    }
}

fn forbidden_v4(a: Ipv4Addr) -> bool {
    let [o0, o1, o2, _] = a.octets();
    a.is_unspecified()
        || a.is_loopback()
        || a.is_private()
        || a.is_link_local()
        || a.is_broadcast()
        || a.is_multicast()
        || a.is_documentation()
        || o0 == 0
        || (o0 == 100 && (o1 & 0xc0) == 64) // 100.64.0.0/10 shared address space
        || (o0 == 192 && o1 == 0 && o2 == 0) // 192.0.0.0/24 IETF protocol assignments
        || (o0 == 198 && (o1 & 0xfe) == 18) // 198.18.0.0/15 benchmarking
        || o0 >= 240 // 240.0.0.0/4 reserved
}

fn forbidden_v6(a: Ipv6Addr) -> bool {
    let s = a.segments();
    let [s0, s1, ..] = s;
    if let Some(v4) = a.to_ipv4_mapped() {
        return forbidden_v4(v4);
    }
    let embedded = |hi: u16, lo: u16| {
        let [h0, h1] = hi.to_be_bytes();
        let [l0, l1] = lo.to_be_bytes();
        Ipv4Addr::new(h0, h1, l0, l1)
    };
    // 64:ff9b::/96 NAT64: the last 32 bits are an IPv4 address.
    if s0 == 0x64 && s1 == 0xff9b && s.get(2..6).is_some_and(|m| m.iter().all(|&x| x == 0)) {
        return s.get(6..8).is_some_and(|t| match t {
            [hi, lo] => forbidden_v4(embedded(*hi, *lo)),
            _ => true,
        });
    }
    // 2002::/16 6to4: the next 32 bits are an IPv4 address.
    if s0 == 0x2002 {
        return s.get(1..3).is_some_and(|t| match t {
            [hi, lo] => forbidden_v4(embedded(*hi, *lo)),
            _ => true,
        });
    }
    a.is_unspecified()
        || a.is_loopback()
        || a.is_multicast()
        || (s0 & 0xfe00) == 0xfc00 // fc00::/7 unique local
        || (s0 & 0xffc0) == 0xfe80 // fe80::/10 link-local
        || (s0 & 0xffc0) == 0xfec0 // fec0::/10 site-local (deprecated)
        || (s0 == 0x2001 && s1 == 0x0db8) // 2001:db8::/32 documentation
        || (s.get(..6).is_some_and(|p| p.iter().all(|&x| x == 0))) // ::a.b.c.d (deprecated compatible)
}

/// Checks a metadata-document `client_id` URL: `https`, a host, a path other than `/`, no `.`
/// or `..` segments, no fragment, no userinfo (draft-ietf-oauth-client-id-metadata-document §3),
/// and, unless the policy allows it, not `localhost` nor a forbidden IP literal.
///
/// # Errors
/// [`CimdError::InvalidClientIdUrl`] or [`CimdError::ForbiddenHost`].
pub fn check_client_id_url(client_id: &str, policy: &CimdPolicy) -> Result<url::Url, CimdError> {
    let bad = CimdError::InvalidClientIdUrl;
    let url = url::Url::parse(client_id).map_err(|_| bad("not an absolute URL"))?;
    if url.scheme() != "https" {
        return Err(bad("must be https"));
    }
    if client_id.contains('#') {
        return Err(bad("must not contain a fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("must not contain userinfo"));
    }
    // The url crate removes dot segments, so look at the raw text's path.
    let after_scheme = client_id.get("https://".len()..).unwrap_or("");
    // The authority ends at the first '/', '?' or '#'; only a '/' starts a path.
    let raw_path = match after_scheme.find(['/', '?', '#']) {
        Some(i) if after_scheme.get(i..i + 1) == Some("/") => after_scheme.get(i..).unwrap_or(""),
        _ => "",
    };
    let raw_path = raw_path.split(['?', '#']).next().unwrap_or("");
    if raw_path.len() <= 1 {
        return Err(bad("must contain a path"));
    }
    if raw_path.split('/').any(|seg| {
        matches!(
            seg,
            "." | ".." | "%2e" | "%2E" | "%2e%2e" | "%2E%2E" | ".%2e" | "%2e."
        )
    }) {
        return Err(bad("must not contain dot segments"));
    }
    if !policy.allow_private_addresses {
        let forbidden = match url.host() {
            Some(url::Host::Ipv4(a)) => forbidden_v4(a),
            Some(url::Host::Ipv6(a)) => forbidden_v6(a),
            Some(url::Host::Domain(d)) => {
                let d = d.trim_end_matches('.');
                d.eq_ignore_ascii_case("localhost")
                    || d.to_ascii_lowercase().ends_with(".localhost")
            }
            None => true,
        };
        if forbidden {
            return Err(CimdError::ForbiddenHost);
        }
    }
    Ok(url)
}

/// The request fetching the metadata document of `client_id`: `GET` with
/// `Accept: application/json`, after [`check_client_id_url`].
///
/// # Errors
/// As [`check_client_id_url`].
pub fn client_metadata_request(
    client_id: &str,
    policy: &CimdPolicy,
) -> Result<HttpRequest, CimdError> {
    check_client_id_url(client_id, policy)?;
    Ok(HttpRequest::get(client_id).with_accept_json())
}

/// Validates the fetched document of `client_id` and builds the client it describes.
///
/// Checks: status 200; `application/json`; size within the policy; strict JSON
/// ([`ClientMetadata::from_json`]); `client_id` equal to the URL, byte for byte; non-empty
/// `redirect_uris`, each absolute without fragment (https, or loopback http / private-use scheme
/// for `native`); no shared secret (`token_endpoint_auth_method` `none` or `private_key_jwt`, no
/// `client_secret` member); `private_key_jwt` with `jwks` (parsed, public keys only) or
/// `jwks_uri` (https; the caller fetches it into [`RegisteredClient::jwks`]).
///
/// Q: `token_endpoint_auth_method` absent? A: RFC 7591's default `client_secret_basic` cannot
/// apply (a public document has no secret), so an absent method means `none`.
///
/// The client's `allowed_scopes` are the document's `scope` values and `allowed_resources` is
/// empty: the caller applies its own policy on top (e.g. intersect with what it supports, add the
/// resources it serves) before using the client.
///
/// # Errors
/// [`CimdError`] naming the first rule broken.
pub fn process_client_metadata_response(
    client_id: &str,
    response: &HttpResponse,
    policy: &CimdPolicy,
) -> Result<RegisteredClient, CimdError> {
    check_client_id_url(client_id, policy)?;
    if response.status != 200 {
        return Err(CimdError::Status(response.status));
    }
    if !response.content_type_is_json() {
        return Err(CimdError::ContentType);
    }
    if response.body.len() > policy.max_document_len {
        return Err(CimdError::TooLarge);
    }
    let meta = ClientMetadata::from_json(&response.body).map_err(CimdError::Document)?;
    // The document must name itself: simple string comparison, no normalisation.
    if meta.client_id.as_deref() != Some(client_id) {
        return Err(CimdError::ClientIdMismatch);
    }
    if meta.additional.contains_key("client_secret")
        || meta.additional.contains_key("client_secret_expires_at")
    {
        return Err(CimdError::SymmetricAuth);
    }
    let method = match meta.token_endpoint_auth_method.as_deref() {
        None | Some("none") => TokenEndpointAuthMethod::None,
        Some("private_key_jwt") => TokenEndpointAuthMethod::PrivateKeyJwt,
        Some(_) => return Err(CimdError::SymmetricAuth),
    };
    let application_type = match meta.application_type.as_deref() {
        None => ApplicationType::Web,
        Some(t) => {
            ApplicationType::from_name(t).ok_or(CimdError::InvalidMetadata("application_type"))?
        }
    };
    let redirect_uris = meta.redirect_uris.clone().unwrap_or_default();
    if redirect_uris.is_empty() {
        return Err(CimdError::RedirectUris);
    }
    let reg_policy = super::registration::RegistrationPolicy::new();
    for uri in &redirect_uris {
        super::registration::check_redirect_uri(uri, application_type, &reg_policy)
            .map_err(|_| CimdError::RedirectUris)?;
    }
    let jwks = match &meta.jwks {
        Some(j) => {
            let text = serde_json::to_vec(j).map_err(|_| CimdError::Keys)?;
            let set =
                JwkSet::parse(&text, &JwkSetOptions::default()).map_err(|_| CimdError::Keys)?;
            if set.is_empty() || set.keys().iter().any(|k| k.algorithm().is_symmetric()) {
                return Err(CimdError::Keys);
            }
            Some(Arc::new(set))
        }
        None => None,
    };
    if let Some(u) = &meta.jwks_uri {
        crate::metadata::well_known::check_endpoint_url(u).map_err(|_| CimdError::Keys)?;
    }
    if method == TokenEndpointAuthMethod::PrivateKeyJwt && jwks.is_none() && meta.jwks_uri.is_none()
    {
        return Err(CimdError::Keys);
    }
    let grant_types = meta
        .grant_types
        .clone()
        .unwrap_or_else(|| vec!["authorization_code".to_string()]);
    if let Some(rt) = &meta.response_types
        && rt.iter().any(|r| r != "code")
    {
        return Err(CimdError::InvalidMetadata("response_types"));
    }
    let mut client = RegisteredClient::confidential(client_id, method, redirect_uris);
    client.application_type = application_type;
    client.grant_types = grant_types;
    client.jwks = jwks;
    client.jwks_uri = meta.jwks_uri.clone();
    client.allowed_scopes = meta
        .scope
        .as_deref()
        .map(|s| {
            s.split(' ')
                .filter(|x| !x.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    client.dpop_bound_access_tokens = meta.dpop_bound_access_tokens.unwrap_or(false);
    client.client_name = meta.client_name.clone();
    Ok(client)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_addresses() {
        for ip in [
            "0.1.2.3",
            "10.0.0.1",
            "100.127.255.255",
            "127.8.8.8",
            "169.254.0.1",
            "172.31.0.1",
            "192.0.0.8",
            "192.0.2.1",
            "192.168.255.1",
            "198.19.0.1",
            "224.1.1.1",
            "240.0.0.1",
            "::",
            "::1",
            "::127.0.0.1",
            "fc00::",
            "fdff::1",
            "fe80::1",
            "febf::1",
            "fec0::1",
            "ff02::1",
            "2001:db8::1",
            "::ffff:169.254.169.254",
            "64:ff9b::7f00:1",
            "2002:a00:1::",
        ] {
            assert!(is_forbidden_ip(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "1.1.1.1",
            "100.128.0.1",
            "172.32.0.1",
            "192.0.1.1",
            "198.20.0.1",
            "2606:4700::1",
            "64:ff9b::101:101",
            "2002:101:101::",
            "::ffff:1.1.1.1",
        ] {
            assert!(!is_forbidden_ip(ip.parse().unwrap()), "{ip}");
        }
    }
}
