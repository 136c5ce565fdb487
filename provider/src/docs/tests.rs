//! Page rendering, the provider's own schemas and examples, and the staleness check.

use std::path::{Path, PathBuf};

use super::sync::{self, Stale};
use super::*;
use crate::schema::{Attribute, Block, Nesting, validators};
use crate::value::Value;

fn sample() -> ProviderDocs {
    let block = Block::new(
        "A sample thing.",
        vec![
            Attribute::string("name")
                .required()
                .requires_replace()
                .description("Its name."),
            Attribute::number("port").default_value(8080i64).description("Port."),
            Attribute::string_map("secret")
                .sensitive()
                .write_only()
                .description("Never stored."),
            Attribute::string("old")
                .deprecated("Use `name`.")
                .description("Old name."),
            Attribute::nested(
                "limits",
                Nesting::Single,
                vec![
                    Attribute::string("cpu").required().description("CPU."),
                    Attribute::nested("inner", Nesting::List, vec![Attribute::bool("on").description("On.")])
                        .description("Deeper."),
                ],
            )
            .description("Limits."),
            Attribute::string("mode")
                .default_value("a")
                .validate(validators::one_of(&["a", "b"]))
                .description("Mode."),
            Attribute::nested(
                "knobs",
                Nesting::Single,
                vec![Attribute::bool("on").default_value(true).description("On.")],
            )
            .default_value(Value::object([("on", Value::Bool(true))]))
            .description("Knobs."),
            Attribute::string("id").computed().description("The ID."),
        ],
    );
    ProviderDocs {
        identities: Default::default(),
        provider: Schema::new(Block::new("The provider.", vec![])),
        resources: vec![("hub_thing".into(), Schema::new(block))],
        data_sources: vec![],
        ephemeral_resources: vec![],
        functions: vec![],
    }
}

fn sample_examples() -> Examples {
    Examples::from_files([
        (
            "resources/hub_thing/resource.tf".into(),
            "resource \"hub_thing\" \"x\" {}\n\n".into(),
        ),
        (
            "resources/hub_thing/import.sh".into(),
            "terraform import hub_thing.x team-a/x\n".into(),
        ),
    ])
}

#[test]
fn resource_page_has_the_registry_layout() {
    let pages = sample().pages(&sample_examples());
    let page = pages
        .iter()
        .find(|p| p.path == "resources/thing.md")
        .expect("page named without prefix");
    let t = &page.text;
    assert!(t.starts_with("---\npage_title: \"hub_thing Resource - terraform-provider-hub\"\nsubcategory: \"\"\n"));
    assert!(t.contains("description: |-\n  A sample thing.\n---\n"));
    assert!(t.contains("# hub_thing (Resource)\n\nA sample thing.\n"));
    assert!(t.contains("## Example Usage\n\n```terraform\nresource \"hub_thing\" \"x\" {}\n```\n"));
    let order = ["### Required", "### Optional", "### Read-Only", "## Import"];
    let at: Vec<usize> = order
        .iter()
        .map(|h| t.find(h).unwrap_or_else(|| panic!("{h} missing")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "sections in order: {at:?}");
    for line in [
        "- `name` (String, Forces replacement) Its name.",
        "- `port` (Number) Port. Default: `8080`.",
        "- `old` (String, Deprecated) **Deprecated** Use `name`. Old name.",
        "- `id` (String) The ID.",
        "- `mode` (String) Mode. One of `a`, `b`. Default: `\"a\"`.",
        "- `knobs` (Attributes) Knobs. Default: each attribute's default below. (see [below",
        "- `limits` (Attributes) Limits. (see [below for nested schema](#nestedatt--limits))",
        "<a id=\"nestedatt--limits\"></a>\n### Nested Schema for `limits`\n\nRequired:\n\n- `cpu` (String) CPU.",
        "- `inner` (Attributes List) Deeper. (see [below for nested schema](#nestedatt--limits--inner))",
        "### Nested Schema for `limits.inner`\n\nOptional:\n\n- `on` (Bool) On.",
        "terraform import hub_thing.x team-a/x",
        "import {\n  to = hub_thing.x\n  id = \"team-a/x\"\n}",
    ] {
        assert!(t.contains(line), "missing {line:?} in\n{t}");
    }
    assert!(t.contains("- `secret` (Map of String, Sensitive, [Write-only](https://developer.hashicorp.com/"));
    assert!(t.ends_with("```\n") && !t.ends_with("\n\n"), "one trailing newline");
}

#[test]
fn pages_without_examples_leave_the_sections_out() {
    let pages = sample().pages(&Examples::default());
    let t = &pages[1].text;
    assert!(!t.contains("## Example Usage") && !t.contains("## Import"));
    assert_eq!(pages[0].path, "index.md");
    assert!(pages[0].text.contains("# hub Provider\n"));
}

fn provider_docs() -> ProviderDocs {
    ProviderDocs::from_registry(&crate::resources::registry())
}

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

fn undocumented(prefix: &str, attributes: &[Attribute], missing: &mut Vec<String>) {
    for a in attributes {
        let path = format!("{prefix}.{}", a.name);
        if a.description.trim().is_empty() {
            missing.push(path.clone());
        }
        if let crate::schema::AttributeKind::Nested(_, inner) = &a.kind {
            undocumented(&path, inner, missing);
        }
    }
}

#[test]
fn every_attribute_of_the_provider_has_a_description() {
    let docs = provider_docs();
    let mut missing = Vec::new();
    let all = std::iter::once(("provider".to_string(), &docs.provider))
        .chain(docs.resources.iter().map(|(n, s)| (n.clone(), s)))
        .chain(docs.data_sources.iter().map(|(n, s)| (n.clone(), s)))
        .chain(docs.ephemeral_resources.iter().map(|(n, s)| (n.clone(), s)));
    for (name, schema) in all {
        if schema.block.description.trim().is_empty() {
            missing.push(name.clone());
        }
        undocumented(&name, &schema.block.attributes, &mut missing);
    }
    for (name, sig) in &docs.functions {
        if sig.summary.trim().is_empty() || sig.description.trim().is_empty() {
            missing.push(format!("function {name}"));
        }
        for p in sig.parameters.iter().filter(|p| p.description.trim().is_empty()) {
            missing.push(format!("function {name}, argument {}", p.name));
        }
    }
    assert!(missing.is_empty(), "attributes without a description: {missing:?}");
}

#[test]
fn every_type_has_its_examples_and_the_import_ids_are_accepted() {
    let docs = provider_docs();
    let examples = Examples::load(&examples_dir(), &docs.example_paths()).expect("examples readable");
    for path in docs.example_paths() {
        assert!(examples.get(&path).is_some(), "examples/{path} is missing or empty");
    }
    let registry = crate::resources::registry();
    for (name, entry) in &registry.resources {
        let script = examples.get(&format!("resources/{name}/import.sh")).unwrap_or_default();
        let commands = page::import_commands(script);
        assert!(!commands.is_empty(), "{name}: import.sh has no `terraform import` line");
        for (address, id) in commands {
            assert!(
                address.starts_with(&format!("{name}.")),
                "{name}: import.sh imports {address}"
            );
            if let Err(diags) = entry.imp.import(&entry.ty, &id) {
                panic!("{name}: import.sh's ID {id:?} is rejected: {diags:?}");
            }
        }
    }
}

/// A scratch directory removed on drop.
struct Scratch(PathBuf);
impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("hub-docs-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        Scratch(dir)
    }
}
impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn check_reports_the_page_whose_description_changed() {
    let scratch = Scratch::new("stale");
    let dir = &scratch.0;
    let mut docs = provider_docs();
    let examples = Examples::load(&examples_dir(), &docs.example_paths()).expect("examples readable");
    let before = docs.pages(&examples);
    let written = sync::write(dir, &before).expect("write");
    assert_eq!(written.len(), before.len(), "every page written into an empty dir");
    assert_eq!(
        sync::stale(dir, &before).expect("check"),
        vec![],
        "fresh output is current"
    );

    let (_, app) = docs
        .resources
        .iter_mut()
        .find(|(n, _)| n == "hub_app")
        .expect("hub_app registered");
    let image = app
        .block
        .attributes
        .iter_mut()
        .find(|a| a.name == "image")
        .expect("image attribute");
    image.description.push_str(" Changed.");
    let after = docs.pages(&examples);
    assert_ne!(before, after, "a description change changes the rendering");
    assert_eq!(
        sync::stale(dir, &after).expect("check"),
        vec![Stale::Differs("resources/app.md".into())],
        "only the changed page is reported"
    );

    std::fs::write(dir.join("resources/gone.md"), "old").expect("extra file");
    std::fs::remove_file(dir.join("index.md")).expect("remove index");
    let report = sync::stale(dir, &after).expect("check");
    assert!(report.contains(&Stale::Missing("index.md".into())), "{report:?}");
    assert!(report.contains(&Stale::Extra("resources/gone.md".into())), "{report:?}");

    sync::write(dir, &after).expect("regenerate");
    assert_eq!(
        sync::stale(dir, &after).expect("check"),
        vec![],
        "regenerating makes it current"
    );
    assert!(!dir.join("resources/gone.md").exists());
}
