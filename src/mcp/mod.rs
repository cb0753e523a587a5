//! The MCP authorization profile as presets over the general modules: the canonical resource URI,
//! the discovery order, and the step-up rules. Thin: logic that is not MCP-specific lives elsewhere.
//!
//! - [`client`]: the MCP client's discovery chain from a 401 to an authorization plan, and
//!   403 `insufficient_scope` step-up ([`McpAuthorization`]).
//! - [`resource`]: the MCP server as a resource server ([`resource::resource_server`]).

pub mod client;
pub mod resource;

pub use client::{
    AuthorizationPlan, DEFAULT_MAX_STEP_UPS, McpAuthError, McpAuthorization, McpStep,
};
