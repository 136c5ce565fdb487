//! Terraform addresses for discovered objects: a Kubernetes name made a valid identifier (letters, digits,
//! `_` and `-`, not starting with a digit), in hub's examples' style (`_` for `-` and `.`), and made unique
//! per resource type, since two names can map to one identifier (`a-b`, `a.b`).

use std::collections::BTreeSet;

/// `name` as a Terraform identifier.
pub fn identifier(name: &str) -> String {
    let mut id: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        id.insert(0, '_');
    }
    id
}

/// Hands out identifiers unique within one resource type.
#[derive(Debug, Default)]
pub struct Unique {
    taken: BTreeSet<String>,
}

impl Unique {
    /// The identifier for `name`: [`identifier`], with `_2`, `_3`, … appended when taken.
    pub fn next(&mut self, name: &str) -> String {
        let base = identifier(name);
        let mut candidate = base.clone();
        let mut n = 2;
        while !self.taken.insert(candidate.clone()) {
            candidate = format!("{base}_{n}");
            n += 1;
        }
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_identifiers() {
        assert_eq!(identifier("api"), "api");
        assert_eq!(identifier("web-front.v2"), "web_front_v2");
        assert_eq!(identifier("9lives"), "_9lives");
        assert_eq!(identifier(""), "_");
    }

    #[test]
    fn identifiers_are_unique_per_type() {
        let mut u = Unique::default();
        assert_eq!(u.next("a-b"), "a_b");
        assert_eq!(u.next("a.b"), "a_b_2");
        assert_eq!(u.next("a_b"), "a_b_3");
        assert_eq!(u.next("c"), "c");
    }
}
