//! [`Principal`]: who is calling, as established by the resource server.

use super::bearer::TokenScheme;
use super::introspection::{Actor, IntrospectedToken, act_chain};
use crate::encoding::json::{JsonStr, JsonValue};
use crate::jose::VerifiedJwt;
use crate::time::UnixTime;
use alloc::borrow::ToOwned as _;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
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
#[derive(Clone, PartialEq)]
pub struct Principal {
    kind: TokenKind,
    scheme: TokenScheme,
    /// `issuer`, `subject`, `client_id`, `jti` and `cnf_jkt`, one after the
    /// other in one buffer (one allocation instead of five); the spans below
    /// index it.
    text: String,
    issuer: Span,
    subject: Option<Span>,
    client_id: Option<Span>,
    jti: Option<Span>,
    cnf_jkt: Option<Span>,
    scopes: Vec<String>,
    audience: Vec<String>,
    expires_at: Option<UnixTime>,
    issued_at: Option<UnixTime>,
    act: Vec<Actor>,
    authorization_details: Option<Value>,
    groups: Vec<String>,
    roles: Vec<String>,
    entitlements: Vec<String>,
}

/// A byte range of [`Principal::text`] (always on `char` boundaries: whole
/// strings are appended).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span {
    start: u32,
    end: u32,
}

/// Appends strings to a principal's text buffer, returning their spans.
struct TextBuilder(String);

impl TextBuilder {
    fn push(&mut self, s: &str) -> Option<Span> {
        let start = u32::try_from(self.0.len()).ok()?;
        self.0.push_str(s);
        let end = u32::try_from(self.0.len()).ok()?;
        Some(Span { start, end })
    }
}

impl fmt::Debug for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Principal")
            .field("kind", &self.kind)
            .field("scheme", &self.scheme)
            .field("issuer", &self.issuer())
            .field("subject", &self.subject())
            .field("client_id", &self.client_id())
            .field("scopes", &self.scopes)
            .field("audience", &self.audience)
            .field("expires_at", &self.expires_at)
            .field("issued_at", &self.issued_at)
            .field("jti", &self.jti())
            .field("act", &self.act)
            .field("cnf_jkt", &self.cnf_jkt())
            .field("authorization_details", &self.authorization_details)
            .field("groups", &self.groups)
            .field("roles", &self.roles)
            .field("entitlements", &self.entitlements)
            .finish()
    }
}

impl Principal {
    fn span(&self, s: Span) -> &str {
        self.text
            .get(s.start as usize..s.end as usize)
            .unwrap_or_default()
    }
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
        self.span(self.issuer)
    }
    /// The subject (`sub`).
    #[must_use]
    pub fn subject(&self) -> Option<&str> {
        self.subject.map(|s| self.span(s))
    }
    /// The client the token was issued to (`client_id`, RFC 9068 §2.2).
    #[must_use]
    pub fn client_id(&self) -> Option<&str> {
        self.client_id.map(|s| self.span(s))
    }
    /// The granted scopes (`scope`, space-delimited, RFC 9068 §2.2.3).
    #[must_use]
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }
    /// Whether `scope` was granted, exactly. The server's
    /// [`ScopeHierarchy`](super::ScopeHierarchy) is not applied here: use
    /// [`ResourceServer::check_scopes`](super::ResourceServer::check_scopes).
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
        self.jti.map(|s| self.span(s))
    }
    /// The delegation chain (`act`, RFC 8693 §4.1): the current actor first.
    #[must_use]
    pub fn act_chain(&self) -> &[Actor] {
        &self.act
    }
    /// The key the token is bound to (`cnf.jkt`, RFC 9449 §6).
    #[must_use]
    pub fn cnf_jkt(&self) -> Option<&str> {
        self.cnf_jkt.map(|s| self.span(s))
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
        let jti = introspected.members.get("jti").and_then(Value::as_str);
        let mut t = TextBuilder(String::new());
        let issuer = t
            .push(&introspected.issuer)
            .unwrap_or(Span { start: 0, end: 0 });
        let subject = introspected.subject.as_deref().and_then(|s| t.push(s));
        let client_id = introspected.client_id.as_deref().and_then(|s| t.push(s));
        let jti = jti.and_then(|s| t.push(s));
        let cnf_jkt = introspected.cnf_jkt.as_deref().and_then(|s| t.push(s));
        Principal {
            kind: TokenKind::Introspection,
            scheme,
            text: t.0,
            issuer,
            subject,
            client_id,
            jti,
            cnf_jkt,
            scopes: split_scope(introspected.scope.as_deref()),
            audience: introspected.audience.clone(),
            expires_at: introspected.expires_at,
            issued_at: introspected.issued_at,
            act: introspected.act.clone(),
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

/// The claims of a JWT access token the resource server reads beyond the
/// registered ones, noted during the verifier's single claims pass
/// ([`Validation::verify_visiting`](crate::jose::Validation::verify_visiting)):
/// no second scan of the claims.
#[derive(Default)]
pub(super) struct JwtMembers<'b> {
    client_id: Option<JsonValue<'b>>,
    scope: Option<JsonValue<'b>>,
    cnf: Option<JsonValue<'b>>,
    act: Option<JsonValue<'b>>,
    authorization_details: Option<JsonValue<'b>>,
    groups: Option<JsonValue<'b>>,
    roles: Option<JsonValue<'b>>,
    entitlements: Option<JsonValue<'b>>,
}

impl<'b> JwtMembers<'b> {
    /// Notes one claim (decoded member name: `"\u0063nf"` is `cnf`, RFC 8259
    /// §7). Duplicate members were already refused by the parser.
    pub(super) fn note(&mut self, name: &[u8], value: JsonValue<'b>) {
        let slot = match name {
            b"client_id" => &mut self.client_id,
            b"scope" => &mut self.scope,
            b"cnf" => &mut self.cnf,
            b"act" => &mut self.act,
            b"authorization_details" => &mut self.authorization_details,
            b"groups" => &mut self.groups,
            b"roles" => &mut self.roles,
            b"entitlements" => &mut self.entitlements,
            _ => return,
        };
        *slot = Some(value);
    }
}

/// The principal of a verified JWT access token, from its registered claims
/// and the `members` noted in the same pass (claim types checked: a wrong type
/// is a refusal, never "absent").
pub(super) fn principal_from_jwt(
    jwt: &VerifiedJwt<'_>,
    members: &JwtMembers<'_>,
    scheme: TokenScheme,
) -> Option<Principal> {
    let c = jwt.claims();
    let client_id = match members.client_id {
        Some(v) => Some(v.as_str()?),
        None => None,
    };
    // RFC 9449 §6.1: cnf.jkt, the bound key's thumbprint.
    let cnf_jkt = match members.cnf {
        Some(cnf) => match cnf.as_object()?.get("jkt") {
            Some(j) => Some(j.as_str()?),
            None => None,
        },
        None => None,
    };
    let mut t = TextBuilder(String::with_capacity(
        c.iss()?.raw().len()
            + c.sub().map_or(0, |s| s.raw().len())
            + client_id.map_or(0, |s| s.raw().len())
            + c.jti().map_or(0, |s| s.raw().len())
            + cnf_jkt.map_or(0, |s| s.raw().len()),
    ));
    let issuer = t.push(&c.iss()?.to_cow())?;
    // `None`: text over 4 GiB (the spans are u32); an absent member stays `Some(None)`.
    let mut push = |s: Option<JsonStr<'_>>| match s {
        Some(s) => t.push(&s.to_cow()).map(Some),
        None => Some(None),
    };
    let subject = push(c.sub())?;
    let client_id = push(client_id)?;
    let jti = push(c.jti())?;
    let cnf_jkt = push(cnf_jkt)?;
    // RFC 9068 §2.2.3: space-delimited, as in RFC 6749 §3.3.
    let scopes = match members.scope {
        Some(v) => split_scope(Some(&v.as_str()?.to_cow())),
        None => Vec::new(),
    };
    let list = |v: Option<JsonValue<'_>>| v.map_or(Some(Vec::new()), string_list);
    Some(Principal {
        kind: TokenKind::Jwt,
        scheme,
        text: t.0,
        issuer,
        subject,
        client_id,
        jti,
        cnf_jkt,
        scopes,
        audience: c
            .aud()
            .map(|a| a.iter().map(|s| s.to_cow().into_owned()).collect())
            .unwrap_or_default(),
        expires_at: c.exp(),
        issued_at: c.iat(),
        // RFC 8693 §4.1: the delegation chain.
        act: match members.act {
            Some(v) => act_chain(Some(&json_value(v)?)).ok()?,
            None => Vec::new(),
        },
        authorization_details: match members.authorization_details {
            Some(v) => Some(json_value(v)?),
            None => None,
        },
        groups: list(members.groups)?,
        roles: list(members.roles)?,
        entitlements: list(members.entitlements)?,
    })
}
