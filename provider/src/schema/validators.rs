//! Reusable validators. Each checks a known, non-null value and names the attribute in its diagnostic.

use crate::diag::Diagnostics;
use crate::value::{AttributePath, Value};

use super::Validator;

/// Why `s` is not a DNS-1123 label (lower-case alphanumerics and '-', starting and ending alphanumeric,
/// at most `max` characters), or `None` if it is one.
pub fn dns1123_label_problem(s: &str, max: usize) -> Option<String> {
    if s.is_empty() {
        return Some("must not be empty".into());
    }
    if s.len() > max {
        return Some(format!("must be at most {max} characters (it has {})", s.len()));
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Some(format!(
            "contains {c:?}; only lower-case letters, digits and '-' are allowed"
        ));
    }
    if s.starts_with('-') || s.ends_with('-') {
        return Some("must start and end with a letter or digit".into());
    }
    None
}

/// A Kubernetes object name that must be a DNS-1123 label (namespaces, services): at most 63 characters.
pub fn dns1123_label() -> Validator {
    Validator::new("a DNS-1123 label", |v, path, diags| {
        if let Some(s) = v.as_str()
            && let Some(problem) = dns1123_label_problem(s, 63)
        {
            diags.error_at(
                path,
                "Invalid Kubernetes Name",
                format!("{path} = {s:?} is not a valid DNS-1123 label: it {problem}. Example: \"my-app\"."),
            );
        }
    })
}

/// Why `key` is not a ConfigMap or Secret key (`[-._a-zA-Z0-9]+`, at most 253 characters), or `None`.
pub fn data_key_problem(key: &str) -> Option<&'static str> {
    if key.is_empty() || key.len() > 253 {
        return Some("must be 1 to 253 characters");
    }
    if key == "." || key == ".." {
        return Some("must not be '.' or '..'");
    }
    (!key.chars().all(|c| c.is_ascii_alphanumeric() || "-._".contains(c)))
        .then_some("may contain only letters, digits, '-', '_' and '.'")
}

/// A string validator from a problem function: `{path} = "value" {problem}.` under "Invalid {what}". Only
/// for values that are not secret, since the value is quoted back.
pub fn problem<P: std::fmt::Display + 'static>(what: &'static str, problem: fn(&str) -> Option<P>) -> Validator {
    Validator::new(what, move |v, path, diags| {
        if let Some(s) = v.as_str()
            && let Some(p) = problem(s)
        {
            diags.error_at(path, format!("Invalid {what}"), format!("{path} = {s:?} {p}."));
        }
    })
}

/// Why `s` is not a DNS-1123 subdomain (dot-separated labels, at most 253 characters), or `None`.
pub fn dns1123_subdomain_problem(s: &str) -> Option<String> {
    if s.len() > 253 {
        return Some(format!("must be at most 253 characters (it has {})", s.len()));
    }
    if s.is_empty() {
        return Some("must not be empty".into());
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '.'))
    {
        return Some(format!(
            "contains {c:?}; only lower-case letters, digits, '-' and '.' are allowed"
        ));
    }
    for label in s.split('.') {
        if label.is_empty() {
            return Some("must not start or end with '.' or contain \"..\"".into());
        }
        if label.len() > 63 {
            return Some(format!(
                "has a dot-separated part of {} characters; at most 63 are allowed",
                label.len()
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some("must start and end with a letter or digit, also around each '.'".into());
        }
    }
    None
}

/// Why `key` is not a valid Kubernetes label or annotation key (`[prefix/]name`), or `None`.
pub fn qualified_name_problem(key: &str) -> Option<String> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(p) = prefix
        && let Some(problem) = dns1123_subdomain_problem(p)
    {
        return Some(format!(
            "has prefix {p:?}, which is not a DNS-1123 subdomain: it {problem}"
        ));
    }
    if name.is_empty() || name.len() > 63 {
        return Some("must have a name part of 1 to 63 characters".into());
    }
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if !name.chars().all(ok_char) {
        return Some("may contain only letters, digits, '-', '_' and '.'".into());
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) || !name.ends_with(|c: char| c.is_ascii_alphanumeric()) {
        return Some("must start and end with a letter or digit".into());
    }
    None
}

/// Why `value` is not a valid Kubernetes label value, or `None`.
pub fn label_value_problem(value: &str) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    if value.len() > 63 {
        return Some(format!("must be at most 63 characters (it has {})", value.len()));
    }
    qualified_name_problem(value).map(|_| {
        "may contain only letters, digits, '-', '_' and '.', starting and ending with a letter or digit".into()
    })
}

/// A map of Kubernetes labels: keys and values checked; `values` false checks keys only (annotations).
pub fn kubernetes_labels(check_values: bool) -> Validator {
    let what = if check_values {
        "Kubernetes labels"
    } else {
        "Kubernetes annotations"
    };
    Validator::new(what, move |v, path, diags| {
        let Some(entries) = v.as_map() else { return };
        for (key, value) in entries {
            let at = path.then_key(key);
            if let Some(problem) = qualified_name_problem(key) {
                diags.error_at(&at, "Invalid Kubernetes Key", format!("{path} key {key:?} {problem}."));
            }
            if check_values
                && let Some(s) = value.as_str()
                && let Some(problem) = label_value_problem(s)
            {
                diags.error_at(
                    &at,
                    "Invalid Label Value",
                    format!("{path}[{key:?}] = {s:?}: a label value {problem}."),
                );
            }
        }
    })
}

/// Why `s` is not an EKS cluster name (1–100 letters, digits, '-' and '_', starting with a letter or
/// digit), or `None`.
pub fn eks_cluster_name_problem(s: &str) -> Option<String> {
    if s.is_empty() || s.len() > 100 {
        return Some(format!("must be 1 to 100 characters (it has {})", s.len()));
    }
    if !s.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Some("must start with a letter or digit".into());
    }
    s.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        .map(|c| format!("contains {c:?}; only letters, digits, '-' and '_' are allowed"))
}

/// An EKS cluster name, checked before any AWS call.
pub fn eks_cluster_name() -> Validator {
    Validator::new("an EKS cluster name", |v, path, diags| {
        if let Some(s) = v.as_str()
            && let Some(problem) = eks_cluster_name_problem(s)
        {
            diags.error_at(
                path,
                "Invalid EKS Cluster Name",
                format!("{path} = {s:?} is not an EKS cluster name: it {problem}."),
            );
        }
    })
}

/// One of a fixed set of strings.
pub fn one_of(allowed: &'static [&'static str]) -> Validator {
    Validator::new(format!("one of {}", allowed.join(", ")), move |v, path, diags| {
        if let Some(s) = v.as_str()
            && !allowed.contains(&s)
        {
            diags.error_at(
                path,
                "Invalid Value",
                format!("{path} = {s:?} is not allowed. Use one of: {}.", quoted(allowed)),
            );
        }
    })
}

/// A whole number within `min..=max`.
pub fn int_between(min: i64, max: i64) -> Validator {
    Validator::new(format!("a whole number from {min} to {max}"), move |v, path, diags| {
        let Some(n) = v.as_number() else { return };
        match n.to_i64() {
            Some(i) if (min..=max).contains(&i) => {}
            _ => diags.error_at(
                path,
                "Value Out Of Range",
                format!("{path} = {n} must be a whole number from {min} to {max}."),
            ),
        }
    })
}

/// Why `s` is not a Kubernetes quantity (`250m`, `1.5`, `512Mi`, `1e3`, `2G`), or `None`.
pub fn quantity_problem(s: &str) -> Option<String> {
    let number_end = s
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && (c == '+' || c == '-'))))
        .map_or(s.len(), |(i, _)| i);
    let (number, suffix) = s.split_at(number_end);
    let digits = number.trim_start_matches(['+', '-']);
    let valid_number = !digits.is_empty() && digits != "." && digits.matches('.').count() <= 1;
    let valid_suffix = matches!(
        suffix,
        "" | "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E" | "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei"
    ) || (suffix.len() > 1
        && suffix.starts_with(['e', 'E'])
        && suffix[1..]
            .trim_start_matches(['+', '-'])
            .chars()
            .all(|c| c.is_ascii_digit())
        && !suffix[1..].trim_start_matches(['+', '-']).is_empty());
    if !valid_number {
        return Some("must start with a number".into());
    }
    if number.starts_with('-') {
        return Some("is negative; requests, limits and quotas are never below zero".into());
    }
    if !valid_suffix {
        return Some(format!(
            "has an unknown unit {suffix:?} (use m, k, M, G, Ki, Mi, Gi, …)"
        ));
    }
    if suffix.starts_with(['e', 'E'])
        && suffix[1..]
            .parse::<i64>()
            .map_or(true, |e| e.unsigned_abs() > MAX_QUANTITY_EXPONENT)
    {
        return Some(format!(
            "has an exponent outside ±{MAX_QUANTITY_EXPONENT} (a quantity never exceeds 2^63-1 nor has more than \
             9 decimal places)"
        ));
    }
    None
}

/// The largest decimal exponent magnitude a quantity may carry. Kubernetes caps quantities at 2^63-1 and
/// nano precision, so a larger exponent is a mistake, and it would make exact decimal arithmetic costly.
pub const MAX_QUANTITY_EXPONENT: u64 = 64;

/// A Kubernetes resource quantity, checked at validate time.
pub fn quantity() -> Validator {
    Validator::new("a Kubernetes quantity", |v, path, diags| {
        if let Some(s) = v.as_str()
            && let Some(problem) = quantity_problem(s)
        {
            diags.error_at(
                path,
                "Invalid Quantity",
                format!(
                    "{path} = {s:?} is not a Kubernetes quantity: it {problem}. Examples: \"250m\", \"1\", \"512Mi\"."
                ),
            );
        }
    })
}

/// Checks `value` (and, for collections, nothing deeper) with a validator unless it is null or unknown.
pub(crate) fn run(validator: &Validator, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
    if !value.is_null() && value.is_wholly_known() {
        validator.check(value, path, diags);
    }
}

fn quoted(items: &[&str]) -> String {
    items.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns1123_labels() {
        assert_eq!(dns1123_label_problem("my-app-1", 63), None);
        assert!(dns1123_label_problem("Bad_Name", 63).unwrap().contains("'B'"));
        assert!(dns1123_label_problem("-x", 63).is_some());
        assert!(dns1123_label_problem("", 63).is_some());
        assert!(
            dns1123_label_problem(&"a".repeat(64), 63)
                .unwrap()
                .contains("at most 63")
        );
    }

    #[test]
    fn qualified_names() {
        assert_eq!(qualified_name_problem("app.kubernetes.io/name"), None);
        assert_eq!(qualified_name_problem("team"), None);
        assert!(qualified_name_problem("Bad Prefix/x").is_some());
        // A prefix is a DNS-1123 subdomain: '.' is allowed, and the message must not say otherwise.
        let p = qualified_name_problem("my_corp.io/x").unwrap();
        assert!(p.contains("'-' and '.' are allowed"), "{p}");
        assert!(qualified_name_problem("corp..io/x").unwrap().contains("\"..\""));
        assert!(qualified_name_problem("corp.-io/x").is_some());
        assert!(qualified_name_problem("x/-bad").is_some());
        assert_eq!(label_value_problem(""), None);
        assert!(label_value_problem("has space").is_some());
    }

    #[test]
    fn eks_cluster_names() {
        assert_eq!(eks_cluster_name_problem("hub-sandbox_2"), None);
        assert!(eks_cluster_name_problem("").is_some());
        assert!(eks_cluster_name_problem("my cluster!").unwrap().contains("' '"));
        assert!(eks_cluster_name_problem("-x").is_some());
        assert!(eks_cluster_name_problem(&"c".repeat(101)).is_some());
    }

    #[test]
    fn quantities() {
        for ok in ["1", "250m", "0.5", "512Mi", "2Gi", "1e3", "1.5G", "+1", "100k"] {
            assert_eq!(quantity_problem(ok), None, "{ok}");
        }
        for bad in ["", "Mi", "1 Gi", "1GB", "1.2.3", "abc", "1e", ".", "-1", "-0.5Gi"] {
            assert!(quantity_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn validators_name_the_attribute() {
        let mut diags = Diagnostics::new();
        let path = AttributePath::attr("name");
        run(&dns1123_label(), &Value::string("Bad_Name"), &path, &mut diags);
        assert!(diags.has_errors());
        assert_eq!(diags.0[0].path.as_ref(), Some(&path));
        assert!(diags.0[0].detail.contains("name = \"Bad_Name\""));

        let mut diags = Diagnostics::new();
        run(&dns1123_label(), &Value::unknown(), &path, &mut diags);
        assert!(diags.is_empty(), "unknown values are checked later");
    }
}
