//! Getting a client identifier: RFC 7591 dynamic client registration (§3.1 request, §3.2
//! response), and Client ID Metadata Documents (the `client_id` is the https URL of a document
//! the client publishes; MCP 2025-11-25 "CIMD").

use alloc::string::String;
use alloc::vec::Vec;

use super::ClientError;
use super::common::{check_json_response, endpoint, post_json};
use crate::http::{HttpRequest, HttpResponse};
use crate::metadata::well_known;
use crate::metadata::{
    AuthorizationServerMetadata, ClientInformation, ClientMetadata, RegistrationLeniency,
    WellKnownError,
};

/// The registration request (RFC 7591 §3.1): `POST` of `metadata` as JSON to the
/// `registration_endpoint`, with `Authorization: Bearer` when an initial access token is given.
///
/// # Errors
/// [`ClientError::MissingEndpoint`]; [`ClientError::InvalidRequest`] when `application_type` is
/// absent (MCP 2026-07-28 requires it: `native` for loopback/CLI/desktop clients, `web` otherwise)
/// or `metadata` carries a `client_id` (the server assigns it).
pub fn registration_request(
    meta: &AuthorizationServerMetadata,
    metadata: &ClientMetadata,
    initial_access_token: Option<&str>,
) -> Result<HttpRequest, ClientError> {
    let url = endpoint(meta.registration_endpoint.as_ref(), "registration_endpoint")?;
    if metadata.application_type.is_none() {
        return Err(ClientError::InvalidRequest(
            "application_type is required (MCP registration; OIDC Registration §2)",
        ));
    }
    if metadata.client_id.is_some() {
        return Err(ClientError::InvalidRequest(
            "client_id is assigned by the server (RFC 7591 §3.2.1)",
        ));
    }
    let mut req = post_json(url, metadata.to_json())?;
    if let Some(token) = initial_access_token {
        req = req.with_header("Authorization", alloc::format!("Bearer {token}"))?;
    }
    Ok(req)
}

/// Checks a registration response (RFC 7591 §3.2.1): status 201 (else the §3.2.2 error as
/// [`ClientError::ErrorResponse`], e.g. `invalid_redirect_uri`), JSON, a valid
/// [`ClientInformation`], and every redirect URI the client asked for registered unchanged (a
/// server may replace metadata; a client cannot use a redirect URI it does not know).
///
/// # Errors
/// The [`ClientError`] of the first failed check;
/// [`ClientError::RedirectUrisNotRegistered`] for the last one.
pub fn process_registration_response(
    requested: &ClientMetadata,
    resp: &HttpResponse,
) -> Result<ClientInformation, ClientError> {
    process_registration_response_with(requested, resp, RegistrationLeniency::Strict)
}

/// As [`process_registration_response`], reading the document with a named
/// [`RegistrationLeniency`] (for example `MissingSecretExpiry` for servers that
/// omit `client_secret_expires_at`); every other check runs.
///
/// # Errors
/// As [`process_registration_response`], less the rule `leniency` relaxes.
pub fn process_registration_response_with(
    requested: &ClientMetadata,
    resp: &HttpResponse,
    leniency: RegistrationLeniency,
) -> Result<ClientInformation, ClientError> {
    check_json_response(resp, 201)?;
    let info = ClientInformation::from_json_with(&resp.body, leniency)?;
    if let Some(wanted) = &requested.redirect_uris {
        let got = info.metadata.redirect_uris.as_deref().unwrap_or_default();
        if !wanted.iter().all(|w| got.contains(w)) {
            return Err(ClientError::RedirectUrisNotRegistered);
        }
    }
    Ok(info)
}

/// How a Client ID Metadata Document client authenticates.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum CimdAuth {
    /// A public client (`token_endpoint_auth_method: none`).
    None,
    /// `private_key_jwt` with the public keys at this https URL.
    PrivateKeyJwtUri(String),
    /// `private_key_jwt` with these public keys (a JWK Set object) in the document.
    PrivateKeyJwtKeys(serde_json::Value),
}

/// Builds a Client ID Metadata Document: `client_id` = `document_url` (which must be an https URL
/// with a path, since it is where the document is served), `client_name`, `redirect_uris`, the
/// authentication method (`none` or `private_key_jwt`; never a secret: the document is public).
/// Serve [`ClientMetadata::to_json`] at `document_url` and use the URL as `client_id`.
///
/// # Errors
/// [`ClientError::InvalidUrl`] when `document_url` is not https with a non-root path, or a
/// redirect URI or `jwks_uri` is malformed; [`ClientError::InvalidRequest`] without a redirect
/// URI.
pub fn client_id_metadata_document(
    document_url: &str,
    client_name: &str,
    redirect_uris: &[&str],
    auth: CimdAuth,
) -> Result<ClientMetadata, ClientError> {
    check_document_url(document_url)?;
    if redirect_uris.is_empty() {
        return Err(ClientError::InvalidRequest(
            "a Client ID Metadata Document lists redirect_uris",
        ));
    }
    for r in redirect_uris {
        if r.contains('#') {
            return Err(ClientError::InvalidUrl(WellKnownError::HasFragment));
        }
    }
    let mut doc = ClientMetadata {
        client_id: Some(String::from(document_url)),
        client_name: Some(String::from(client_name)),
        redirect_uris: Some(
            redirect_uris
                .iter()
                .map(|s| String::from(*s))
                .collect::<Vec<_>>(),
        ),
        grant_types: Some(alloc::vec![
            String::from("authorization_code"),
            String::from("refresh_token")
        ]),
        response_types: Some(alloc::vec![String::from("code")]),
        ..ClientMetadata::default()
    };
    match auth {
        CimdAuth::None => doc.token_endpoint_auth_method = Some(String::from("none")),
        CimdAuth::PrivateKeyJwtUri(uri) => {
            well_known::check_endpoint_url(&uri)?;
            doc.token_endpoint_auth_method = Some(String::from("private_key_jwt"));
            doc.jwks_uri = Some(uri);
        }
        CimdAuth::PrivateKeyJwtKeys(keys) => {
            doc.token_endpoint_auth_method = Some(String::from("private_key_jwt"));
            doc.jwks = Some(keys);
        }
    }
    Ok(doc)
}

/// CIMD: the `client_id` URL is https, has a path component, no fragment, no userinfo.
fn check_document_url(url: &str) -> Result<(), ClientError> {
    let parsed = well_known::check_endpoint_url(url)?;
    if parsed.scheme() != "https" {
        return Err(ClientError::InvalidUrl(WellKnownError::SchemeNotAllowed));
    }
    if parsed.path() == "/" || parsed.path().is_empty() {
        return Err(ClientError::InvalidRequest(
            "a Client ID Metadata Document URL must have a path",
        ));
    }
    Ok(())
}

/// Whether to use a Client ID Metadata Document with a server that does not advertise support.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CimdPolicy {
    /// Use it only when the server sets `client_id_metadata_document_supported: true` (the
    /// default, MCP registration priority).
    RequireAdvertised,
    /// Use it anyway (a server known to support it without saying so).
    AssumeSupported,
}

/// The `client_id` to use with `meta`: the document's URL (its `client_id`), when the server
/// supports Client ID Metadata Documents.
///
/// # Errors
/// [`ClientError::ClientIdMetadataDocumentNotSupported`] when the server does not advertise
/// support and `policy` is [`CimdPolicy::RequireAdvertised`]; [`ClientError::InvalidRequest`] when
/// `document` has no `client_id`, or a `client_secret`.
pub fn cimd_client_id<'d>(
    meta: &AuthorizationServerMetadata,
    document: &'d ClientMetadata,
    policy: CimdPolicy,
) -> Result<&'d str, ClientError> {
    if meta.client_id_metadata_document_supported != Some(true)
        && policy == CimdPolicy::RequireAdvertised
    {
        return Err(ClientError::ClientIdMetadataDocumentNotSupported);
    }
    if document.additional.contains_key("client_secret") {
        return Err(ClientError::InvalidRequest(
            "a Client ID Metadata Document must not hold a client_secret",
        ));
    }
    let id = document
        .client_id
        .as_deref()
        .ok_or(ClientError::InvalidRequest(
            "a Client ID Metadata Document has client_id = its URL",
        ))?;
    check_document_url(id)?;
    Ok(id)
}
