//! The resource server role: what an MCP server needs to accept only the right tokens
//! (RFC 6750 bearer tokens, RFC 9068 JWT access tokens, RFC 7662 introspection, RFC 9728 metadata).
