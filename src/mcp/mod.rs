//! The MCP authorization profile as presets over the general modules: the canonical resource URI,
//! the discovery order, and the step-up rules. Thin: logic that is not MCP-specific lives elsewhere.
pub mod resource;
