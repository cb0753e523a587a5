//! Sans-IO HTTP values (RFC 9110 semantics): the requests this crate builds and the
//! responses it consumes, and the requests a server receives and the responses it
//! renders. Callers do the I/O with any HTTP stack.
//!
//! Headers are kept as a list of `(name, value)` strings in their original order and
//! case; lookups are ASCII case-insensitive (RFC 9110 §5.1). Names and values are
//! checked when inserted (tokens; no CR, LF, NUL or other controls), so a value
//! taken from untrusted input can never split a header line.
//!
//! With the `http` feature, [`HttpRequest`] and [`HttpResponse`] convert to and from
//! the `http` crate's `Request` and `Response` in both directions.

use crate::encoding::form;
use alloc::borrow::ToOwned as _;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::str::FromStr;

/// Why an HTTP value could not be built or converted.
///
/// Never contains a header value (values can be credentials).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HttpError {
    /// A header name is not a token (RFC 9110 §5.1, §5.6.2).
    InvalidHeaderName,
    /// A header value holds CR, LF, NUL or another control character other than
    /// HTAB (RFC 9110 §5.5). Holds the header's name.
    InvalidHeaderValue {
        /// The header's name.
        name: String,
    },
    /// A header value received through the `http` crate is not UTF-8. Holds the
    /// header's name.
    NonUtf8HeaderValue {
        /// The header's name.
        name: String,
    },
    /// A header that must appear at most once appears more than once. Holds the
    /// header's name.
    DuplicateHeader {
        /// The header's name.
        name: String,
    },
    /// A method other than GET, POST, PUT, DELETE, HEAD, OPTIONS or PATCH
    /// (RFC 9110 §9, RFC 5789).
    UnsupportedMethod,
    /// The URL is not a valid request target (RFC 9112 §3.2).
    InvalidUrl,
    /// A status code outside 100..=999 (RFC 9110 §15: three digits).
    InvalidStatus(u16),
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidHeaderName => f.write_str("header name is not a token (RFC 9110 §5.1)"),
            Self::InvalidHeaderValue { name } => write!(
                f,
                "value of header {name:?} contains a control character (RFC 9110 §5.5)"
            ),
            Self::NonUtf8HeaderValue { name } => {
                write!(f, "value of header {name:?} is not UTF-8")
            }
            Self::DuplicateHeader { name } => {
                write!(f, "header {name:?} must appear at most once")
            }
            Self::UnsupportedMethod => f.write_str("unsupported request method (RFC 9110 §9)"),
            Self::InvalidUrl => f.write_str("invalid request URL (RFC 9112 §3.2)"),
            Self::InvalidStatus(code) => {
                write!(f, "status code {code} is not three digits (RFC 9110 §15)")
            }
        }
    }
}

impl core::error::Error for HttpError {}

/// A request method (RFC 9110 §9; PATCH from RFC 5789).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
    /// `HEAD`
    Head,
    /// `OPTIONS`
    Options,
    /// `PATCH`
    Patch,
}

impl Method {
    /// The method's name, upper case as on the wire.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Delete => "DELETE",
            Self::Head => "HEAD",
            Self::Options => "OPTIONS",
            Self::Patch => "PATCH",
        }
    }
}

impl FromStr for Method {
    type Err = HttpError;

    /// Parses a method name, case-sensitively (RFC 9110 §9.1).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "GET" => Self::Get,
            "POST" => Self::Post,
            "PUT" => Self::Put,
            "DELETE" => Self::Delete,
            "HEAD" => Self::Head,
            "OPTIONS" => Self::Options,
            "PATCH" => Self::Patch,
            _ => return Err(HttpError::UnsupportedMethod),
        })
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// RFC 9110 §5.6.2: `token = 1*tchar`.
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'!' | b'#'
                        | b'$'
                        | b'%'
                        | b'&'
                        | b'\''
                        | b'*'
                        | b'+'
                        | b'-'
                        | b'.'
                        | b'^'
                        | b'_'
                        | b'`'
                        | b'|'
                        | b'~'
                )
        })
}

/// RFC 9110 §5.5: field values hold no CR, LF or NUL; we also refuse the other
/// controls except HTAB, as the `http` crate does, so conversion cannot fail.
fn is_field_value(s: &str) -> bool {
    s.bytes().all(|b| b == b'\t' || (b >= 0x20 && b != 0x7f))
}

/// Headers whose values are credentials: `Debug` prints `<redacted>` for them.
const SENSITIVE: [&str; 5] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "dpop",
];

/// A list of header fields, in order, with case-insensitive lookup.
///
/// Every name is a token and no value holds a control character other than HTAB:
/// [`Headers::insert`] and [`Headers::append`] check both.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Headers(Vec<(String, String)>);

impl Headers {
    /// No headers.
    #[must_use]
    pub const fn new() -> Self {
        Self(Vec::new())
    }

    /// The first value of `name` (case-insensitive), or `None`.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.get_all(name).next()
    }

    /// Every value of `name` (case-insensitive), in order.
    pub fn get_all<'s>(&'s self, name: &str) -> impl Iterator<Item = &'s str> {
        self.0
            .iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The value of a header that may appear at most once (such as `Authorization`,
    /// RFC 6750 §2.1, or `DPoP`, RFC 9449 §4.3), or `None`.
    ///
    /// # Errors
    /// [`HttpError::DuplicateHeader`] when `name` appears more than once.
    pub fn get_single(&self, name: &str) -> Result<Option<&str>, HttpError> {
        let mut all = self.get_all(name);
        let first = all.next();
        if all.next().is_some() {
            return Err(HttpError::DuplicateHeader {
                name: name.to_owned(),
            });
        }
        Ok(first)
    }

    /// Sets `name` to `value`, replacing every existing value of `name`.
    ///
    /// # Errors
    /// [`HttpError::InvalidHeaderName`] or [`HttpError::InvalidHeaderValue`]; the
    /// headers are unchanged then.
    pub fn insert(
        &mut self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<&mut Self, HttpError> {
        let (name, value) = checked(name.into(), value.into())?;
        self.remove(&name);
        self.0.push((name, value));
        Ok(self)
    }

    /// Adds a `name: value` field, keeping existing values of `name`.
    ///
    /// # Errors
    /// [`HttpError::InvalidHeaderName`] or [`HttpError::InvalidHeaderValue`]; the
    /// headers are unchanged then.
    pub fn append(
        &mut self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<&mut Self, HttpError> {
        let pair = checked(name.into(), value.into())?;
        self.0.push(pair);
        Ok(self)
    }

    /// Removes every value of `name`, returning how many were removed.
    pub fn remove(&mut self, name: &str) -> usize {
        let before = self.0.len();
        self.0.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        before - self.0.len()
    }

    /// All fields, in order, names as inserted.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The number of fields.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `true` when there are no fields.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Inserts a constant field this module knows to be valid.
    fn set_static(&mut self, name: &'static str, value: &'static str) {
        debug_assert!(is_token(name) && is_field_value(value));
        self.remove(name);
        self.0.push((name.to_owned(), value.to_owned()));
    }
}

fn checked(name: String, value: String) -> Result<(String, String), HttpError> {
    if !is_token(&name) {
        return Err(HttpError::InvalidHeaderName);
    }
    if !is_field_value(&value) {
        return Err(HttpError::InvalidHeaderValue { name });
    }
    Ok((name, value))
}

impl fmt::Debug for Headers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (k, v) in &self.0 {
            let sensitive = SENSITIVE.iter().any(|s| k.eq_ignore_ascii_case(s));
            list.entry(&(k, if sensitive { "<redacted>" } else { v.as_str() }));
        }
        list.finish()
    }
}

/// Bodies can hold secrets (client secrets, codes, tokens): `Debug` shows lengths.
struct BodyLen(usize);

impl fmt::Debug for BodyLen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0)
    }
}

/// The `application/x-www-form-urlencoded` media type (RFC 6749 Appendix B).
pub const FORM_URLENCODED: &str = "application/x-www-form-urlencoded";
/// The `application/json` media type (RFC 8259 §11).
pub const APPLICATION_JSON: &str = "application/json";

/// The media type of a `Content-Type` value as `(type, subtype)`, parameters
/// dropped (RFC 9110 §8.3.1), or `None` when it is not `token "/" token`.
fn media_type(content_type: &str) -> Option<(&str, &str)> {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim_matches([' ', '\t']);
    let (ty, sub) = essence.split_once('/')?;
    (is_token(ty) && is_token(sub)).then_some((ty, sub))
}

/// `true` when `content_type` is `application/json`, compared case-insensitively
/// with parameters such as `; charset=utf-8` ignored (RFC 9110 §8.3.1).
#[must_use]
pub fn media_type_is_json(content_type: &str) -> bool {
    media_type(content_type).is_some_and(|(t, s)| {
        t.eq_ignore_ascii_case("application") && s.eq_ignore_ascii_case("json")
    })
}

/// `true` for `application/json` or a media type with the `+json` structured
/// syntax suffix (RFC 6839 §3.1), such as `application/jwk-set+json`.
#[must_use]
pub fn media_type_is_json_or_suffix(content_type: &str) -> bool {
    media_type_is_json(content_type)
        || media_type(content_type).is_some_and(|(_, s)| {
            s.len() > ".json".len()
                && s.get(s.len() - "+json".len()..)
                    .is_some_and(|x| x.eq_ignore_ascii_case("+json"))
        })
}

/// `true` when the single `Content-Type` of `headers` satisfies `pred`; a missing or
/// repeated `Content-Type` never does (RFC 9110 §8.3 is a singleton field).
fn content_type_matches(headers: &Headers, pred: fn(&str) -> bool) -> bool {
    matches!(headers.get_single("content-type"), Ok(Some(ct)) if pred(ct))
}

/// An HTTP request: built by the client functions for the caller to send, or built
/// by the caller from a received request for the server functions to parse.
///
/// `url` is the absolute URL (`https://as.example/token`) for requests this crate
/// builds. For a request received by a server it is whatever the server saw as the
/// request target, usually origin-form (`/token?x=y`, RFC 9112 §3.2.1); servers
/// compare it against their own configured public URL.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The URL (see the type's documentation).
    pub url: String,
    /// The header fields.
    pub headers: Headers,
    /// The body, empty when there is none.
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// A request with no headers and an empty body.
    #[must_use]
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Self {
            method,
            url: url.into(),
            headers: Headers::new(),
            body: Vec::new(),
        }
    }

    /// A `GET` request.
    #[must_use]
    pub fn get(url: impl Into<String>) -> Self {
        Self::new(Method::Get, url)
    }

    /// A `POST` with an `application/x-www-form-urlencoded` body (RFC 6749 §3.2:
    /// token requests use this format).
    #[must_use]
    pub fn post_form(url: impl Into<String>, pairs: &[(&str, &str)]) -> Self {
        let mut req = Self::new(Method::Post, url);
        req.headers.set_static("Content-Type", FORM_URLENCODED);
        req.body = form::encode_form(pairs).into_bytes();
        req
    }

    /// Adds a header field (keeping existing values of `name`).
    ///
    /// # Errors
    /// [`HttpError::InvalidHeaderName`] or [`HttpError::InvalidHeaderValue`].
    pub fn with_header(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<Self, HttpError> {
        self.headers.append(name, value)?;
        Ok(self)
    }

    /// Sets `Accept: application/json`, as for token, metadata and JWKS requests.
    #[must_use]
    pub fn with_accept_json(mut self) -> Self {
        self.headers.set_static("Accept", APPLICATION_JSON);
        self
    }

    /// The first value of header `name` (case-insensitive).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }

    /// Every value of header `name` (case-insensitive), in order.
    pub fn headers_all<'s>(&'s self, name: &str) -> impl Iterator<Item = &'s str> {
        self.headers.get_all(name)
    }

    /// The URL's query component without the `?` (fragment excluded), or `None`.
    #[must_use]
    pub fn query(&self) -> Option<&str> {
        let before_fragment = self.url.split('#').next().unwrap_or_default();
        before_fragment.split_once('?').map(|(_, q)| q)
    }

    /// `true` when the single `Content-Type` is `application/x-www-form-urlencoded`
    /// (parameters ignored, case-insensitive), as RFC 6749 §3.2 requires of token
    /// requests.
    #[must_use]
    pub fn content_type_is_form(&self) -> bool {
        content_type_matches(&self.headers, |ct| {
            media_type(ct).is_some_and(|(t, s)| {
                t.eq_ignore_ascii_case("application")
                    && s.eq_ignore_ascii_case("x-www-form-urlencoded")
            })
        })
    }
}

/// Header values named in [`Headers`]'s `Debug` as credentials and the body are
/// redacted.
impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &self.headers)
            .field("body", &BodyLen(self.body.len()))
            .finish()
    }
}

/// An HTTP response: received by the caller for the client functions to process,
/// or rendered by the server functions for the caller to send.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The header fields.
    pub headers: Headers,
    /// The body, empty when there is none.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response with no headers and an empty body.
    #[must_use]
    pub const fn new(status: u16) -> Self {
        Self {
            status,
            headers: Headers::new(),
            body: Vec::new(),
        }
    }

    /// A response with `Content-Type: application/json` and `body`.
    #[must_use]
    pub fn json(status: u16, body: Vec<u8>) -> Self {
        let mut resp = Self::new(status);
        resp.headers.set_static("Content-Type", APPLICATION_JSON);
        resp.body = body;
        resp
    }

    /// Replaces the body.
    #[must_use]
    pub fn with_body(mut self, body: Vec<u8>) -> Self {
        self.body = body;
        self
    }

    /// Adds a header field (keeping existing values of `name`).
    ///
    /// # Errors
    /// [`HttpError::InvalidHeaderName`] or [`HttpError::InvalidHeaderValue`].
    pub fn with_header(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<Self, HttpError> {
        self.headers.append(name, value)?;
        Ok(self)
    }

    /// The first value of header `name` (case-insensitive).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }

    /// Every value of header `name` (case-insensitive), in order.
    pub fn headers_all<'s>(&'s self, name: &str) -> impl Iterator<Item = &'s str> {
        self.headers.get_all(name)
    }

    /// `true` for a 2xx status (RFC 9110 §15.3).
    #[must_use]
    pub const fn is_success(&self) -> bool {
        matches!(self.status, 200..=299)
    }

    /// `true` when the single `Content-Type` is `application/json` (case-insensitive,
    /// parameters such as `charset` ignored). A missing or repeated `Content-Type`
    /// is not JSON.
    #[must_use]
    pub fn content_type_is_json(&self) -> bool {
        content_type_matches(&self.headers, media_type_is_json)
    }

    /// As [`HttpResponse::content_type_is_json`], also accepting `+json` suffixed
    /// types such as `application/jwk-set+json` (RFC 6839 §3.1).
    #[must_use]
    pub fn content_type_is_json_or_suffix(&self) -> bool {
        content_type_matches(&self.headers, media_type_is_json_or_suffix)
    }
}

/// Header values named in [`Headers`]'s `Debug` as credentials and the body are
/// redacted.
impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &BodyLen(self.body.len()))
            .finish()
    }
}

#[cfg(feature = "http")]
mod conv {
    //! Conversions to and from the `http` crate (feature `http`).

    use super::{Headers, HttpError, HttpRequest, HttpResponse, Method};
    use alloc::borrow::ToOwned as _;
    use alloc::string::ToString as _;
    use alloc::vec::Vec;

    impl From<Method> for http::Method {
        fn from(m: Method) -> Self {
            match m {
                Method::Get => Self::GET,
                Method::Post => Self::POST,
                Method::Put => Self::PUT,
                Method::Delete => Self::DELETE,
                Method::Head => Self::HEAD,
                Method::Options => Self::OPTIONS,
                Method::Patch => Self::PATCH,
            }
        }
    }

    impl TryFrom<&http::Method> for Method {
        type Error = HttpError;

        fn try_from(m: &http::Method) -> Result<Self, HttpError> {
            m.as_str().parse()
        }
    }

    fn to_header_map(headers: Headers) -> Result<http::HeaderMap, HttpError> {
        let mut map = http::HeaderMap::with_capacity(headers.len());
        for (name, value) in headers.0 {
            let n = http::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| HttpError::InvalidHeaderName)?;
            let v = http::HeaderValue::from_str(&value)
                .map_err(|_| HttpError::InvalidHeaderValue { name })?;
            map.append(n, v);
        }
        Ok(map)
    }

    fn from_header_map(map: &http::HeaderMap) -> Result<Headers, HttpError> {
        let mut headers = Headers(Vec::with_capacity(map.len()));
        for (name, value) in map {
            let v = core::str::from_utf8(value.as_bytes()).map_err(|_| {
                HttpError::NonUtf8HeaderValue {
                    name: name.as_str().to_owned(),
                }
            })?;
            headers.append(name.as_str(), v)?;
        }
        Ok(headers)
    }

    impl TryFrom<HttpRequest> for http::Request<Vec<u8>> {
        type Error = HttpError;

        /// For sending a request this crate built with an `http`-based client.
        ///
        /// # Errors
        /// [`HttpError::InvalidUrl`] when the URL does not parse as a URI; header
        /// errors cannot happen for headers inserted through [`Headers`].
        fn try_from(req: HttpRequest) -> Result<Self, HttpError> {
            let uri: http::Uri = req.url.parse().map_err(|_| HttpError::InvalidUrl)?;
            let headers = to_header_map(req.headers)?;
            let mut out = http::Request::new(req.body);
            *out.method_mut() = req.method.into();
            *out.uri_mut() = uri;
            *out.headers_mut() = headers;
            Ok(out)
        }
    }

    impl HttpRequest {
        /// Converts a request received by a server built on the `http` crate.
        ///
        /// `url` becomes the request URI as received (often origin-form, `/token`);
        /// the HTTP version and extensions are dropped.
        ///
        /// # Errors
        /// [`HttpError::UnsupportedMethod`] for a method outside [`Method`];
        /// [`HttpError::NonUtf8HeaderValue`] for a header value that is not UTF-8;
        /// [`HttpError::InvalidHeaderValue`] for one with a control character.
        pub fn from_http<B: Into<Vec<u8>>>(req: http::Request<B>) -> Result<Self, HttpError> {
            let (parts, body) = req.into_parts();
            Ok(Self {
                method: Method::try_from(&parts.method)?,
                url: parts.uri.to_string(),
                headers: from_header_map(&parts.headers)?,
                body: body.into(),
            })
        }
    }

    impl<B: Into<Vec<u8>>> TryFrom<http::Request<B>> for HttpRequest {
        type Error = HttpError;

        /// See [`HttpRequest::from_http`].
        fn try_from(req: http::Request<B>) -> Result<Self, HttpError> {
            Self::from_http(req)
        }
    }

    impl TryFrom<HttpResponse> for http::Response<Vec<u8>> {
        type Error = HttpError;

        /// For sending a response a server function rendered.
        ///
        /// # Errors
        /// [`HttpError::InvalidStatus`] for a status outside 100..=999.
        fn try_from(resp: HttpResponse) -> Result<Self, HttpError> {
            let status = http::StatusCode::from_u16(resp.status)
                .map_err(|_| HttpError::InvalidStatus(resp.status))?;
            let headers = to_header_map(resp.headers)?;
            let mut out = http::Response::new(resp.body);
            *out.status_mut() = status;
            *out.headers_mut() = headers;
            Ok(out)
        }
    }

    impl HttpResponse {
        /// Converts a response a client received through the `http` crate.
        ///
        /// # Errors
        /// [`HttpError::NonUtf8HeaderValue`] for a header value that is not UTF-8;
        /// [`HttpError::InvalidHeaderValue`] for one with a control character.
        pub fn from_http<B: Into<Vec<u8>>>(resp: http::Response<B>) -> Result<Self, HttpError> {
            let (parts, body) = resp.into_parts();
            Ok(Self {
                status: parts.status.as_u16(),
                headers: from_header_map(&parts.headers)?,
                body: body.into(),
            })
        }
    }

    impl<B: Into<Vec<u8>>> TryFrom<http::Response<B>> for HttpResponse {
        type Error = HttpError;

        /// See [`HttpResponse::from_http`].
        fn try_from(resp: http::Response<B>) -> Result<Self, HttpError> {
            Self::from_http(resp)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::vec;

    #[test]
    fn methods() {
        for m in [
            Method::Get,
            Method::Post,
            Method::Put,
            Method::Delete,
            Method::Head,
            Method::Options,
            Method::Patch,
        ] {
            assert_eq!(m.as_str().parse::<Method>(), Ok(m));
            assert_eq!(format!("{m}"), m.as_str());
        }
        assert_eq!("get".parse::<Method>(), Err(HttpError::UnsupportedMethod));
        assert_eq!("TRACE".parse::<Method>(), Err(HttpError::UnsupportedMethod));
    }

    #[test]
    fn header_lookup_is_case_insensitive() {
        let mut h = Headers::new();
        h.append("WWW-Authenticate", "Bearer").unwrap();
        h.append("www-authenticate", "DPoP algs=\"ES256\"").unwrap();
        h.append("X-Other", "1").unwrap();
        assert_eq!(h.get("www-AUTHENTICATE"), Some("Bearer"));
        assert_eq!(
            h.get_all("WWW-Authenticate").collect::<Vec<_>>(),
            ["Bearer", "DPoP algs=\"ES256\""]
        );
        assert_eq!(
            h.get_single("www-authenticate"),
            Err(HttpError::DuplicateHeader {
                name: "www-authenticate".into()
            })
        );
        assert_eq!(h.get_single("x-other"), Ok(Some("1")));
        assert_eq!(h.get_single("missing"), Ok(None));
        assert_eq!(h.get("missing"), None);
        h.insert("WWW-AUTHENTICATE", "Basic").unwrap();
        assert_eq!(h.get_all("www-authenticate").collect::<Vec<_>>(), ["Basic"]);
        assert_eq!(h.len(), 2);
        assert_eq!(h.remove("x-OTHER"), 1);
        assert_eq!(h.remove("x-other"), 0);
        assert!(h.iter().eq([("WWW-AUTHENTICATE", "Basic")]));
        assert!(!h.is_empty());
    }

    #[test]
    fn invalid_headers_are_errors_not_panics() {
        let mut h = Headers::new();
        for bad in ["", "a b", "a:b", "é", "a\r\n", "(x)"] {
            assert_eq!(
                h.append(bad, "v").map(|_| ()),
                Err(HttpError::InvalidHeaderName),
                "{bad:?}"
            );
        }
        for bad in [
            "a\r\nSet-Cookie: x=1",
            "a\nb",
            "a\rb",
            "a\0b",
            "\x7f",
            "\x01",
        ] {
            assert_eq!(
                h.insert("X-Test", bad).map(|_| ()),
                Err(HttpError::InvalidHeaderValue {
                    name: "X-Test".into()
                }),
                "{bad:?}"
            );
        }
        assert!(h.is_empty());
        // tab, non-ASCII UTF-8 and empty values are fine
        h.append("X-Test", "a\tb").unwrap();
        h.append("X-Test", "ünïcode").unwrap();
        h.append("X-Test", "").unwrap();
        assert_eq!(h.len(), 3);
        // a failed insert leaves existing values alone
        assert!(h.insert("X-Test", "bad\n").is_err());
        assert_eq!(h.len(), 3);
    }

    #[test]
    fn post_form_request() {
        let req = HttpRequest::post_form(
            "https://as.example/token",
            &[("grant_type", "authorization_code"), ("code", "a b&c")],
        )
        .with_accept_json()
        .with_header("DPoP", "eyJ.proof.sig")
        .unwrap();
        assert_eq!(req.method, Method::Post);
        assert_eq!(
            req.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(req.header("ACCEPT"), Some("application/json"));
        assert_eq!(req.body, b"grant_type=authorization_code&code=a+b%26c");
        assert!(req.content_type_is_form());
        let p = form::parse_form(&req.body).unwrap();
        assert_eq!(p.get("code"), Ok(Some("a b&c")));
        // with_accept_json twice keeps one Accept
        let req = req.with_accept_json();
        assert_eq!(req.headers_all("accept").count(), 1);
        assert!(
            HttpRequest::get("https://x")
                .with_header("Bad Name", "v")
                .is_err()
        );
    }

    #[test]
    fn request_query() {
        assert_eq!(
            HttpRequest::get("https://c.example/cb?code=x&state=y").query(),
            Some("code=x&state=y")
        );
        assert_eq!(HttpRequest::get("/cb?code=x#frag").query(), Some("code=x"));
        assert_eq!(HttpRequest::get("/cb#frag?x").query(), None);
        assert_eq!(HttpRequest::get("/cb").query(), None);
        assert_eq!(HttpRequest::get("/cb?").query(), Some(""));
    }

    #[test]
    fn debug_redacts_credentials_and_bodies() {
        let req =
            HttpRequest::post_form("https://as.example/token", &[("client_secret", "hunter2")])
                .with_header(
                    "Authorization",
                    "Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3",
                )
                .unwrap()
                .with_header("dpop", "eyJhbGciOi.proof")
                .unwrap();
        let s = format!("{req:?}");
        assert!(!s.contains("hunter2"), "{s}");
        assert!(!s.contains("czZCaGRS"), "{s}");
        assert!(!s.contains("eyJhbGciOi"), "{s}");
        assert!(s.contains("<redacted>") && s.contains("bytes>"), "{s}");
        assert!(s.contains("application/x-www-form-urlencoded"), "{s}");
        let resp = HttpResponse::json(200, b"{\"access_token\":\"secret\"}".to_vec())
            .with_header("Set-Cookie", "sid=abc")
            .unwrap();
        let s = format!("{resp:?}");
        assert!(!s.contains("secret") && !s.contains("sid=abc"), "{s}");
    }

    #[test]
    fn json_content_types() {
        for (ct, json, suffix) in [
            ("application/json", true, true),
            ("Application/JSON", true, true),
            ("application/json; charset=utf-8", true, true),
            ("application/json;charset=UTF-8", true, true),
            ("  application/json  ; x=y", true, true),
            ("application/jwk-set+json", false, true),
            ("application/problem+JSON; charset=utf-8", false, true),
            ("application/+json", false, false),
            ("application/jsonx", false, false),
            ("application/jwt", false, false),
            ("text/json", false, false),
            ("text/html", false, false),
            ("application/json/x", false, false),
            ("application /json", false, false),
            ("", false, false),
            ("json", false, false),
            ("/json", false, false),
        ] {
            assert_eq!(media_type_is_json(ct), json, "{ct:?}");
            assert_eq!(media_type_is_json_or_suffix(ct), suffix, "{ct:?}");
            let resp = HttpResponse::new(200)
                .with_header("content-type", ct)
                .unwrap();
            assert_eq!(resp.content_type_is_json(), json, "{ct:?}");
            assert_eq!(resp.content_type_is_json_or_suffix(), suffix, "{ct:?}");
        }
        // missing or repeated Content-Type is not JSON
        assert!(!HttpResponse::new(200).content_type_is_json());
        let twice = HttpResponse::json(200, vec![])
            .with_header("Content-Type", "application/json")
            .unwrap();
        assert!(!twice.content_type_is_json());
    }

    #[test]
    fn success_statuses() {
        assert!(HttpResponse::new(200).is_success());
        assert!(HttpResponse::new(204).is_success());
        assert!(HttpResponse::new(299).is_success());
        assert!(!HttpResponse::new(199).is_success());
        assert!(!HttpResponse::new(300).is_success());
        assert!(!HttpResponse::new(400).is_success());
        assert_eq!(HttpResponse::new(200).with_body(vec![1]).body, [1]);
    }

    #[cfg(feature = "http")]
    mod http_crate {
        use super::*;

        #[test]
        fn request_round_trip() {
            let req = HttpRequest::post_form("https://as.example/token?x=1", &[("a", "b")])
                .with_accept_json()
                .with_header("X-Multi", "1")
                .unwrap()
                .with_header("x-multi", "2")
                .unwrap();
            let h: http::Request<Vec<u8>> = req.clone().try_into().unwrap();
            assert_eq!(h.method(), http::Method::POST);
            assert_eq!(h.uri(), "https://as.example/token?x=1");
            assert_eq!(
                h.headers()["content-type"],
                "application/x-www-form-urlencoded"
            );
            assert_eq!(h.headers().get_all("x-multi").iter().count(), 2);
            assert_eq!(h.body(), b"a=b");
            let back = HttpRequest::from_http(h).unwrap();
            assert_eq!(back.method, Method::Post);
            assert_eq!(back.url, req.url);
            assert_eq!(back.body, req.body);
            assert_eq!(back.headers_all("X-MULTI").collect::<Vec<_>>(), ["1", "2"]);
            assert_eq!(back.header("accept"), Some("application/json"));
        }

        #[test]
        fn server_received_request() {
            let h = http::Request::builder()
                .method("POST")
                .uri("/token")
                .header("Authorization", "Basic abc")
                .body("grant_type=client_credentials")
                .unwrap();
            let req = HttpRequest::try_from(h).unwrap();
            assert_eq!(req.url, "/token");
            assert_eq!(req.header("authorization"), Some("Basic abc"));
            assert_eq!(req.body, b"grant_type=client_credentials");
            // Bytes-like bodies (&[u8]) work too.
            let h = http::Request::builder()
                .uri("/x")
                .body(&b"abc"[..])
                .unwrap();
            assert_eq!(HttpRequest::from_http(h).unwrap().body, b"abc");
        }

        #[test]
        fn unsupported_method_and_non_utf8_values() {
            let h = http::Request::builder()
                .method("TRACE")
                .uri("/")
                .body(vec![])
                .unwrap();
            assert_eq!(HttpRequest::from_http(h), Err(HttpError::UnsupportedMethod));
            let h = http::Request::builder()
                .uri("/")
                .header("x-bin", http::HeaderValue::from_bytes(b"\xff\xfe").unwrap())
                .body(vec![])
                .unwrap();
            assert_eq!(
                HttpRequest::from_http(h),
                Err(HttpError::NonUtf8HeaderValue {
                    name: "x-bin".into()
                })
            );
            // obs-text that is valid UTF-8 is accepted (http's to_str would refuse it)
            let h = http::Response::builder()
                .header(
                    "x-name",
                    http::HeaderValue::from_bytes("ü".as_bytes()).unwrap(),
                )
                .body(vec![])
                .unwrap();
            assert_eq!(
                HttpResponse::from_http(h).unwrap().header("X-Name"),
                Some("ü")
            );
        }

        #[test]
        fn invalid_url_and_status() {
            let bad = HttpRequest::get("https://exa mple/");
            assert_eq!(
                http::Request::try_from(bad).map(|_| ()),
                Err(HttpError::InvalidUrl)
            );
            for s in [0u16, 99, 1000, u16::MAX] {
                assert_eq!(
                    http::Response::try_from(HttpResponse::new(s)).map(|_| ()),
                    Err(HttpError::InvalidStatus(s))
                );
            }
        }

        #[test]
        fn response_round_trip() {
            let resp = HttpResponse::json(401, b"{}".to_vec())
                .with_header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                .unwrap();
            let h: http::Response<Vec<u8>> = resp.clone().try_into().unwrap();
            assert_eq!(h.status(), 401);
            assert_eq!(
                h.headers()["www-authenticate"],
                "Bearer error=\"invalid_token\""
            );
            let back = HttpResponse::try_from(h).unwrap();
            assert_eq!(back.status, 401);
            assert!(back.content_type_is_json());
            assert_eq!(back.body, b"{}");
            assert!(!back.is_success());
        }
    }
}
