//! Step-based tests in the manner of terraform-plugin-testing's `resource.Test`: a [`TestCase`] is a list of
//! [`Step`]s run in one workspace, each applying a configuration and then checking it; the case ends with
//! `destroy` and a check that the state is empty.
//!
//! For each step, in order:
//! 1. write `main.tf` (and `init` when the provider comes from a filesystem mirror);
//! 2. with [`Step::pre_config`]: run the changes made outside Terraform (drift) before planning;
//! 3. with [`Step::expect_error`]: `apply` must fail with a matching diagnostic, and the step ends there;
//! 4. `plan -out`, then the plan checks; `apply` of that saved plan, which must do what the plan said
//!    ([`crate::promise::apply_as_planned`]);
//! 5. `show -json`, then the state checks;
//! 6. a second `plan` must be empty (no perpetual diff);
//! 7. with [`Step::import_verify`]: in a fresh workspace with the same configuration, `import` the resource
//!    and compare every top-level attribute with the applied one, except the named [`Unverifiable`] ones;
//! 8. with [`Step::import_plans_no_change`]: in a fresh workspace with the same configuration, `import` the
//!    resource and require that the plan after it changes nothing of that resource.
//!
//! Every command's output is also checked for crash text ([`super::command::CRASH_MARKERS`]).

use serde_json::Value;

use super::cli::Cli;
use super::diag::DiagMatch;
use super::error::{Error, Result};
use super::plan::Plan;
use super::provider::Install;
use super::state::State;
use super::workspace::Workspace;

type StateCheck = Box<dyn Fn(&State) -> Result<()> + Send + Sync>;
type PlanCheck = Box<dyn Fn(&Plan) -> Result<()> + Send + Sync>;
type PreConfig = Box<dyn Fn() -> Result<()> + Send + Sync>;
type ImportCheck = Box<dyn Fn(&Value, &Value) -> Result<()> + Send + Sync>;

/// An attribute import-verify does not compare, and why import cannot know it. Every exception is named
/// with its reason, so the list can only shrink when the reason stops being true.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unverifiable {
    /// The top-level attribute, or a dotted path (`limit_range.default_request_memory`) to leave out
    /// only that nested attribute.
    pub attribute: &'static str,
    /// One line: why an import cannot recover it (write-only, secret, not read back, ...).
    pub reason: &'static str,
}

impl Unverifiable {
    /// `attribute` is not compared, because of `reason`.
    pub const fn new(attribute: &'static str, reason: &'static str) -> Self {
        Unverifiable { attribute, reason }
    }
}

/// Where `import` gets the resource's import ID.
#[derive(Debug, Clone)]
pub enum ImportId {
    /// This literal string.
    Literal(String),
    /// The applied resource's attribute at this dotted path (usually `id`).
    Attribute(String),
}

#[derive(Debug, Clone)]
struct ImportVerify {
    address: String,
    id: ImportId,
    ignore: Vec<Unverifiable>,
}

/// One step: a configuration and what must hold after applying it.
#[derive(Default)]
pub struct Step {
    config: String,
    pre_config: Option<PreConfig>,
    plan_checks: Vec<PlanCheck>,
    checks: Vec<StateCheck>,
    import: Option<ImportVerify>,
    import_checks: Vec<ImportCheck>,
    import_no_change: Option<(String, ImportId)>,
    expect_error: Option<DiagMatch>,
}

impl Step {
    /// A step applying `config` (the whole `main.tf`).
    pub fn new(config: impl Into<String>) -> Self {
        Step {
            config: config.into(),
            ..Step::default()
        }
    }

    /// Runs `f` before the step's configuration is planned: a change made outside Terraform (drift).
    pub fn pre_config(mut self, f: impl Fn() -> Result<()> + Send + Sync + 'static) -> Self {
        self.pre_config = Some(Box::new(f));
        self
    }

    /// Checks the plan before it is applied.
    pub fn plan_check(mut self, f: impl Fn(&Plan) -> Result<()> + Send + Sync + 'static) -> Self {
        self.plan_checks.push(Box::new(f));
        self
    }

    /// Checks the state after apply.
    pub fn check(mut self, f: impl Fn(&State) -> Result<()> + Send + Sync + 'static) -> Self {
        self.checks.push(Box::new(f));
        self
    }

    /// After apply, imports `address` into a fresh state and requires the same attributes, except the
    /// top-level attributes in `ignore`, each with the reason import cannot know it.
    pub fn import_verify(mut self, address: &str, id: ImportId, ignore: &[Unverifiable]) -> Self {
        let ignore = ignore.to_vec();
        self.import = Some(ImportVerify {
            address: address.to_string(),
            id,
            ignore,
        });
        self
    }

    /// With [`Step::import_verify`]: also checks the applied and the imported attributes (`values` of
    /// each) with `f`, e.g. what can be compared of an exception (a subset, a normalised form).
    pub fn import_check(mut self, f: impl Fn(&Value, &Value) -> Result<()> + Send + Sync + 'static) -> Self {
        self.import_checks.push(Box::new(f));
        self
    }

    /// After apply, imports `address` into a fresh state (same configuration) and requires the plan after
    /// the import to leave it unchanged: import restored every attribute the configuration sets.
    pub fn import_plans_no_change(mut self, address: &str, id: ImportId) -> Self {
        self.import_no_change = Some((address.to_string(), id));
        self
    }

    /// The step must fail (at plan or apply) with a diagnostic matching `m`.
    pub fn expect_error(mut self, m: DiagMatch) -> Self {
        self.expect_error = Some(m);
        self
    }
}

/// A sequence of steps sharing one workspace (and so one state).
#[derive(Default)]
pub struct TestCase {
    install: Option<Install>,
    env: Vec<(String, String)>,
    steps: Vec<Step>,
}

impl TestCase {
    /// An empty case using `dev_overrides`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Installs the provider this way instead (see [`Install`]).
    pub fn install(mut self, install: Install) -> Self {
        self.install = Some(install);
        self
    }

    /// Sets an environment variable for every command.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// Appends a step.
    pub fn step(mut self, step: Step) -> Self {
        self.steps.push(step);
        self
    }

    /// Runs every step under `cli`, then destroys. On a failing step, still attempts `destroy` and reports
    /// the step's error.
    pub fn run(&self, cli: &Cli) -> Result<()> {
        let mut ws = Workspace::with_install(cli, self.install.unwrap_or(Install::DevOverrides))?;
        for (k, v) in &self.env {
            ws.set_env(k, v);
        }
        for (i, step) in self.steps.iter().enumerate() {
            if let Err(e) = run_step(&ws, step) {
                let _ = ws.destroy();
                return Err(Error::Step {
                    step: i + 1,
                    source: Box::new(e),
                });
            }
        }
        let out = ws.destroy()?;
        out.expect_no_crash()?;
        let state = ws.state()?;
        if !state.is_empty() {
            let left: Vec<&str> = state.resources().iter().map(|r| r.address).collect();
            return Err(Error::assertion(format!("destroy left resources in state: {left:?}")));
        }
        Ok(())
    }
}

fn run_step(ws: &Workspace, step: &Step) -> Result<()> {
    ws.config(&step.config)?;
    if ws.install() == Install::FilesystemMirror {
        ws.init()?.expect_no_crash()?;
    }
    if let Some(f) = &step.pre_config {
        f()?;
    }
    if let Some(m) = &step.expect_error {
        let out = ws.apply_err()?;
        out.expect_no_crash()?;
        out.diagnostics().expect(m)?;
        return Ok(());
    }
    let plan = ws.plan()?;
    for check in &step.plan_checks {
        check(&plan)?;
    }
    crate::promise::apply_as_planned(ws, &plan)?.expect_no_crash()?;
    let state = ws.state()?;
    for check in &step.checks {
        check(&state)?;
    }
    ws.plan()?
        .expect_empty()
        .map_err(|e| Error::assertion(format!("re-plan after apply: {e}")))?;
    if let Some(iv) = &step.import {
        import_verify(ws, &state, iv, &step.import_checks)?;
    }
    if let Some((address, id)) = &step.import_no_change {
        import_plans_no_change(ws, &state, address, id)?;
    }
    Ok(())
}

fn import_id(state: &State, address: &str, id: &ImportId) -> Result<String> {
    Ok(match id {
        ImportId::Literal(s) => s.clone(),
        ImportId::Attribute(path) => state.resource(address)?.str(path)?.to_string(),
    })
}

fn import_plans_no_change(ws: &Workspace, state: &State, address: &str, id: &ImportId) -> Result<()> {
    let id = import_id(state, address, id)?;
    let fresh = ws.fresh_copy()?;
    if fresh.install() == Install::FilesystemMirror {
        fresh.init()?;
    }
    fresh.import(address, &id)?.expect_no_crash()?;
    let plan = fresh.plan()?;
    let change = plan.resource_change(address)?;
    if change.actions == [super::plan::Action::NoOp] {
        return Ok(());
    }
    let (before, after) = (&change.json()["change"]["before"], &change.json()["change"]["after"]);
    let unknown = &change.json()["change"]["after_unknown"];
    let empty = serde_json::Map::new();
    let keys: std::collections::BTreeSet<&String> = before
        .as_object()
        .unwrap_or(&empty)
        .keys()
        .chain(after.as_object().unwrap_or(&empty).keys())
        .collect();
    let diffs: Vec<String> = keys
        .into_iter()
        .filter(|k| before.get(*k) != after.get(*k) || unknown.get(*k).is_some_and(|u| u != &Value::Bool(false)))
        .map(|k| format!("  {k}: imported {:?}, planned {:?}", before.get(k), after.get(k)))
        .collect();
    Err(Error::assertion(format!(
        "the plan after importing {address} (id {id:?}) is {:?}, not a no-op:\n{}",
        change.actions,
        diffs.join("\n")
    )))
}

fn import_verify(ws: &Workspace, state: &State, iv: &ImportVerify, checks: &[ImportCheck]) -> Result<()> {
    let applied = state.resource(&iv.address)?;
    let id = import_id(state, &iv.address, &iv.id)?;
    let fresh = ws.fresh_copy()?;
    if fresh.install() == Install::FilesystemMirror {
        fresh.init()?;
    }
    fresh.import(&iv.address, &id)?.expect_no_crash()?;
    let imported_state = fresh.state()?;
    let imported = imported_state.resource(&iv.address)?;
    let diffs = top_level_diffs(applied.values, imported.values, &iv.ignore);
    if diffs.is_empty() {
        for check in checks {
            check(applied.values, imported.values)
                .map_err(|e| Error::assertion(format!("import of {} (id {id:?}): {e}", iv.address)))?;
        }
        return Ok(());
    }
    Err(Error::assertion(format!(
        "import of {} (id {id:?}) differs from the applied state:\n{}",
        iv.address,
        diffs.join("\n")
    )))
}

fn top_level_diffs(applied: &Value, imported: &Value, ignore: &[Unverifiable]) -> Vec<String> {
    let (mut applied, mut imported) = (applied.clone(), imported.clone());
    for u in ignore.iter().filter(|u| u.attribute.contains('.')) {
        remove_path(&mut applied, u.attribute);
        remove_path(&mut imported, u.attribute);
    }
    let empty = serde_json::Map::new();
    let a = applied.as_object().unwrap_or(&empty);
    let b = imported.as_object().unwrap_or(&empty);
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| !ignore.iter().any(|u| u.attribute == k.as_str()))
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| format!("  {k}: applied {:?}, imported {:?}", a.get(k), b.get(k)))
        .collect()
}

/// Removes the object key at dotted `path` (e.g. `limit_range.default_request_memory`), if present. A step
/// that names no key of an object goes through every element of that map (or list): `volumes.claim.size`
/// reaches the `claim.size` of each volume of the `volumes` map.
fn remove_path(value: &mut Value, path: &str) {
    let (first, rest) = path.split_once('.').map_or((path, None), |(f, r)| (f, Some(r)));
    match value {
        Value::Object(object) if object.contains_key(first) => match rest {
            None => drop(object.remove(first)),
            Some(rest) => remove_path(object.get_mut(first).unwrap_or(&mut Value::Null), rest),
        },
        Value::Object(object) => object.values_mut().for_each(|v| remove_path(v, path)),
        Value::Array(items) => items.iter_mut().for_each(|v| remove_path(v, path)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NESTED: Unverifiable = Unverifiable::new("a.b", "test");

    #[test]
    fn a_dotted_exception_ignores_only_that_nested_attribute() {
        let applied = json!({"a": {"b": null, "c": 1}, "d": 2});
        assert!(top_level_diffs(&applied, &json!({"a": {"b": 5, "c": 1}, "d": 2}), &[NESTED]).is_empty());
        let diffs = top_level_diffs(&applied, &json!({"a": {"b": 5, "c": 9}, "d": 2}), &[NESTED]);
        assert_eq!(diffs.len(), 1, "{diffs:?}");
        assert!(diffs[0].starts_with("  a:"));
    }

    #[test]
    fn a_dotted_exception_goes_through_maps_and_lists() {
        let ignore = [Unverifiable::new("volumes.claim.retain", "test")];
        let applied =
            json!({"volumes": {"data": {"claim": {"retain": false, "size": "1Gi"}}}, "l": [{"claim": {"retain": 1}}]});
        let imported =
            json!({"volumes": {"data": {"claim": {"retain": true, "size": "1Gi"}}}, "l": [{"claim": {"retain": 1}}]});
        assert!(top_level_diffs(&applied, &imported, &ignore).is_empty());
        let grown =
            json!({"volumes": {"data": {"claim": {"retain": true, "size": "2Gi"}}}, "l": [{"claim": {"retain": 1}}]});
        assert_eq!(top_level_diffs(&applied, &grown, &ignore).len(), 1);
    }

    #[test]
    fn a_top_level_exception_ignores_the_attribute() {
        let ignore = [Unverifiable::new("d", "test")];
        assert!(top_level_diffs(&json!({"d": 1}), &json!({"d": null}), &ignore).is_empty());
        assert_eq!(top_level_diffs(&json!({"d": 1}), &json!({"d": null}), &[]).len(), 1);
    }
}
