//! Adapter code shared by the examples (not part of the library: oauth-core does no I/O).
//! An example includes it with `#[path = "common/mod.rs"] mod common;`.

pub mod ureq_sender;
