//! Authorization server metadata discovery: RFC 8414 §3 and OpenID Connect Discovery 1.0 §4, in
//! the order the MCP authorization specification tells clients to try.

use alloc::string::String;
use alloc::vec::Vec;

use super::ClientError;
use super::common::check_json_response;
use crate::http::{HttpRequest, HttpResponse};
use crate::metadata::AuthorizationServerMetadata;
use crate::metadata::well_known;

/// The metadata requests to try for `issuer`, in order (`GET`, `Accept: application/json`):
/// RFC 8414 path-inserted `oauth-authorization-server`, OIDC path-inserted
/// `openid-configuration`, then OIDC appended `openid-configuration`
/// ([`well_known::authorization_server_metadata_urls`]). Send the next when one fails (a 404, or
/// a response [`process_discovery_response`] refuses); never use a document whose `issuer` differs.
///
/// # Errors
/// [`ClientError::InvalidUrl`] when `issuer` is not an issuer identifier (RFC 8414 §2).
pub fn discovery_requests(issuer: &str) -> Result<Vec<HttpRequest>, ClientError> {
    Ok(well_known::authorization_server_metadata_urls(issuer)?
        .into_iter()
        .map(|url| HttpRequest::get(url).with_accept_json())
        .collect())
}

/// The first metadata request for `issuer` (RFC 8414 §3.1, path inserted). See
/// [`discovery_requests`] for the whole list in the MCP order.
///
/// # Errors
/// [`ClientError::InvalidUrl`] when `issuer` is not an issuer identifier (RFC 8414 §2).
pub fn discovery_request(issuer: &str) -> Result<HttpRequest, ClientError> {
    let url: String = well_known::oauth_authorization_server_url(issuer)?;
    Ok(HttpRequest::get(url).with_accept_json())
}

/// Checks a metadata response and returns the document.
///
/// Checks, in order: status 200 (RFC 8414 §3.2), `Content-Type: application/json`, strict JSON
/// with the document's own rules ([`AuthorizationServerMetadata::from_json`]), and `issuer` equal to
/// `expected_issuer` byte for byte (RFC 8414 §3.3, OIDC Discovery §4.3: no normalisation).
///
/// Pair: [`discovery_request`] / [`discovery_requests`].
///
/// # Errors
/// [`ClientError::UnexpectedStatus`], [`ClientError::NotJson`], [`ClientError::Document`], or
/// [`ClientError::IssuerMismatch`].
pub fn process_discovery_response(
    expected_issuer: &str,
    resp: &HttpResponse,
) -> Result<AuthorizationServerMetadata, ClientError> {
    check_json_response(resp, 200)?;
    let meta = AuthorizationServerMetadata::from_json(&resp.body)?;
    // RFC 8414 §3.3: "The "issuer" value returned MUST be identical to the authorization
    // server's issuer identifier value into which the well-known URI string was inserted".
    // Q: compare after normalising a trailing slash or letter case? A: no, identical means
    // byte for byte (the MCP spec repeats it: no case folding, no port or slash normalisation).
    if meta.issuer != expected_issuer {
        return Err(ClientError::IssuerMismatch {
            expected: expected_issuer.into(),
            actual: meta.issuer,
        });
    }
    Ok(meta)
}
