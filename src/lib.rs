#![no_std]
#![forbid(unsafe_code, unused_must_use)]
#![deny(missing_docs)]
//! # oauth-core
//!
//! An embeddable OAuth 2.1 / OpenID Connect core: the part that decides whether a
//! token, a redirect, a grant or a discovery document is valid. Sans-IO: it builds
//! request values and checks response values; the caller does the I/O, passes
//! `now`, and supplies randomness.
//!
//! ## Feature tiers
//! | tier | features | what works |
//! |---|---|---|
//! | core | `default-features = false` | `#![no_std]`, no allocator, no C code (the RustCrypto backend): JWS/JWT verification (HS*, ES256, EdDSA; ES384/ES512 with `es384`/`es512`), JWK parsing and thumbprints, PKCE verification, DPoP proof verification (`dpop::verify_proof` with the fixed-capacity `dpop::ReplayCache`, RFC 9449) |
//! | alloc | `alloc` | RS*/PS* verification (with `ring`, or RustCrypto's with `rustcrypto-rsa`), JWK Sets, signing, form encoding, HTTP values |
//! | std | `std` (default, with `ring`) | `std::error::Error`, `rand::SystemRandom` |
//! | http | `http` | conversions to the `http` crate's types |
//! | ring backend | `ring` (default) | ring verifies and signs everything but ES512 (ring has no P-521); with `rustcrypto` as well, ES512 comes from RustCrypto. `ring` implies `es384` (ES384 keys are point-checked with p384) |
//! | RustCrypto backend | no `ring` (`rustcrypto` is its explicit name, and implies `es384`, `es512` and `rustcrypto-rsa`, hence `alloc`) | p256, ed25519-dalek, hmac, sha2: every algorithm; RS*/PS* verification only, and only with `rustcrypto-rsa` (signing with RSA needs `ring`) |
//! | RustCrypto RSA | `rustcrypto-rsa` (implies `alloc`; `rustcrypto` implies it) | RS*/PS* verification with RustCrypto's `rsa` crate when `ring` is off (next to `ring` it is unused). Opt-in, so that default and plain `alloc` builds do not compile `rsa`, whose RUSTSEC-2023-0071 (private-key timing) does not apply to verification but is reported by `cargo audit`. Without `ring` and without it, RS*/PS* keys give `KeyError::NotSupportedByBackend` |
//! | P-384, P-521 | `es384`, `es512` (default) | ES384 and ES512 (p384, p521): ~94 KB and ~75 KB of flash on a Cortex-M4, so a firmware leaves them out; without them, such keys give `KeyError::NotSupportedByBackend` |
//!
//! ## Verifying an access token (the resource-server hot path)
//! ```
//! # #[cfg(feature = "std")] {
//! use oauth_core::jose::{Algorithm, SigningKey, Validation, VerifyingKey, sign_jwt};
//! use oauth_core::time::UnixTime;
//!
//! let secret = [7u8; 32];
//! // An authorization server signs an RFC 9068 access token...
//! let signer = SigningKey::hmac(Algorithm::HS256, &secret)?.with_kid("k1")?;
//! let claims = serde_json::json!({
//!     "iss": "https://as.example", "aud": "https://mcp.example/mcp", "sub": "alice",
//!     "client_id": "agent-1", "iat": 1_700_000_000u64, "exp": 1_700_000_300u64, "jti": "t-1",
//! });
//! let token = sign_jwt(&claims, &signer, Some("at+jwt"))?;
//!
//! // ...and the resource server verifies it: issuer and audience are required.
//! let key = VerifyingKey::hmac(Algorithm::HS256, &secret)?.with_kid("k1")?;
//! let validation = Validation::access_token("https://as.example", "https://mcp.example/mcp");
//! let mut scratch = [0u8; 1024];
//! let jwt = validation.verify(&token, &key, UnixTime::from_secs(1_700_000_100), &mut scratch)
//!     .expect("valid token");
//! assert!(jwt.claims().sub().unwrap().eq_str("alice"));
//! # }
//! # Ok::<(), oauth_core::jose::KeyError>(())
//! ```

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[cfg(feature = "alloc")]
pub mod client;
pub mod dpop;
pub mod encoding;
pub mod error;
#[cfg(feature = "alloc")]
pub mod http;
pub mod jose;
#[cfg(feature = "alloc")]
pub mod mcp;
#[cfg(feature = "alloc")]
pub mod metadata;
#[cfg(feature = "alloc")]
pub mod oidc;
pub mod pkce;
pub mod rand;
pub mod resource;
#[cfg(feature = "alloc")]
pub mod server;
pub mod time;

/// The README's code blocks, compiled as doctests so they stay true.
#[cfg(all(doctest, feature = "std"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
