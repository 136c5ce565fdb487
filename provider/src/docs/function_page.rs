//! A function's page (`functions/<name>.md`), in the words and order of `tfplugindocs`: front matter, the
//! description, the example, the signature in HCL type syntax and the numbered arguments.

use std::fmt::Write as _;

use crate::framework::Signature;
use crate::value::Type;

use super::Examples;
use super::page::GENERATED_MARKER;

/// The example file of function `name`, relative to `examples/`.
pub(super) fn example_path(name: &str) -> String {
    format!("functions/{name}/function.tf")
}

/// A type as written in a `variable` type constraint: `string`, `map(string)`, `object({…})`.
fn hcl_type(ty: &Type) -> String {
    match ty {
        Type::Bool => "bool".into(),
        Type::Number => "number".into(),
        Type::String => "string".into(),
        Type::Dynamic => "any".into(),
        Type::List(e) => format!("list({})", hcl_type(e)),
        Type::Set(e) => format!("set({})", hcl_type(e)),
        Type::Map(e) => format!("map({})", hcl_type(e)),
        Type::Object(attrs) => {
            let members: Vec<String> = attrs.iter().map(|(k, t)| format!("{k} = {}", hcl_type(t))).collect();
            format!("object({{ {} }})", members.join(", "))
        }
        Type::Tuple(items) => format!("tuple([{}])", items.iter().map(hcl_type).collect::<Vec<_>>().join(", ")),
    }
}

/// Renders the page of function `name`.
pub(super) fn render(name: &str, sig: &Signature, examples: &Examples) -> super::Page {
    let mut out = String::new();
    out.push_str("---\n");
    let _ = writeln!(
        out,
        "page_title: \"{name} function - terraform-provider-{}\"",
        super::PROVIDER
    );
    out.push_str("subcategory: \"\"\n");
    let _ = writeln!(out, "description: |-\n  {}\n---\n", sig.summary);
    let _ = writeln!(out, "{GENERATED_MARKER}\n");
    let _ = writeln!(out, "# function: {name}\n");
    let _ = writeln!(out, "{}\n", sig.description.trim());
    if let Some(example) = examples.get(&example_path(name)) {
        let _ = writeln!(out, "## Example Usage\n\n```terraform\n{example}\n```\n");
    }
    let params: Vec<String> = sig
        .parameters
        .iter()
        .map(|p| format!("{} {}", p.name, hcl_type(&p.ty)))
        .collect();
    let _ = writeln!(
        out,
        "## Signature\n\n```text\n{name}({}) {}\n```\n",
        params.join(", "),
        hcl_type(&sig.returns)
    );
    out.push_str("## Arguments\n\n");
    for (i, p) in sig.parameters.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}. `{}` ({}) {}",
            i + 1,
            p.name,
            super::types::type_name(&p.ty),
            p.description
        );
    }
    super::Page {
        path: format!("functions/{name}.md"),
        text: format!("{}\n", out.trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_read_as_hcl_type_constraints() {
        assert_eq!(hcl_type(&Type::map(Type::String)), "map(string)");
        let obj = Type::Object([("a".to_owned(), Type::String), ("b".to_owned(), Type::Number)].into());
        assert_eq!(hcl_type(&obj), "object({ a = string, b = number })");
    }
}
