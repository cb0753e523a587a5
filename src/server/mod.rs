//! The authorization server role: parse, decide, render. The crate parses and validates each
//! endpoint's request, tells the caller what to look up and what to persist, and renders the
//! response; storage stays with the caller.
