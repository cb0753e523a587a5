//! [`ScopeHierarchy`]: a resource server's declared "scope A implies scope B"
//! relation (MCP authorization 2026-07-28, server checklist: "Servers MUST
//! honour scope hierarchies").
//!
//! The hierarchy is only what the server declares: nothing is inferred from the
//! shape of scope strings (`files` does not imply `files:read`, `files:read:all`
//! does not imply `files:read`). RFC 6749 §3.3 makes scope values opaque to
//! everyone but the server that defines them, so only it can say which scope
//! covers which.
//!
//! Q: why alloc-only? A: the only scope check is in
//! [`ResourceServer`](super::ResourceServer) `authenticate*`, which is alloc
//! (its [`Principal`](super::Principal) owns the granted scopes); the core tier
//! extracts credentials and renders challenges, and checks no scope.

use alloc::borrow::ToOwned as _;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Why a scope hierarchy declaration was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ScopeHierarchyError {
    /// A declared scope is not a scope token (RFC 6749 §3.3: one or more of
    /// `%x21 / %x23-5B / %x5D-7E`; no space, `"` or `\`).
    InvalidScope(String),
    /// The declaration has a cycle through this scope (including a scope that
    /// implies itself). Refused rather than read as "these scopes are equal":
    /// a cycle is almost always a mistake in the declaration.
    Cycle(String),
}

impl fmt::Display for ScopeHierarchyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidScope(s) => write!(
                f,
                "scope hierarchy: {s:?} is not a scope token (RFC 6749 §3.3)"
            ),
            Self::Cycle(s) => write!(
                f,
                "scope hierarchy: {s:?} implies itself through a cycle of declared edges"
            ),
        }
    }
}

impl core::error::Error for ScopeHierarchyError {}

/// A server-defined scope hierarchy, closed transitively at build time.
///
/// MCP 2026-07-28: "Servers MUST honour scope hierarchies". With a hierarchy, a
/// required scope is satisfied when the token holds it or any scope that
/// implies it, directly or through a chain of declared edges. The default (empty)
/// hierarchy is exact matching.
///
/// It only decides whether granted scopes cover required ones: the
/// [`Principal`](super::Principal)'s granted scopes stay as issued, and no
/// audience, issuer or other token check is affected.
///
/// ```
/// use oauth_core::resource::ScopeHierarchy;
/// let h = ScopeHierarchy::new(&[("admin", "files:write"), ("files:write", "files:read")])?;
/// assert!(h.satisfies(&["admin"], "files:read")); // transitively
/// assert!(h.satisfies(&["files:read"], "files:read")); // exactly
/// assert!(!h.satisfies(&["files:read"], "files:write")); // edges have a direction
/// assert!(!h.satisfies(&["files"], "files:read")); // no prefix magic
/// # Ok::<(), oauth_core::resource::ScopeHierarchyError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScopeHierarchy {
    /// For every scope some declared scope implies: that scope and every scope
    /// implying it transitively (sorted). Sorted by the implied scope.
    implied_by: Vec<(String, Vec<String>)>,
}

impl ScopeHierarchy {
    /// No hierarchy: a required scope is satisfied only by itself.
    #[must_use]
    pub fn exact() -> Self {
        Self::default()
    }

    /// The hierarchy of the declared `implies` edges: `(a, b)` reads "scope `a`
    /// implies scope `b`" (a token holding `a` may do what needs `b`).
    ///
    /// # Errors
    /// [`ScopeHierarchyError::InvalidScope`] for a scope that is not a scope
    /// token, [`ScopeHierarchyError::Cycle`] when the edges form a cycle (a
    /// cycle is refused, never followed: the closure below visits each scope
    /// once per implied scope, so it terminates in any case).
    pub fn new(implies: &[(&str, &str)]) -> Result<Self, ScopeHierarchyError> {
        for (a, b) in implies {
            for s in [a, b] {
                if !is_scope_token(s) {
                    return Err(ScopeHierarchyError::InvalidScope((*s).to_owned()));
                }
            }
        }
        let mut implied: Vec<&str> = implies.iter().map(|(_, b)| *b).collect();
        implied.sort_unstable();
        implied.dedup();
        let mut implied_by = Vec::with_capacity(implied.len());
        for target in implied {
            // Walk the edges backwards from `target`; each scope is visited once.
            let mut found: Vec<&str> = Vec::new();
            let mut stack = alloc::vec![target];
            while let Some(s) = stack.pop() {
                for (a, _) in implies.iter().filter(|(_, b)| *b == s) {
                    if *a == target {
                        return Err(ScopeHierarchyError::Cycle(target.to_owned()));
                    }
                    if !found.contains(a) {
                        found.push(a);
                        stack.push(a);
                    }
                }
            }
            found.sort_unstable();
            implied_by.push((
                target.to_owned(),
                found.into_iter().map(String::from).collect(),
            ));
        }
        Ok(Self { implied_by })
    }

    /// Whether no edge was declared (exact matching).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.implied_by.is_empty()
    }

    /// The declared scopes that imply `scope`, directly or transitively
    /// (sorted; empty when none does).
    #[must_use]
    pub fn implied_by(&self, scope: &str) -> &[String] {
        self.implied_by
            .binary_search_by(|(s, _)| s.as_str().cmp(scope))
            .ok()
            .and_then(|i| self.implied_by.get(i))
            .map_or(&[], |(_, by)| by.as_slice())
    }

    /// Whether `granted` covers `required`: it holds `required` itself or a
    /// scope that implies it (MCP 2026-07-28: servers MUST honour scope
    /// hierarchies).
    #[must_use]
    pub fn satisfies<S: AsRef<str>>(&self, granted: &[S], required: &str) -> bool {
        if granted.iter().any(|g| g.as_ref() == required) {
            return true;
        }
        let by = self.implied_by(required);
        !by.is_empty() && granted.iter().any(|g| by.iter().any(|b| b == g.as_ref()))
    }

    /// Whether `granted` covers every scope of `required` (space-delimited,
    /// RFC 6749 §3.3).
    #[must_use]
    pub fn satisfies_all<S: AsRef<str>>(&self, granted: &[S], required: &str) -> bool {
        required
            .split(' ')
            .filter(|s| !s.is_empty())
            .all(|s| self.satisfies(granted, s))
    }
}

/// RFC 6749 §3.3: `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`.
fn is_scope_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| matches!(b, 0x21 | 0x23..=0x5B | 0x5D..=0x7E))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closure_of_a_diamond() {
        // Not a cycle: two paths to the same scope.
        let h = ScopeHierarchy::new(&[("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"), ("a", "d")])
            .unwrap();
        assert_eq!(h.implied_by("d"), ["a", "b", "c"]);
        assert_eq!(h.implied_by("b"), ["a"]);
        assert!(h.implied_by("a").is_empty());
        assert!(h.implied_by("zzz").is_empty());
    }

    #[test]
    fn cycles_and_bad_tokens_are_refused() {
        assert_eq!(
            ScopeHierarchy::new(&[("a", "a")]),
            Err(ScopeHierarchyError::Cycle("a".into()))
        );
        assert!(matches!(
            ScopeHierarchy::new(&[("x", "a"), ("a", "b"), ("b", "c"), ("c", "a")]),
            Err(ScopeHierarchyError::Cycle(_))
        ));
        for bad in ["", "a b", "a\"", "a\\b", "é", "a\t"] {
            assert_eq!(
                ScopeHierarchy::new(&[("ok", bad)]),
                Err(ScopeHierarchyError::InvalidScope(bad.into())),
                "{bad:?}"
            );
        }
    }
}
