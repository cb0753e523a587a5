//! DPoP (RFC 9449): proof validation shared by the resource server and the authorization server.
