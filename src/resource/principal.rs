//! [`Principal`]: who is calling, as established by the resource server.

use super::bearer::TokenScheme;
use super::introspection::{Actor, IntrospectedToken, act_chain};
use crate::encoding::json::JsonValue;
use crate::jose::VerifiedJwt;
use crate::time::UnixTime;
use alloc::borrow::ToOwned as _;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::Value;

/// How the token was validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenKind {
    /// A JWT access token (RFC 9068).
    Jwt,
    /// An introspected token (RFC 7662).
    Introspection,
}

/// Who is calling, established by [`ResourceServer::authenticate`](super::ResourceServer::authenticate) after every
/// check passed. A proof type: only this module builds one.
///
/// # Security
/// It never holds the access token: a resource server must not pass the token
/// it received to another service (MCP "token passthrough" ban); getting a token
/// for an upstream API is an explicit token exchange (RFC 8693).
#[derive(Clone, Debug, PartialEq)]
pub struct Principal {
    kind: TokenKind,
    scheme: TokenScheme,
    issuer: String,
    subject: Option<String>,
    client_id: Option<String>,
    scopes: Vec<String>,
    audience: Vec<String>,
    expires_at: Option<UnixTime>,
    issued_at: Option<UnixTime>,
    jti: Option<String>,
    act: Vec<Actor>,
    cnf_jkt: Option<String>,
    authorization_details: Option<Value>,
    groups: Vec<String>,
    roles: Vec<String>,
    entitlements: Vec<String>,
}

impl Principal {
    /// JWT or introspection.
    #[must_use]
    pub fn kind(&self) -> TokenKind {
        self.kind
    }
    /// `Bearer` or `DPoP` (then the proof's key matched `cnf.jkt`).
    #[must_use]
    pub fn scheme(&self) -> TokenScheme {
        self.scheme
    }
    /// The issuer (`iss`), one of the configured ones.
    #[must_use]
    pub fn issuer(&self) -> &str {
        &self.issuer
    }
    /// The subject (`sub`).
    #[must_use]
    pub fn subject(&self) -> Option<&str> {
        self.subject.as_deref()
    }
    /// The client the token was issued to (`client_id`, RFC 9068 §2.2).
    #[must_use]
    pub fn client_id(&self) -> Option<&str> {
        self.client_id.as_deref()
    }
    /// The granted scopes (`scope`, space-delimited, RFC 9068 §2.2.3).
    #[must_use]
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }
    /// Whether `scope` was granted.
    #[must_use]
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
    /// The audiences (`aud`); this resource is among them when present.
    #[must_use]
    pub fn audience(&self) -> &[String] {
        &self.audience
    }
    /// Expiry (`exp`).
    #[must_use]
    pub fn expires_at(&self) -> Option<UnixTime> {
        self.expires_at
    }
    /// Issue time (`iat`).
    #[must_use]
    pub fn issued_at(&self) -> Option<UnixTime> {
        self.issued_at
    }
    /// The token identifier (`jti`), e.g. for audit logs.
    #[must_use]
    pub fn jti(&self) -> Option<&str> {
        self.jti.as_deref()
    }
    /// The delegation chain (`act`, RFC 8693 §4.1): the current actor first.
    #[must_use]
    pub fn act_chain(&self) -> &[Actor] {
        &self.act
    }
    /// The key the token is bound to (`cnf.jkt`, RFC 9449 §6).
    #[must_use]
    pub fn cnf_jkt(&self) -> Option<&str> {
        self.cnf_jkt.as_deref()
    }
    /// `authorization_details` (RFC 9396 §9.1), as sent.
    #[must_use]
    pub fn authorization_details(&self) -> Option<&Value> {
        self.authorization_details.as_ref()
    }
    /// `groups` (RFC 9068 §2.2.3.1).
    #[must_use]
    pub fn groups(&self) -> &[String] {
        &self.groups
    }
    /// `roles` (RFC 9068 §2.2.3.1).
    #[must_use]
    pub fn roles(&self) -> &[String] {
        &self.roles
    }
    /// `entitlements` (RFC 9068 §2.2.3.1).
    #[must_use]
    pub fn entitlements(&self) -> &[String] {
        &self.entitlements
    }
}

impl Principal {
    /// The principal of an introspected token (RFC 7662 §2.2 members).
    pub(super) fn from_introspection(
        introspected: &IntrospectedToken,
        scheme: TokenScheme,
    ) -> Self {
        Principal {
            kind: TokenKind::Introspection,
            scheme,
            issuer: introspected.issuer.clone(),
            subject: introspected.subject.clone(),
            client_id: introspected.client_id.clone(),
            scopes: split_scope(introspected.scope.as_deref()),
            audience: introspected.audience.clone(),
            expires_at: introspected.expires_at,
            issued_at: introspected.issued_at,
            jti: introspected
                .members
                .get("jti")
                .and_then(Value::as_str)
                .map(str::to_owned),
            act: introspected.act.clone(),
            cnf_jkt: introspected.cnf_jkt.clone(),
            authorization_details: introspected.members.get("authorization_details").cloned(),
            groups: strings(introspected.members.get("groups")),
            roles: strings(introspected.members.get("roles")),
            entitlements: strings(introspected.members.get("entitlements")),
        }
    }
}

/// RFC 6749 §3.3: space-delimited scope tokens.
fn split_scope(scope: Option<&str>) -> Vec<String> {
    scope
        .map(|s| {
            s.split(' ')
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(s)) => alloc::vec![s.clone()],
        _ => Vec::new(),
    }
}

/// A claim holding JSON as a `serde_json::Value` (rare claims only); `None`
/// for a scalar other than a string.
fn json_value(v: JsonValue<'_>) -> Option<Value> {
    let raw: &[u8] = match v {
        JsonValue::Object(o) => o.raw(),
        JsonValue::Array(a) => a.raw(),
        JsonValue::String(s) => return Some(Value::String(s.to_cow().into_owned())),
        _ => return None,
    };
    serde_json::from_slice(raw).ok()
}

/// An array of strings (RFC 9068 §2.2.3.1 `groups`, `roles`, `entitlements`).
fn string_list(v: JsonValue<'_>) -> Option<Vec<String>> {
    v.as_array()?
        .iter()
        .map(|x| x.as_str().map(|s| s.to_cow().into_owned()))
        .collect()
}

/// The principal of a verified JWT access token, read in one pass over the
/// claims (claim types checked: a wrong type is a refusal, never "absent").
pub(super) fn principal_from_jwt(jwt: &VerifiedJwt<'_>, scheme: TokenScheme) -> Option<Principal> {
    let c = jwt.claims();
    let mut p = Principal {
        kind: TokenKind::Jwt,
        scheme,
        issuer: c.iss()?.to_cow().into_owned(),
        subject: c.sub().map(|s| s.to_cow().into_owned()),
        client_id: None,
        scopes: Vec::new(),
        audience: c
            .aud()
            .map(|a| a.iter().map(|s| s.to_cow().into_owned()).collect())
            .unwrap_or_default(),
        expires_at: c.exp(),
        issued_at: c.iat(),
        jti: c.jti().map(|s| s.to_cow().into_owned()),
        act: Vec::new(),
        cnf_jkt: None,
        authorization_details: None,
        groups: Vec::new(),
        roles: Vec::new(),
        entitlements: Vec::new(),
    };
    let text = |v: JsonValue<'_>| v.as_str().map(|s| s.to_cow().into_owned());
    for (name, value) in c.object().members() {
        // Q: escaped member names? A: `"\u0063nf"` is `cnf` (RFC 8259 §7): the
        // decoded name is compared (borrowed, no copy, when there is no escape).
        match name.to_cow().as_ref() {
            "client_id" => p.client_id = Some(text(value)?),
            // RFC 9068 §2.2.3: space-delimited, as in RFC 6749 §3.3.
            "scope" => p.scopes = split_scope(Some(&text(value)?)),
            "cnf" => {
                // RFC 9449 §6.1: cnf.jkt, the bound key's thumbprint.
                if let Some(j) = value.as_object()?.get("jkt") {
                    p.cnf_jkt = Some(text(j)?);
                }
            }
            // RFC 8693 §4.1: the delegation chain.
            "act" => p.act = act_chain(Some(&json_value(value)?)).ok()?,
            "authorization_details" => p.authorization_details = Some(json_value(value)?),
            "groups" => p.groups = string_list(value)?,
            "roles" => p.roles = string_list(value)?,
            "entitlements" => p.entitlements = string_list(value)?,
            _ => {}
        }
    }
    Some(p)
}
