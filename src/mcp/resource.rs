//! The MCP server as an OAuth resource server (MCP authorization, 2025-06-18
//! onward): presets over [`crate::resource::ResourceServer`], no logic of its own.
//!
//! - the audience is the MCP server's canonical URI (RFC 8707 §2; MCP
//!   "Canonical Server URI"), and tokens for anyone else are refused;
//! - the protected resource metadata is served at the path-inserted well-known
//!   URL (RFC 9728 §3.1) and lists the authorization server(s);
//! - every challenge carries `resource_metadata` (RFC 9728 §5.1) and `scope`
//!   (RFC 6750 §3; MCP: all scopes needed, in one challenge);
//! - only the `Authorization` header carries tokens (MCP: never the query);
//! - `offline_access` is neither advertised nor challenged (MCP 2026-07-28);
//! - scope hierarchies are honoured (MCP 2026-07-28: "Servers MUST honour scope
//!   hierarchies"): [`with_scope_hierarchy`] declares which scope implies which;
//!   nothing is inferred from the scope strings;
//! - no token passthrough: the [`Principal`](crate::resource::Principal) never
//!   exposes the token.

use crate::jose::JwkSet;
use crate::metadata::WellKnownError;
use crate::resource::{ResourceServer, ScopeHierarchy, ScopeHierarchyError};
use alloc::vec::Vec;
use core::fmt;

/// Why the MCP preset could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum McpResourceError {
    /// The MCP server URL is not a valid resource identifier (RFC 8707 §2).
    Resource(WellKnownError),
    /// No scope to put in challenges (MCP: challenges carry `scope`).
    NoScopes,
    /// The declared scope hierarchy was refused (a cycle, or not a scope token).
    ScopeHierarchy(ScopeHierarchyError),
}

impl fmt::Display for McpResourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Resource(e) => write!(f, "mcp: invalid server url: {e}"),
            Self::NoScopes => {
                f.write_str("mcp: at least one scope is needed for challenges (RFC 6750 §3)")
            }
            Self::ScopeHierarchy(e) => write!(f, "mcp: {e}"),
        }
    }
}

impl core::error::Error for McpResourceError {}

/// A resource server for the MCP server at `mcp_server_url`, trusting JWT
/// access tokens from `authorization_server` signed with `keys`, and requiring
/// `scopes` (also advertised as `scopes_supported`).
///
/// # Errors
/// [`McpResourceError`].
pub fn resource_server(
    mcp_server_url: &str,
    authorization_server: &str,
    keys: JwkSet,
    scopes: &[&str],
) -> Result<ResourceServer, McpResourceError> {
    Ok(base(mcp_server_url, scopes)?.with_issuer(authorization_server, keys))
}

/// As [`resource_server`], with the authorization server's keys taken from a
/// [`JwksCache`](crate::resource::JwksCache) for that issuer at each call of
/// [`ResourceServer::authenticate_with_jwks`] (key rotation without restarts).
///
/// # Errors
/// [`McpResourceError`].
pub fn resource_server_with_jwks(
    mcp_server_url: &str,
    authorization_server: &str,
    scopes: &[&str],
) -> Result<ResourceServer, McpResourceError> {
    Ok(base(mcp_server_url, scopes)?.with_trusted_issuer(authorization_server))
}

/// `rs` (one of the presets above) honouring the server's scope hierarchy:
/// `implies` edges `(a, b)` read "scope `a` implies scope `b`" (e.g.
/// `("files:write", "files:read")`, `("admin", "files:write")`), closed
/// transitively; a required scope is satisfied by itself or by any scope
/// implying it. MCP 2026-07-28, server checklist: "Servers MUST honour scope
/// hierarchies". Challenges keep naming the scopes the operation requires (MCP:
/// all of them in one challenge). See [`ScopeHierarchy`].
///
/// ```
/// # use oauth_core::mcp::resource::{resource_server_with_jwks, with_scope_hierarchy};
/// let rs = resource_server_with_jwks("https://mcp.example.com/mcp", "https://as.example.com", &["files:read"])?;
/// let rs = with_scope_hierarchy(rs, &[("files:write", "files:read"), ("admin", "files:write")])?;
/// assert!(rs.scope_hierarchy().satisfies(&["admin"], "files:read"));
/// # Ok::<(), oauth_core::mcp::resource::McpResourceError>(())
/// ```
///
/// # Errors
/// [`McpResourceError::ScopeHierarchy`] for a cycle or an invalid scope
/// (refused at build time, never followed).
pub fn with_scope_hierarchy(
    rs: ResourceServer,
    implies: &[(&str, &str)],
) -> Result<ResourceServer, McpResourceError> {
    let h = ScopeHierarchy::new(implies).map_err(McpResourceError::ScopeHierarchy)?;
    Ok(rs.with_scope_hierarchy(h))
}

fn base(mcp_server_url: &str, scopes: &[&str]) -> Result<ResourceServer, McpResourceError> {
    let scopes: Vec<&str> = scopes
        .iter()
        .copied()
        .filter(|s| !s.is_empty() && *s != "offline_access")
        .collect();
    if scopes.is_empty() {
        return Err(McpResourceError::NoScopes);
    }
    Ok(ResourceServer::new(mcp_server_url)
        .map_err(McpResourceError::Resource)?
        .with_required_scopes(&scopes)
        .with_scopes_supported(&scopes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preset() {
        let rs = resource_server(
            "HTTPS://MCP.Example.com/mcp",
            "https://as.example.com",
            JwkSet::from_keys(Vec::new()),
            &["mcp:tools", "offline_access"],
        )
        .unwrap();
        assert_eq!(rs.resource(), "https://mcp.example.com/mcp");
        assert_eq!(
            rs.metadata_url(),
            "https://mcp.example.com/.well-known/oauth-protected-resource/mcp"
        );
        let m = rs.metadata();
        assert_eq!(
            m.scopes_supported.as_deref(),
            Some(&["mcp:tools".into()][..])
        );
        assert_eq!(
            m.authorization_servers.as_deref(),
            Some(&["https://as.example.com".into()][..])
        );
        assert_eq!(
            m.bearer_methods_supported.as_deref(),
            Some(&["header".into()][..])
        );
        // A request without credentials: 401 with resource_metadata and scope.
        let req = crate::http::HttpRequest::get("/mcp");
        let c = rs
            .authenticate(&req, crate::time::UnixTime::from_secs(1))
            .unwrap_err();
        assert_eq!(
            c.www_authenticate(),
            r#"Bearer scope="mcp:tools", resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp""#
        );
        assert_eq!(
            resource_server(
                "https://m.example",
                "https://a.example",
                JwkSet::from_keys(Vec::new()),
                &["offline_access"]
            )
            .unwrap_err(),
            McpResourceError::NoScopes
        );
        let j = resource_server_with_jwks("https://m.example/mcp", "https://a.example", &["x"])
            .unwrap();
        assert_eq!(
            j.metadata().authorization_servers.as_deref(),
            Some(&["https://a.example".into()][..])
        );
        assert!(matches!(
            resource_server(
                "http://m.example",
                "https://a.example",
                JwkSet::from_keys(Vec::new()),
                &["x"]
            )
            .unwrap_err(),
            McpResourceError::Resource(_)
        ));
    }
}
