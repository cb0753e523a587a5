//! OpenID Connect Core 1.0 on the client side: ID token validation (§3.1.3.7, §3.1.3.8,
//! §3.3.2.10-11) and the UserInfo endpoint (§5.3).
//!
//! - [`IdTokenValidation`] → [`VerifiedIdToken`]: signature through the issuer's keys
//!   (algorithm pinned by the key), `iss`, `aud`, `azp`, `exp`, `iat`, `nonce`,
//!   `auth_time`/`max_age`, `at_hash`, `c_hash`, `sub`.
//! - [`validate_token_response_id_token`]: the same for the code flow's token response,
//!   with the expectations recorded in the [`crate::client::AuthorizationState`];
//!   [`validate_refresh_id_token`] for a refresh response (§12.2).
//! - [`userinfo_request`] / [`userinfo_dpop_exchange`] → [`process_userinfo_response`]:
//!   JSON or signed JWT responses, `sub` matched against the ID token.

mod id_token;
mod userinfo;

pub use id_token::{
    DEFAULT_IAT_MAX_AGE, DEFAULT_MAX_ID_TOKEN_LEN, IdTokenClaims, IdTokenError, IdTokenValidation,
    VerifiedIdToken, validate_refresh_id_token, validate_token_response_id_token,
};
pub use userinfo::{
    APPLICATION_JWT, MAX_USERINFO_JWT_LEN, UserInfo, UserInfoError, UserInfoFormat,
    process_userinfo_response, userinfo_dpop_exchange, userinfo_request,
};
