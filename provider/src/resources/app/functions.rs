//! `provider::hub::app_labels`, `provider::hub::selector` and `provider::hub::parse_image`: what `hub_app`
//! puts on its objects and how it reads an image, for objects written by other providers (a
//! `kubernetes_manifest` ServiceMonitor, a hand-written NetworkPolicy) so they match hub's.
//!
//! Neither label function returns `app.kubernetes.io/managed-by=hub`: hub finds its own objects by that
//! label (batched reads, the orphan and ownership checks), so an object another tool manages must not carry
//! it.

use std::collections::BTreeMap;

use crate::framework::{Arguments, Function, FunctionError, Parameter, Signature};
use crate::k8s::image;
use crate::schema::validators::{dns1123_label_problem, label_value_problem, qualified_name_problem};
use crate::value::{Type, Value};

use super::render::selector_of;
use super::reserved::HUB_LABELS;

/// The app name as `hub_app.name` accepts it, or an error on argument `index`.
fn app_name<'a>(args: &'a Arguments<'_>, index: usize) -> Result<&'a str, FunctionError> {
    let name = args.string(index)?;
    match dns1123_label_problem(name, 63) {
        Some(p) => Err(FunctionError::argument(
            index,
            format!("name {name:?} is not a hub_app name: it {p}."),
        )),
        None => Ok(name),
    }
}

fn name_parameter() -> Parameter {
    Parameter::string("name", "The `hub_app`'s `name`.")
}

fn string_map(labels: BTreeMap<String, String>) -> Value {
    Value::Map(labels.into_iter().map(|(k, v)| (k, Value::String(v))).collect())
}

/// The labels of a hub_app's objects, with extra labels of the caller's.
pub(crate) struct AppLabels;

impl Function for AppLabels {
    fn name(&self) -> &'static str {
        "app_labels"
    }

    fn signature(&self) -> Signature {
        Signature {
            summary: "The app.kubernetes.io labels hub_app puts on its objects, merged with extra labels",
            description: "Returns `labels` merged with the labels `hub_app` puts on every object of the app `name` \
                          (`app.kubernetes.io/name` and `app.kubernetes.io/instance`), so objects made by other \
                          providers group with the app in dashboards and `kubectl get -l`. It leaves out \
                          `app.kubernetes.io/managed-by=hub`, which marks the objects hub itself manages. A key hub \
                          sets is refused, as in `hub_app.labels`.",
            parameters: vec![
                name_parameter(),
                Parameter::string_map("labels", "Extra labels (`{}` for none), as in `hub_app.labels`."),
            ],
            returns: Type::Map(Box::new(Type::String)),
        }
    }

    fn call(&self, args: &Arguments<'_>) -> Result<Value, FunctionError> {
        let name = app_name(args, 0)?;
        let extra = args.string_map(1)?;
        let mut labels = BTreeMap::new();
        for (key, value) in extra {
            let problem = if HUB_LABELS.contains(&key) {
                Some("is set by hub from `name`".to_owned())
            } else {
                qualified_name_problem(key)
                    .map(|p| format!("is not a label key: it {p}"))
                    .or_else(|| label_value_problem(value).map(|p| format!("has a value that {p}")))
            };
            if let Some(p) = problem {
                return Err(FunctionError::argument(1, format!("labels[{key:?}] {p}.")));
            }
            labels.insert(key.to_owned(), value.to_owned());
        }
        labels.extend(selector_of(name));
        Ok(string_map(labels))
    }
}

/// The pod selector of a hub_app.
pub(crate) struct Selector;

impl Function for Selector {
    fn name(&self) -> &'static str {
        "selector"
    }

    fn signature(&self) -> Signature {
        Signature {
            summary: "The label selector of a hub_app's pods",
            description: "Returns the labels that select the pods of the `hub_app` named `name` (its Deployment's \
                          and Service's selector), for a NetworkPolicy, PodMonitor or PodDisruptionBudget written by \
                          another provider. An app that sets `pod_selector` (an adopted Deployment's selector) is \
                          selected by those labels instead: use its `selector` attribute.",
            parameters: vec![name_parameter()],
            returns: Type::Map(Box::new(Type::String)),
        }
    }

    fn call(&self, args: &Arguments<'_>) -> Result<Value, FunctionError> {
        Ok(string_map(selector_of(app_name(args, 0)?)))
    }
}

/// A container image reference, split.
pub(crate) struct ParseImage;

/// The object type `parse_image` returns.
fn image_type() -> Type {
    Type::Object(
        ["registry", "repository", "tag", "digest"]
            .into_iter()
            .map(|k| (k.to_owned(), Type::String))
            .collect(),
    )
}

impl Function for ParseImage {
    fn name(&self) -> &'static str {
        "parse_image"
    }

    fn signature(&self) -> Signature {
        Signature {
            summary: "Splits a container image reference into registry, repository, tag and digest",
            description: "Parses `reference` with the grammar container runtimes use (and `hub_app.image` is \
                          checked with) and returns `registry` (`docker.io` when none is named), `repository` \
                          (`library/nginx` for `nginx`), `tag` and `digest` (null when absent). A reference the \
                          runtime would refuse is an error.",
            parameters: vec![Parameter::string(
                "reference",
                "An image reference, e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:1.4.2`.",
            )],
            returns: image_type(),
        }
    }

    fn call(&self, args: &Arguments<'_>) -> Result<Value, FunctionError> {
        let reference = args.string(0)?;
        let parsed = image::parse(reference)
            .map_err(|why| FunctionError::argument(0, format!("{reference:?} is not an image reference: {why}.")))?;
        let opt = |s: Option<String>| s.map_or(Value::Null, Value::String);
        Ok(Value::object([
            ("registry", Value::String(parsed.registry)),
            ("repository", Value::String(parsed.repository)),
            ("tag", opt(parsed.tag)),
            ("digest", opt(parsed.digest)),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(f: &dyn Function, args: Vec<Value>) -> Result<Value, FunctionError> {
        f.call(&Arguments(&args))
    }

    fn labels(pairs: &[(&str, &str)]) -> Value {
        Value::Map(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), Value::string(*v)))
                .collect(),
        )
    }

    #[test]
    fn selector_and_labels_are_what_render_puts_on_objects() {
        let got = call(&Selector, vec![Value::string("api")]).unwrap();
        assert_eq!(got, string_map(selector_of("api")));
        let got = call(&AppLabels, vec![Value::string("api"), labels(&[("team", "core")])]).unwrap();
        assert_eq!(
            got,
            labels(&[
                ("app.kubernetes.io/instance", "api"),
                ("app.kubernetes.io/name", "api"),
                ("team", "core")
            ])
        );
    }

    #[test]
    fn bad_names_and_labels_name_their_argument() {
        let err = call(&Selector, vec![Value::string("API")]).unwrap_err();
        assert_eq!(err.argument, Some(0));
        for bad in [
            labels(&[("app.kubernetes.io/managed-by", "me")]),
            labels(&[("bad key!", "x")]),
            labels(&[("team", "not a value")]),
        ] {
            let err = call(&AppLabels, vec![Value::string("api"), bad]).unwrap_err();
            assert_eq!(err.argument, Some(1), "{}", err.text);
        }
    }

    #[test]
    fn parse_image_returns_nulls_for_absent_parts() {
        let got = call(&ParseImage, vec![Value::string("nginx:1.27")]).unwrap();
        assert_eq!(got.attr("registry"), Some(&Value::string("docker.io")));
        assert_eq!(got.attr("repository"), Some(&Value::string("library/nginx")));
        assert_eq!(got.attr("tag"), Some(&Value::string("1.27")));
        assert_eq!(got.attr("digest"), Some(&Value::Null));
        let err = call(&ParseImage, vec![Value::string("Nginx:latest")]).unwrap_err();
        assert_eq!(err.argument, Some(0));
        assert!(err.text.contains("capital"), "{}", err.text);
    }
}
