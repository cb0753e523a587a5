//! [`Principal`]: who is calling, as established by the resource server.

use super::bearer::TokenScheme;
use super::introspection::{Actor, IntrospectedToken, act_chain};
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

/// Who is calling, established by [`ResourceServer::authenticate`] after every
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

/// Reads a claim holding JSON into a `serde_json::Value` (rare claims only).
fn json_claim(jwt: &VerifiedJwt<'_>, name: &str) -> Option<Option<Value>> {
    match jwt.claims().get(name) {
        None => Some(None),
        Some(v) => {
            let raw: &[u8] = match v {
                crate::encoding::json::JsonValue::Object(o) => o.raw(),
                crate::encoding::json::JsonValue::Array(a) => a.raw(),
                crate::encoding::json::JsonValue::String(s) => {
                    return Some(Some(Value::String(s.to_cow().into_owned())));
                }
                _ => return None,
            };
            serde_json::from_slice(raw).ok().map(Some)
        }
    }
}

/// The principal of a verified JWT access token (claim types checked: a wrong
/// type is a refusal, never "absent").
pub(super) fn principal_from_jwt(jwt: &VerifiedJwt<'_>, scheme: TokenScheme) -> Option<Principal> {
    let c = jwt.claims();
    let text = |name: &str| -> Option<Option<String>> {
        match c.get_str(name) {
            Ok(v) => Some(v.map(|s| s.to_cow().into_owned())),
            Err(_) => None,
        }
    };
    let cnf_jkt = match c.get("cnf") {
        None => None,
        Some(v) => {
            let o = v.as_object()?;
            match o.get("jkt") {
                None => None,
                Some(j) => Some(j.as_str()?.to_cow().into_owned()),
            }
        }
    };
    let act = match json_claim(jwt, "act")? {
        None => Vec::new(),
        Some(v) => act_chain(Some(&v)).ok()?,
    };
    let list = |name: &str| -> Option<Vec<String>> {
        match json_claim(jwt, name)? {
            None => Some(Vec::new()),
            Some(Value::Array(a)) => a.iter().map(|x| x.as_str().map(str::to_owned)).collect(),
            Some(_) => None,
        }
    };
    Some(Principal {
        kind: TokenKind::Jwt,
        scheme,
        issuer: c.iss()?.to_cow().into_owned(),
        subject: c.sub().map(|s| s.to_cow().into_owned()),
        client_id: text("client_id")?,
        scopes: split_scope(text("scope")?.as_deref()),
        audience: c
            .aud()
            .map(|a| a.iter().map(|s| s.to_cow().into_owned()).collect())
            .unwrap_or_default(),
        expires_at: c.exp(),
        issued_at: c.iat(),
        jti: c.jti().map(|s| s.to_cow().into_owned()),
        act,
        cnf_jkt,
        authorization_details: json_claim(jwt, "authorization_details")?,
        groups: list("groups")?,
        roles: list("roles")?,
        entitlements: list("entitlements")?,
    })
}
