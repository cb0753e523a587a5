//! OpenID Connect Core 1.0 on the client side: ID token validation and UserInfo.
