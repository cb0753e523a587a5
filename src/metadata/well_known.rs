//! Where metadata documents live, and the identifiers they are keyed by.
//!
//! - Authorization server metadata: RFC 8414 §3.1 inserts `/.well-known/oauth-authorization-server`
//!   between the host and the issuer's path; OpenID Connect Discovery 1.0 §4 appends
//!   `/.well-known/openid-configuration` to the issuer. [`authorization_server_metadata_urls`] lists
//!   them in the order the MCP authorization spec tells clients to try.
//! - Protected resource metadata: RFC 9728 §3.1 inserts `/.well-known/oauth-protected-resource`;
//!   MCP clients fall back to the root path ([`protected_resource_metadata_urls`]).
//! - The canonical resource URI (RFC 8707 §2, MCP "Canonical Server URI"): [`canonical_resource_uri`].

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use url::{Host, Url};

/// Why a URL was refused as an issuer, endpoint or resource identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WellKnownError {
    /// Not an absolute URL with a host.
    NotAbsoluteUrl,
    /// The scheme is not `https` (or `http` on a loopback host, for local development).
    SchemeNotAllowed,
    /// A query component where the specification forbids one (issuer identifiers, RFC 8414 §2).
    HasQuery,
    /// A fragment component (forbidden in issuers, endpoints and resource indicators).
    HasFragment,
    /// Userinfo (`user:pass@`) in the URL.
    HasUserinfo,
}

impl fmt::Display for WellKnownError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotAbsoluteUrl => "not an absolute URL with a host",
            Self::SchemeNotAllowed => "scheme must be https (http only on a loopback host)",
            Self::HasQuery => "a query component is not allowed here (RFC 8414 §2)",
            Self::HasFragment => "a fragment is not allowed here",
            Self::HasUserinfo => "userinfo is not allowed in the URL",
        })
    }
}

impl core::error::Error for WellKnownError {}

/// Whether `url`'s host is a loopback address or `localhost` (RFC 8252 §8.3, RFC 6761 §6.3).
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(a)) => a.is_loopback(),
        Some(Host::Ipv6(a)) => a.is_loopback(),
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

fn parse_web_url(s: &str) -> Result<Url, WellKnownError> {
    let url = Url::parse(s).map_err(|_| WellKnownError::NotAbsoluteUrl)?;
    if url.cannot_be_a_base() || url.host().is_none() {
        return Err(WellKnownError::NotAbsoluteUrl);
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        _ => return Err(WellKnownError::SchemeNotAllowed),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(WellKnownError::HasUserinfo);
    }
    if url.fragment().is_some() || s.contains('#') {
        return Err(WellKnownError::HasFragment);
    }
    Ok(url)
}

/// RFC 8414 §2: an issuer identifier is an `https` URL with no query or fragment (we also accept
/// `http` on a loopback host, which local development and the MCP conformance suite use).
///
/// # Errors
/// The first rule broken.
pub fn check_issuer_identifier(issuer: &str) -> Result<Url, WellKnownError> {
    let url = parse_web_url(issuer)?;
    if url.query().is_some() || issuer.contains('?') {
        return Err(WellKnownError::HasQuery);
    }
    Ok(url)
}

/// An endpoint URL in a metadata document: absolute, `https` (or loopback `http`), no fragment
/// (RFC 6749 §3.1, §3.2: endpoint URIs MUST NOT include a fragment; a query is allowed).
///
/// # Errors
/// The first rule broken.
pub fn check_endpoint_url(endpoint: &str) -> Result<Url, WellKnownError> {
    parse_web_url(endpoint)
}

/// `scheme://host[:port]` of a parsed URL (the url crate has already lowercased scheme and host and
/// dropped a default port).
fn origin_of(url: &Url) -> String {
    let host = match url.host() {
        Some(Host::Ipv6(a)) => format!("[{a}]"),
        Some(h) => format!("{h}"),
        None => String::new(),
    };
    match url.port() {
        Some(p) => format!("{}://{}:{}", url.scheme(), host, p),
        None => format!("{}://{}", url.scheme(), host),
    }
}

/// The path with any terminating `/` removed (RFC 8414 §3.1), empty for the root.
fn trimmed_path(url: &Url) -> &str {
    url.path().trim_end_matches('/')
}

/// RFC 8414 §3.1: `{origin}/.well-known/oauth-authorization-server{path}`.
///
/// # Errors
/// `issuer` is not a valid issuer identifier ([`check_issuer_identifier`]).
pub fn oauth_authorization_server_url(issuer: &str) -> Result<String, WellKnownError> {
    let url = check_issuer_identifier(issuer)?;
    Ok(format!(
        "{}/.well-known/oauth-authorization-server{}",
        origin_of(&url),
        trimmed_path(&url)
    ))
}

/// OpenID Connect Discovery 1.0 §4: `{issuer without trailing /}/.well-known/openid-configuration`.
///
/// # Errors
/// `issuer` is not a valid issuer identifier ([`check_issuer_identifier`]).
pub fn openid_configuration_url(issuer: &str) -> Result<String, WellKnownError> {
    let url = check_issuer_identifier(issuer)?;
    Ok(format!(
        "{}{}/.well-known/openid-configuration",
        origin_of(&url),
        trimmed_path(&url)
    ))
}

/// The MCP authorization spec's discovery order for an issuer.
///
/// With a path component (`https://auth.example.com/tenant1`):
/// 1. `https://auth.example.com/.well-known/oauth-authorization-server/tenant1` (RFC 8414, path inserted)
/// 2. `https://auth.example.com/.well-known/openid-configuration/tenant1` (OIDC, path inserted)
/// 3. `https://auth.example.com/tenant1/.well-known/openid-configuration` (OIDC Discovery §4, appended)
///
/// Without one: `/.well-known/oauth-authorization-server`, then `/.well-known/openid-configuration`.
///
/// # Errors
/// `issuer` is not a valid issuer identifier ([`check_issuer_identifier`]).
pub fn authorization_server_metadata_urls(issuer: &str) -> Result<Vec<String>, WellKnownError> {
    let url = check_issuer_identifier(issuer)?;
    let origin = origin_of(&url);
    let path = trimmed_path(&url);
    if path.is_empty() {
        return Ok(alloc::vec![
            format!("{origin}/.well-known/oauth-authorization-server"),
            format!("{origin}/.well-known/openid-configuration"),
        ]);
    }
    Ok(alloc::vec![
        format!("{origin}/.well-known/oauth-authorization-server{path}"),
        format!("{origin}/.well-known/openid-configuration{path}"),
        format!("{origin}{path}/.well-known/openid-configuration"),
    ])
}

/// RFC 9728 §3.1 and the MCP fallback: the protected resource metadata URLs to try for a resource,
/// path-inserted first (`https://mcp.example.com/.well-known/oauth-protected-resource/mcp`), then the
/// root (`https://mcp.example.com/.well-known/oauth-protected-resource`). A resource at the root
/// has just one. A query component of the resource is kept after the inserted path (RFC 9728 §3.1).
///
/// # Errors
/// `resource` is not an absolute https (or loopback http) URL without fragment.
pub fn protected_resource_metadata_urls(resource: &str) -> Result<Vec<String>, WellKnownError> {
    let url = parse_web_url(resource)?;
    let origin = origin_of(&url);
    let path = trimmed_path(&url);
    let root = format!("{origin}/.well-known/oauth-protected-resource");
    let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
    if path.is_empty() && query.is_empty() {
        return Ok(alloc::vec![root]);
    }
    Ok(alloc::vec![format!("{root}{path}{query}"), root])
}

/// The well-known URL a resource server publishes its metadata at (RFC 9728 §3.1, path inserted).
///
/// # Errors
/// As [`protected_resource_metadata_urls`].
pub fn protected_resource_metadata_url(resource: &str) -> Result<String, WellKnownError> {
    protected_resource_metadata_urls(resource).map(|mut v| v.swap_remove(0))
}

/// The canonical form of a resource identifier (RFC 8707 §2; MCP "Canonical Server URI"): an
/// absolute https (or loopback http) URI without fragment, scheme and host lowercased, default port
/// dropped, and no trailing `/` when the path is the root (`https://mcp.example.com`). A trailing
/// slash on a longer path is kept: it may be significant. Query components are kept.
///
/// Compare resource identifiers by their canonical forms, byte for byte.
///
/// # Errors
/// The first rule broken.
pub fn canonical_resource_uri(resource: &str) -> Result<String, WellKnownError> {
    let url = parse_web_url(resource)?;
    let mut out = origin_of(&url);
    if url.path() != "/" {
        out.push_str(url.path());
    }
    if let Some(q) = url.query() {
        out.push('?');
        out.push_str(q);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc8414_path_insertion() {
        // RFC 8414 §3.1's example.
        assert_eq!(
            oauth_authorization_server_url("https://example.com/issuer1").unwrap(),
            "https://example.com/.well-known/oauth-authorization-server/issuer1"
        );
        assert_eq!(
            oauth_authorization_server_url("https://example.com/").unwrap(),
            "https://example.com/.well-known/oauth-authorization-server"
        );
        assert_eq!(
            openid_configuration_url("https://example.com/issuer1/").unwrap(),
            "https://example.com/issuer1/.well-known/openid-configuration"
        );
    }

    #[test]
    fn mcp_discovery_order() {
        assert_eq!(
            authorization_server_metadata_urls("https://auth.example.com/tenant1").unwrap(),
            [
                "https://auth.example.com/.well-known/oauth-authorization-server/tenant1",
                "https://auth.example.com/.well-known/openid-configuration/tenant1",
                "https://auth.example.com/tenant1/.well-known/openid-configuration",
            ]
        );
        assert_eq!(
            authorization_server_metadata_urls("https://auth.example.com").unwrap(),
            [
                "https://auth.example.com/.well-known/oauth-authorization-server",
                "https://auth.example.com/.well-known/openid-configuration",
            ]
        );
        assert_eq!(
            authorization_server_metadata_urls("https://a.example?x").unwrap_err(),
            WellKnownError::HasQuery
        );
    }

    #[test]
    fn rfc9728_urls() {
        // RFC 9728 §3.1's example.
        assert_eq!(
            protected_resource_metadata_urls("https://resource.example.com/resource1").unwrap(),
            [
                "https://resource.example.com/.well-known/oauth-protected-resource/resource1",
                "https://resource.example.com/.well-known/oauth-protected-resource",
            ]
        );
        assert_eq!(
            protected_resource_metadata_urls("https://resource.example.com").unwrap(),
            ["https://resource.example.com/.well-known/oauth-protected-resource"]
        );
        assert_eq!(
            protected_resource_metadata_url("http://127.0.0.1:3000/mcp").unwrap(),
            "http://127.0.0.1:3000/.well-known/oauth-protected-resource/mcp"
        );
    }

    #[test]
    fn canonical_uris() {
        // The MCP spec's valid and invalid examples.
        for (input, want) in [
            ("https://mcp.example.com/mcp", "https://mcp.example.com/mcp"),
            ("https://mcp.example.com", "https://mcp.example.com"),
            ("https://mcp.example.com/", "https://mcp.example.com"),
            (
                "https://mcp.example.com:8443",
                "https://mcp.example.com:8443",
            ),
            (
                "https://mcp.example.com/server/mcp",
                "https://mcp.example.com/server/mcp",
            ),
            (
                "HTTPS://MCP.Example.COM:443/MCP",
                "https://mcp.example.com/MCP",
            ),
            ("http://[::1]:8080/x/", "http://[::1]:8080/x/"),
        ] {
            assert_eq!(canonical_resource_uri(input).unwrap(), want, "{input}");
        }
        assert_eq!(
            canonical_resource_uri("mcp.example.com").unwrap_err(),
            WellKnownError::NotAbsoluteUrl
        );
        assert_eq!(
            canonical_resource_uri("https://mcp.example.com#fragment").unwrap_err(),
            WellKnownError::HasFragment
        );
        assert_eq!(
            canonical_resource_uri("http://mcp.example.com/mcp").unwrap_err(),
            WellKnownError::SchemeNotAllowed
        );
        assert_eq!(
            canonical_resource_uri("https://u:p@mcp.example.com").unwrap_err(),
            WellKnownError::HasUserinfo
        );
    }
}
