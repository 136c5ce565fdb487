//! The file `discover` writes: `import` blocks for the namespace, each app and each network policy, each
//! under a comment saying what it groups and what hub leaves out or cannot express; and the same
//! warnings as lines for stderr, so that nothing is dropped without the user being told.

use std::fmt::Write as _;

use super::group::{App, Groups};
use super::hcl_value::resource;
use super::names::Unique;
use crate::resources::app_discovery::Fit;
use crate::resources::app_discovery_config::Generated;
use crate::schema::validators::dns1123_label_problem;

/// What to write.
pub struct Output {
    /// The file's text.
    pub text: String,
    /// One warning per line, for stderr.
    pub warnings: Vec<String>,
}

/// The recipe for the resource blocks, which core writes from the import (the reverse render).
pub const RECIPE: &str = "terraform plan -generate-config-out=generated.tf";

fn import(out: &mut String, to: &str, id: &str) {
    let _ = writeln!(out, "import {{\n  to = {to}\n  id = \"{id}\"\n}}\n");
}

/// The file for namespace `ns`: `with_namespace` when the Namespace object was read; `fits[i]` is the
/// import's view of `groups.apps[i]`, and `blocks[i]` its attributes with `--generate`.
pub fn render(
    ns: &str,
    with_namespace: bool,
    groups: &Groups,
    fits: &[Fit],
    generate: bool,
    blocks: &[Option<Generated>],
) -> Output {
    let mut text = format!(
        "# Written by `terraform-provider-hub discover --namespace {ns}`. Review the comments, then run\n\
         # `{RECIPE}` (Terraform >= 1.5, OpenTofu >= 1.6): it imports these and writes\n\
         # their resource blocks, read back from the live objects, into generated.tf.\n\n"
    );
    let mut warnings = Vec::new();
    if generate {
        warnings.push(format!(
            "--generate: the hub_app blocks are in the file; `{RECIPE}` next to it writes the others"
        ));
    }
    if with_namespace {
        let _ = writeln!(text, "# The namespace {ns}.");
        import(&mut text, &format!("hub_namespace.{}", Unique::default().next(ns)), ns);
    }
    let mut apps = Unique::default();
    for (i, (app, fit)) in groups.apps.iter().zip(fits).enumerate() {
        app_header(&mut text, &mut warnings, app, fit);
        let mut address = None;
        importable(
            (&mut text, &mut warnings),
            ns,
            ("Deployment", "hub_app"),
            &app.name,
            || {
                let id = apps.next(&app.name);
                address = Some(id.clone());
                format!("hub_app.{id}")
            },
        );
        if let (Some(address), Some(Some(block))) = (address, blocks.get(i)) {
            for (secret, keys) in &block.secrets {
                let _ = writeln!(
                    text,
                    "# The Secret {secret} holds {}: set them in secret_env (or secret_env_wo) before applying;\n\
                     # without them the apply deletes the Secret (import never reads secret values).",
                    keys.join(", ")
                );
            }
            let _ = writeln!(text, "{}", resource("hub_app", &address, &block.attributes));
        }
    }
    let mut policies = Unique::default();
    for policy in &groups.network_policies {
        let _ = writeln!(text, "# NetworkPolicy {policy}.");
        importable(
            (&mut text, &mut warnings),
            ns,
            ("NetworkPolicy", "hub_network_policy"),
            policy,
            || format!("hub_network_policy.{}", policies.next(policy)),
        );
    }
    let unmapped = groups
        .unmapped
        .iter()
        .map(|u| format!("{} {}: {}", u.kind, u.name, u.why));
    section(&mut text, "Not mapped to any hub resource:", unmapped);
    let ungrouped = groups
        .ungrouped
        .iter()
        .map(|u| format!("{} {}: {}", u.kind, u.name, u.why));
    section(&mut text, "Not part of any app (not imported):", ungrouped);
    for u in groups.unmapped.iter().chain(&groups.ungrouped) {
        warnings.push(format!("{} {}: not mapped: {}", u.kind, u.name, u.why));
    }
    Output { text, warnings }
}

/// The comment above an app's block: its objects, what the import leaves out and what it cannot express
/// (each also a warning).
fn app_header(text: &mut String, warnings: &mut Vec<String>, app: &App, fit: &Fit) {
    let _ = write!(text, "# App {0}: Deployment {0}", app.name);
    if let Some(release) = &app.helm_release {
        let _ = write!(text, ", made by Helm release {release:?} (see `adopt_from_helm`)");
    }
    text.push('\n');
    let taken = app
        .members
        .iter()
        .filter(|m| fit.taken.contains(&format!("{}/{}", m.kind, m.name)));
    for m in taken {
        let _ = writeln!(text, "#   {} {}: {}", m.kind, m.name, m.why);
    }
    let left = fit.left.iter().map(|(k, why)| format!("{k}: {why}"));
    section(text, "Grouped with it but left outside hub_app:", left);
    section(text, "Not expressed by hub_app:", fit.problems.iter().cloned());
    for (key, why) in &fit.left {
        warnings.push(format!("{key} (app {}): left outside hub_app: {why}", app.name));
    }
    for p in &fit.problems {
        warnings.push(format!("Deployment {}: {p}", app.name));
    }
}

/// The import block for `name` in `ns` at the address `to` makes, or, when the resource's import would
/// refuse the name (a DNS-1123 label: a Kubernetes name may also hold dots), a comment and a warning.
fn importable(
    (text, warnings): (&mut String, &mut Vec<String>),
    ns: &str,
    (kind, ty): (&str, &str),
    name: &str,
    to: impl FnOnce() -> String,
) {
    if let Some(problem) = dns1123_label_problem(name, 63) {
        let why = format!("not imported: a {ty} name {problem}");
        let _ = writeln!(text, "# {why}\n");
        warnings.push(format!("{kind} {name}: {why}"));
    } else {
        import(text, &to(), &format!("{ns}/{name}"));
    }
}

/// A comment section: `title`, then one indented line per entry; nothing when there is none.
fn section(text: &mut String, title: &str, lines: impl Iterator<Item = String>) {
    let lines: Vec<String> = lines.collect();
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(text, "# {title}");
    for line in lines {
        let _ = writeln!(text, "#   {line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::group::{Member, Unmapped};
    use crate::value::Value;
    use serde_json::json;

    fn app(name: &str) -> App {
        App {
            name: name.into(),
            deployment: json!({}),
            helm_release: None,
            members: vec![Member {
                kind: "Service",
                name: name.into(),
                why: "selects its pods".into(),
                object: json!({}),
            }],
        }
    }

    #[test]
    fn blocks_carry_their_groups_and_what_is_left_out() {
        let groups = Groups {
            apps: vec![app("web-api"), app("web.api"), app("Bad_Name")],
            network_policies: vec!["deny-all".into()],
            unmapped: vec![Unmapped {
                kind: "StatefulSet",
                name: "db".into(),
                why: "hub_app renders a Deployment".into(),
            }],
            ungrouped: vec![],
        };
        let fit = |app: &str| Fit {
            taken: vec![format!("Service/{app}")],
            left: vec![("HorizontalPodAutoscaler/x".into(), "named wrong".into())],
            problems: vec!["container \"proxy\": dropped".into()],
        };
        let fits = [fit("web-api"), fit("web.api"), fit("Bad_Name")];
        let block = Generated {
            attributes: vec![("image".to_owned(), Value::String("x:1".into()))],
            secrets: vec![("web-api-secret".to_owned(), vec!["DB_PASSWORD".to_owned()])],
        };
        let blocks = [Some(block), None, None];
        let out = render("shop", true, &groups, &fits, false, &blocks);
        let t = &out.text;
        assert!(
            t.contains("import {\n  to = hub_namespace.shop\n  id = \"shop\"\n}\n"),
            "{t}"
        );
        assert!(
            t.contains("# App web-api: Deployment web-api\n#   Service web-api: selects its pods\n"),
            "{t}"
        );
        assert!(
            t.contains("  to = hub_app.web_api\n  id = \"shop/web-api\"\n}\n\n# The Secret web-api-secret holds DB_PASSWORD: \
                set them in secret_env (or secret_env_wo) before applying;\n# without them the apply deletes the Secret \
                (import never reads secret values).\nresource \"hub_app\" \"web_api\" {\n  image = \"x:1\"\n}\n"),
            "{t}"
        );
        assert!(
            !t.contains("id = \"shop/web.api\"") && !t.contains("id = \"shop/Bad_Name\""),
            "{t}"
        );
        assert!(t.contains("# not imported: a hub_app name contains '.'"), "{t}");
        assert!(t.contains("#   HorizontalPodAutoscaler/x: named wrong\n"), "{t}");
        assert!(
            t.contains("# Not expressed by hub_app:\n#   container \"proxy\": dropped\n"),
            "{t}"
        );
        assert!(
            t.contains("  to = hub_network_policy.deny_all\n  id = \"shop/deny-all\"\n"),
            "{t}"
        );
        assert!(t.contains("#   StatefulSet db: hub_app renders a Deployment\n"), "{t}");
        assert!(
            out.warnings.iter().any(|w| w.starts_with("StatefulSet db: not mapped")),
            "{:?}",
            out.warnings
        );
        assert!(
            out.warnings
                .iter()
                .any(|w| w.starts_with("Deployment Bad_Name: not imported")),
            "{:?}",
            out.warnings
        );
        assert!(
            out.warnings
                .iter()
                .any(|w| w.starts_with("Deployment web.api: not imported")),
            "{:?}",
            out.warnings
        );
        assert!(
            out.warnings
                .iter()
                .any(|w| w == "Deployment web-api: container \"proxy\": dropped")
        );
    }

    #[test]
    fn without_the_namespace_object_there_is_no_namespace_import() {
        let groups = Groups {
            apps: vec![],
            network_policies: vec![],
            unmapped: vec![],
            ungrouped: vec![],
        };
        let out = render("shop", false, &groups, &[], true, &[]);
        assert!(!out.text.contains("hub_namespace"));
        assert!(out.warnings[0].contains(RECIPE));
    }
}
