//! The client role (RFC 6749, OAuth 2.1): sans-IO request builders and response processors in the
//! style of oauth4webapi: each `*_request` function returns an [`crate::http::HttpRequest`] for the
//! caller to send, and each `process_*_response` runs every check the specification requires.
