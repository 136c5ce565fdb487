//! The go-plugin magic cookie: proof that Terraform/OpenTofu started this process.

/// Environment variable Terraform and OpenTofu set for protocol-6 providers.
pub(crate) const KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";

/// Its expected value (`internal/plugin6/serve.go`, same in both tools).
pub(crate) const VALUE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// What a human sees when running the binary directly.
pub(crate) const HELP: &str = "\
This binary is a Terraform/OpenTofu provider plugin (hub/hub). It is not meant to be executed
directly: terraform or tofu start it themselves.

To use a locally built copy, point a CLI configuration file (~/.terraformrc, ~/.tofurc, or the file
named by TF_CLI_CONFIG_FILE) at the directory holding this binary:

    provider_installation {
      dev_overrides {
        \"hub/hub\" = \"/path/to/directory/containing/this/binary\"
      }
      direct {}
    }

Or, to debug it, start it with the -debug flag and export the TF_REATTACH_PROVIDERS value it prints
before running terraform or tofu in another shell.";

/// True if `value` (the cookie variable's value, if set) is the magic cookie.
pub(crate) fn is_valid(value: Option<&str>) -> bool {
    value == Some(VALUE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_value_is_accepted() {
        assert!(is_valid(Some(VALUE)));
        assert!(!is_valid(None));
        assert!(!is_valid(Some("")));
        assert!(!is_valid(Some(&VALUE[1..])));
    }
}
