//! HCL fixtures under `tests/testdata/`: a test's configuration is a file that reads (and formats) as HCL,
//! not a string assembled in Rust. The only templating is `{{key}}`, for names each test makes unique.

use std::path::Path;

/// `tests/testdata/<path>` with each `{{key}}` of `vars` replaced. Panics if the file is missing or a
/// placeholder is left, so a typo in a key fails loudly instead of reaching the CLI.
pub fn fixture(path: &str, vars: &[(&str, &str)]) -> String {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata").join(path);
    let mut text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("fixture {}: {e}", file.display()));
    for (key, value) in vars {
        text = text.replace(&format!("{{{{{key}}}}}"), value);
    }
    if let Some(at) = text.find("{{") {
        let rest = &text[at..];
        let end = rest.find("}}").map_or(rest.len(), |e| e + 2);
        panic!("fixture {path}: placeholder {} has no value", &rest[..end]);
    }
    text
}

/// The sandbox's `terraform` and `provider` blocks followed by [`fixture`]`(path, vars)`: a whole `main.tf`.
pub fn config(path: &str, vars: &[(&str, &str)]) -> String {
    format!("{}\n{}", crate::support::provider_block(""), fixture(path, vars))
}

/// [`config`] with the AWS region in the provider block, for resources that also call AWS.
pub fn aws_config(path: &str, vars: &[(&str, &str)]) -> String {
    format!(
        "{}\n{}",
        crate::support::provider_block("  region = \"us-east-1\"\n"),
        fixture(path, vars)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_placeholders() {
        let text = fixture("namespace/minimal.tf", &[("name", "team-x")]);
        assert!(text.contains("\"team-x\"") && !text.contains("{{"));
    }

    #[test]
    #[should_panic(expected = "placeholder {{name}} has no value")]
    fn refuses_a_placeholder_left_unreplaced() {
        fixture("namespace/minimal.tf", &[]);
    }
}
