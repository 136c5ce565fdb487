//! GetFunctions and CallFunction: the registry's functions as tfplugin6 definitions, and calls decoded
//! against each parameter's type. A failure is a `FunctionError` naming the argument, never a diagnostic.

use std::collections::HashMap;

use crate::framework::{Arguments, Function, FunctionError, Registry};
use crate::proto::tfplugin6 as pb;
use crate::value::{Value, msgpack};

/// The tfplugin6 definition of one function.
pub(super) fn definition(f: &dyn Function) -> pb::Function {
    let sig = f.signature();
    pb::Function {
        parameters: sig
            .parameters
            .iter()
            .map(|p| pb::function::Parameter {
                name: p.name.to_owned(),
                r#type: p.ty.to_json_bytes(),
                allow_null_value: false,
                allow_unknown_values: false,
                description: p.description.to_owned(),
                description_kind: pb::StringKind::Markdown.into(),
            })
            .collect(),
        variadic_parameter: None,
        r#return: Some(pb::function::Return {
            r#type: sig.returns.to_json_bytes(),
        }),
        summary: sig.summary.to_owned(),
        description: sig.description.to_owned(),
        description_kind: pb::StringKind::Markdown.into(),
        deprecation_message: String::new(),
    }
}

/// Every function's definition by name.
pub(super) fn definitions(registry: &Registry) -> HashMap<String, pb::Function> {
    registry
        .functions
        .iter()
        .map(|(name, f)| ((*name).to_owned(), definition(f.as_ref())))
        .collect()
}

/// GetFunctions.
pub(super) fn get_functions(registry: &Registry) -> pb::get_functions::Response {
    pb::get_functions::Response {
        functions: definitions(registry),
        diagnostics: Vec::new(),
    }
}

/// CallFunction.
pub(super) fn call_function(registry: &Registry, req: &pb::call_function::Request) -> pb::call_function::Response {
    match call(registry, req) {
        Ok(result) => pb::call_function::Response {
            result: Some(result),
            error: None,
        },
        Err(e) => pb::call_function::Response {
            result: None,
            error: Some(pb::FunctionError {
                text: e.text,
                function_argument: e.argument.and_then(|i| i64::try_from(i).ok()),
            }),
        },
    }
}

fn call(registry: &Registry, req: &pb::call_function::Request) -> Result<pb::DynamicValue, FunctionError> {
    let f = registry.functions.get(req.name.as_str()).ok_or_else(|| FunctionError {
        text: format!("hub has no function {:?}.", req.name),
        argument: None,
    })?;
    let sig = f.signature();
    if req.arguments.len() != sig.parameters.len() {
        return Err(FunctionError {
            text: format!(
                "{} takes {} arguments, got {}.",
                req.name,
                sig.parameters.len(),
                req.arguments.len()
            ),
            argument: None,
        });
    }
    let args = req
        .arguments
        .iter()
        .zip(&sig.parameters)
        .enumerate()
        .map(|(i, (dv, p))| {
            let decoded = if dv.msgpack.is_empty() {
                crate::value::json::decode(&dv.json, &p.ty)
            } else {
                msgpack::decode(&dv.msgpack, &p.ty)
            };
            decoded
                .map_err(|e| FunctionError::argument(i, format!("{} could not be read: {e}", p.name)))
                .and_then(|v| match v {
                    Value::Null => Err(FunctionError::argument(i, format!("{} must not be null.", p.name))),
                    v if !v.is_wholly_known() => Err(FunctionError::argument(i, format!("{} must be known.", p.name))),
                    v => Ok(v),
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let result = f.call(&Arguments(&args))?;
    msgpack::encode(&result, &sig.returns)
        .map(|msgpack| pb::DynamicValue {
            msgpack,
            json: Vec::new(),
        })
        .map_err(|e| FunctionError {
            text: format!("hub produced a result of the wrong type (a bug in hub): {e}"),
            argument: None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Type;

    fn arg(v: &Value) -> pb::DynamicValue {
        pb::DynamicValue {
            msgpack: msgpack::encode(v, &Type::String).expect("a string encodes"),
            json: Vec::new(),
        }
    }

    fn call_selector(arguments: Vec<pb::DynamicValue>) -> pb::call_function::Response {
        let registry = crate::resources::registry();
        let req = pb::call_function::Request {
            name: "selector".into(),
            arguments,
        };
        call_function(&registry, &req)
    }

    #[test]
    fn a_call_decodes_its_arguments_and_encodes_the_result() {
        let resp = call_selector(vec![arg(&Value::string("api"))]);
        assert!(resp.error.is_none(), "{:?}", resp.error);
        let result = resp.result.expect("a result");
        let value = msgpack::decode(&result.msgpack, &Type::Map(Box::new(Type::String))).expect("a map");
        assert_eq!(
            value.as_map().map(|m| m.keys().cloned().collect::<Vec<_>>()),
            Some(vec![
                "app.kubernetes.io/instance".to_owned(),
                "app.kubernetes.io/name".to_owned()
            ])
        );
    }

    #[test]
    fn wrong_arity_null_unknown_and_undecodable_arguments_are_function_errors() {
        let err = |resp: pb::call_function::Response| resp.error.expect("an error");
        assert_eq!(err(call_selector(vec![])).function_argument, None);
        assert_eq!(err(call_selector(vec![arg(&Value::Null)])).function_argument, Some(0));
        assert_eq!(
            err(call_selector(vec![arg(&Value::unknown())])).function_argument,
            Some(0)
        );
        let garbage = pb::DynamicValue {
            msgpack: vec![0xc1],
            json: Vec::new(),
        };
        assert_eq!(err(call_selector(vec![garbage])).function_argument, Some(0));
        let registry = crate::resources::registry();
        let unknown_name = pb::call_function::Request {
            name: "nope".into(),
            arguments: vec![],
        };
        assert!(call_function(&registry, &unknown_name).error.is_some());
    }
}
