//! Strict decoding of JSON documents (metadata, token responses, registration, JWKS) into typed
//! values: our scanner validates the whole document first (RFC 8259 grammar, UTF-8, nesting depth,
//! and no duplicate member names at any level: a duplicate `issuer` or `token_type` must not be
//! resolved by "last one wins"), then serde_json builds the value.

use alloc::string::{String, ToString};
use core::fmt;

use super::json::{JsonError, Limits, MAX_OPEN_MEMBERS, parse_object};

/// Largest document accepted by [`from_slice_strict`] (1 MiB): metadata, token responses and JWK
/// Sets are far smaller; a bigger body is refused before it is parsed.
pub const MAX_DOCUMENT_LEN: usize = 1 << 20;

/// Why a JSON document was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DocumentError {
    /// Longer than [`MAX_DOCUMENT_LEN`].
    TooLarge,
    /// Not one strict JSON object (RFC 8259), or a duplicate member name, or too deep.
    Json(JsonError),
    /// Valid JSON whose members have the wrong types or miss a required member (serde's message).
    Shape(String),
    /// A member breaks a rule of the document's specification (the rule, no input echoed).
    Invalid(&'static str),
}

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge => write!(f, "document larger than {MAX_DOCUMENT_LEN} bytes"),
            Self::Json(e) => e.fmt(f),
            Self::Shape(m) => write!(f, "document shape: {m}"),
            Self::Invalid(rule) => write!(f, "document invalid: {rule}"),
        }
    }
}

impl core::error::Error for DocumentError {}

impl From<JsonError> for DocumentError {
    fn from(e: JsonError) -> Self {
        Self::Json(e)
    }
}

/// Limits for documents: depth 32 (JWKS with `x5c`, metadata with nested objects), and the scanner's
/// full member table per open object set.
pub const DOCUMENT_LIMITS: Limits = Limits {
    max_depth: 32,
    max_open_members: MAX_OPEN_MEMBERS,
};

/// Decodes one JSON object into `T` after the strict pre-pass described in the module docs.
///
/// # Errors
/// [`DocumentError::TooLarge`], [`DocumentError::Json`] (grammar, duplicates, depth) or
/// [`DocumentError::Shape`] (types, missing members).
pub fn from_slice_strict<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, DocumentError> {
    if body.len() > MAX_DOCUMENT_LEN {
        return Err(DocumentError::TooLarge);
    }
    parse_object(body, &DOCUMENT_LIMITS)?;
    serde_json::from_slice(body).map_err(|e| DocumentError::Shape(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::json::JsonErrorKind;

    #[derive(serde::Deserialize, Debug)]
    struct Doc {
        a: u32,
    }

    #[test]
    fn strict_pre_pass() {
        assert_eq!(from_slice_strict::<Doc>(br#"{"a":1}"#).unwrap().a, 1);
        let dup = from_slice_strict::<Doc>(br#"{"a":1,"b":{"c":1,"c":2}}"#).unwrap_err();
        assert!(matches!(dup, DocumentError::Json(e) if e.kind == JsonErrorKind::DuplicateMember));
        assert!(matches!(
            from_slice_strict::<Doc>(br#"{"a":"1"}"#),
            Err(DocumentError::Shape(_))
        ));
        assert!(matches!(
            from_slice_strict::<Doc>(br#"[1]"#),
            Err(DocumentError::Json(_))
        ));
        let big = alloc::vec![b' '; MAX_DOCUMENT_LEN + 1];
        assert_eq!(
            from_slice_strict::<Doc>(&big).unwrap_err(),
            DocumentError::TooLarge
        );
    }
}
