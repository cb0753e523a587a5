//! JWT-Secured Authorization Requests (RFC 9101): verifying a `request` object signed with the
//! client's registered keys, whose claims are then the request's only parameters (RFC 9101 §5).

use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use super::authorize::{AuthorizePolicy, Params};
use super::client::RegisteredClient;
use super::error::AuthorizeError;
use crate::jose::{HeaderPolicy, JoseError, verify_compact};
use crate::time::UnixTime;

/// RFC 9101 §10.8: the media type of a request object (`typ` header).
pub const REQUEST_OBJECT_TYP: &str = "oauth-authz-req+jwt";

/// The largest request object accepted, in bytes.
pub const MAX_REQUEST_OBJECT_LEN: usize = 16 * 1024;

/// Leeway for `exp`, `nbf` and `iat`, in seconds.
const LEEWAY_SECS: u64 = 60;

/// [`verify_request_object_pairs`] as the endpoint's parameter set.
pub(crate) fn verify_request_object(
    policy: &AuthorizePolicy,
    client: &RegisteredClient,
    jwt: &str,
    now: UnixTime,
) -> Result<Params, AuthorizeError> {
    let pairs = verify_request_object_pairs(policy, client, jwt, now)?;
    Ok(Params(pairs))
}

/// Verifies a request object from `client` and returns its parameters as name/value pairs.
///
/// Checks (RFC 9101 §6, RFC 8725): size; signature under the client's registered keys, the key
/// pinning the algorithm, asymmetric algorithms only (a request object MAC'd with the client
/// secret is not accepted); `typ` absent, `JWT` or `oauth-authz-req+jwt` (RFC 9101 §10.8);
/// strict JSON claims; `iss` = `client_id` and `aud` containing the issuer (RFC 9101 §4, §10.2);
/// `exp` required, not past, within the policy's maximum lifetime; `nbf`/`iat` not in the future;
/// a `client_id` claim, if present, equal to the client's (RFC 9101 §6.3); no nested `request`
/// or `request_uri`.
///
/// Parameters are the remaining claims: strings as they are, numbers and booleans as their JSON
/// text, an array of strings as a repeated parameter (for `resource`), objects (`claims`,
/// `authorization_details`) as JSON text.
///
/// # Errors
/// [`AuthorizeError::RequestObject`] or [`AuthorizeError::RequestObjectClaim`].
pub fn verify_request_object_pairs(
    policy: &AuthorizePolicy,
    client: &RegisteredClient,
    jwt: &str,
    now: UnixTime,
) -> Result<Vec<(String, String)>, AuthorizeError> {
    let obj_err = AuthorizeError::RequestObject;
    let claim = AuthorizeError::RequestObjectClaim;
    if jwt.len() > MAX_REQUEST_OBJECT_LEN {
        return Err(obj_err(JoseError::TooLarge {
            max: MAX_REQUEST_OBJECT_LEN,
        }));
    }
    let keys = client
        .jwks
        .as_deref()
        .ok_or(obj_err(JoseError::KeyNotFound))?;
    let mut scratch = vec![0u8; jwt.len()];
    let header_policy = HeaderPolicy {
        understood_critical: &[],
    };
    let verified =
        verify_compact(jwt, keys.keys(), &header_policy, &mut scratch).map_err(obj_err)?;
    let header = verified.header();
    // RFC 8725 §3.1: only the client's public keys; a symmetric key in its set is not used here.
    if header.alg().is_symmetric() {
        return Err(obj_err(JoseError::UnsupportedAlgorithm));
    }
    // RFC 9101 §10.8 / RFC 8725 §3.11: a JWT typed as something else is not a request object.
    if header.typ().is_some() && !header.typ_is(REQUEST_OBJECT_TYP) && !header.typ_is("JWT") {
        return Err(obj_err(JoseError::InvalidType));
    }
    let claims: serde_json::Map<String, serde_json::Value> =
        crate::encoding::document::from_slice_strict(verified.payload())
            .map_err(|_| claim("payload"))?;
    // RFC 9101 §10.2: iss is the client, aud the authorization server.
    if claims.get("iss").and_then(|v| v.as_str()) != Some(client.client_id.as_str()) {
        return Err(claim("iss"));
    }
    let aud_ok = match claims.get("aud") {
        Some(serde_json::Value::String(a)) => *a == policy.issuer,
        Some(serde_json::Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(&policy.issuer)),
        _ => false,
    };
    if !aud_ok {
        return Err(claim("aud"));
    }
    let now_s = now.as_secs();
    let exp = claims
        .get("exp")
        .and_then(serde_json::Value::as_u64)
        .ok_or(claim("exp"))?;
    if now_s >= exp.saturating_add(LEEWAY_SECS) {
        return Err(obj_err(JoseError::Expired));
    }
    if exp > now_s.saturating_add(policy.request_object_max_lifetime.as_secs()) {
        return Err(claim("exp"));
    }
    for (name, err) in [
        ("nbf", JoseError::NotYetValid),
        ("iat", JoseError::IssuedInFuture),
    ] {
        match claims.get(name) {
            None => {}
            Some(v) => match v.as_u64() {
                Some(t) if t <= now_s.saturating_add(LEEWAY_SECS) => {}
                Some(_) => return Err(obj_err(err)),
                None => return Err(claim(name)),
            },
        }
    }
    if let Some(id) = claims.get("client_id")
        && id.as_str() != Some(client.client_id.as_str())
    {
        return Err(AuthorizeError::ClientIdMismatch);
    }
    if claims.contains_key("request") || claims.contains_key("request_uri") {
        return Err(AuthorizeError::RequestAndRequestUri);
    }
    let mut pairs = Vec::with_capacity(claims.len());
    for (name, value) in &claims {
        if matches!(name.as_str(), "iss" | "aud" | "exp" | "nbf" | "iat" | "jti") {
            continue;
        }
        match value {
            serde_json::Value::Null => {}
            serde_json::Value::String(s) => pairs.push((name.clone(), s.clone())),
            serde_json::Value::Array(items) if name == "resource" => {
                for item in items {
                    let s = item.as_str().ok_or(claim("resource"))?;
                    pairs.push((name.clone(), s.to_string()));
                }
            }
            // RFC 9396 §2: authorization_details is a JSON array, passed on as JSON text.
            serde_json::Value::Array(_) if name == "authorization_details" => {
                pairs.push((name.clone(), value.to_string()));
            }
            serde_json::Value::Array(_) => return Err(claim("array parameter")),
            other => pairs.push((name.clone(), other.to_string())),
        }
    }
    Ok(pairs)
}
