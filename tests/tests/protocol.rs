//! Plugin-protocol acceptance tests: the real OpenTofu and Terraform CLIs load the provider, read its
//! schema, validate configurations and plan with an unknown provider configuration. Nothing here needs a
//! cluster. Each test runs under every available CLI ([`tf::for_each_cli`]).

use hub_acceptance::tf::{self, Action, Cli, DiagMatch, Install, Workspace};

const RESOURCE_TYPES: [&str; 4] = ["hub_app", "hub_irsa_binding", "hub_namespace", "hub_network_policy"];
const DATA_SOURCE_TYPES: [&str; 1] = ["hub_cluster"];

/// `providers schema -json` lists the four resource types and the data source, with dev_overrides.
#[test]
fn schema_lists_all_types() -> tf::Result<()> {
    tf::for_each_cli(|cli| expect_all_types(&Workspace::new(cli)?))
}

/// The same through a filesystem mirror: `init` installs hub/hub offline and writes a lock file.
#[test]
fn filesystem_mirror_install_works() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        let ws = Workspace::with_install(cli, Install::FilesystemMirror)?;
        ws.config(include_str!("../testdata/protocol/schema.tf"))?;
        ws.init()?.expect_no_crash()?;
        let lock = ws.read(".terraform.lock.hcl")?;
        let wanted = format!("provider \"{}/hub/hub\"", cli.default_registry());
        if !lock.contains(&wanted) {
            return Err(tf::Error::assertion(format!("lock file lacks {wanted}:\n{lock}")));
        }
        expect_all_types(&ws)
    })
}

/// go-plugin serves TCP on Windows; `HUB_PLUGIN_NETWORK=tcp` takes that path here, where hub then opens no
/// unix socket at all. The CLI connects to 127.0.0.1 with AutoMTLS and reads the schema, and validates.
#[test]
fn cli_talks_to_the_provider_over_tcp() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        let mut ws = Workspace::new(cli)?;
        ws.set_env("HUB_PLUGIN_NETWORK", "tcp");
        expect_all_types(&ws)?;
        let out = ws.validate()?;
        out.expect_no_crash()?;
        if out.json()?["valid"] != true {
            return Err(tf::Error::assertion(format!("validate over TCP failed:\n{out}")));
        }
        // The provider's own log says where Terraform reached it (go-plugin's debug log holds "rpc error"
        // lines at every shutdown, so no crash check on this run).
        ws.set_env("TF_LOG_PROVIDER", "debug");
        let out = ws.run(&["providers", "schema", "-json"])?.ok()?;
        let log = &out.stderr;
        if !(log.contains("network=tcp")
            && log.contains("address=127.0.0.1:")
            && log.contains("plugin TLS connection established"))
        {
            return Err(tf::Error::assertion(format!(
                "hub did not serve the CLI over TCP with TLS:\n{log}"
            )));
        }
        Ok(())
    })
}

fn expect_all_types(ws: &Workspace) -> tf::Result<()> {
    ws.config(include_str!("../testdata/protocol/schema.tf"))?;
    let out = ws.run(&["providers", "schema", "-json"])?.ok()?;
    out.expect_no_crash()?;
    let schemas = tf::ProviderSchemas::new(out.json()?);
    let hub = schemas.provider(tf::SOURCE)?;
    let (resources, data_sources) = (hub.resource_types(), hub.data_source_types());
    for t in RESOURCE_TYPES {
        if !resources.contains(&t) {
            return Err(tf::Error::assertion(format!(
                "resource {t} missing; resources: {resources:?}"
            )));
        }
    }
    for t in DATA_SOURCE_TYPES {
        if !data_sources.contains(&t) {
            return Err(tf::Error::assertion(format!(
                "data source {t} missing; data sources: {data_sources:?}"
            )));
        }
    }
    Ok(())
}

/// Runs `validate` on `config`; it must fail with exactly one error, matching `expected`, and no crash text.
fn expect_invalid(cli: &Cli, config: &str, expected: impl Fn(&Workspace) -> tf::Result<DiagMatch>) -> tf::Result<()> {
    let ws = Workspace::new(cli)?;
    ws.config(config)?;
    let out = ws.validate()?;
    out.expect_no_crash()?;
    if out.success() || out.json()?["valid"] != false {
        return Err(tf::Error::assertion(format!(
            "validate accepted an invalid configuration:\n{out}"
        )));
    }
    let diags = out.diagnostics();
    diags.expect(&expected(&ws)?)?;
    let errors = diags.errors().count();
    if errors != 1 {
        return Err(tf::Error::assertion(format!(
            "expected exactly one error, got {errors}:\n{diags}"
        )));
    }
    Ok(())
}

/// A missing required attribute is reported by core at the resource block, naming the attribute.
#[test]
fn validate_missing_required_attribute() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        expect_invalid(cli, include_str!("../testdata/protocol/missing_required.tf"), |ws| {
            let line = ws.line_of("main.tf", r#"resource "hub_namespace" "missing""#)?;
            Ok(DiagMatch::error()
                .summary("Missing required argument")
                .attribute("name")
                .at("main.tf", line))
        })
    })
}

/// A list where the schema says string is reported at the attribute's line.
#[test]
fn validate_wrong_type() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        expect_invalid(cli, include_str!("../testdata/protocol/wrong_type.tf"), |ws| {
            let line = ws.line_of("main.tf", "name = [")?;
            Ok(DiagMatch::error()
                .summary("Incorrect attribute value type")
                .attribute("name")
                .at("main.tf", line))
        })
    })
}

/// hub_namespace's own validation: `Bad_Name` is not a DNS-1123 label; the provider's diagnostic carries
/// the attribute path, which core turns into the attribute's line.
#[test]
fn validate_invalid_namespace_name() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        expect_invalid(cli, include_str!("../testdata/protocol/invalid_name.tf"), |ws| {
            let line = ws.line_of("main.tf", r#"name = "Bad_Name""#)?;
            Ok(DiagMatch::error().attribute("name").at("main.tf", line))
        })
    })
}

/// A provider block whose value is unknown at plan (it comes from a `terraform_data` created in the same
/// run) plans in one run: ConfigureProvider does not fail and hub_namespace plans from its configuration
/// alone, without contacting any server.
#[test]
fn unknown_provider_configuration_plans_in_one_run() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        let ws = Workspace::new(cli)?;
        ws.config(include_str!("../testdata/protocol/schema.tf"))?;
        let attr = connection_attribute(&ws)?;
        let config = include_str!("../testdata/protocol/unknown_provider_config.tf.tmpl").replace("ATTRIBUTE", &attr);
        ws.config(&config)?;
        let plan = ws.plan()?;
        plan.diagnostics.expect_no_errors()?;
        plan.resource_change("terraform_data.cluster")?
            .expect_actions(&[Action::Create])?;
        plan.resource_change("hub_namespace.demo")?
            .expect_actions(&[Action::Create])?
            .expect_after("name", serde_json::json!("demo"))?;
        let refs = &plan.json()["configuration"]["provider_config"]["hub"]["expressions"][&attr]["references"];
        if !refs
            .as_array()
            .is_some_and(|r| r.iter().any(|r| r == "terraform_data.cluster.output"))
        {
            return Err(tf::Error::assertion(format!(
                "provider.hub.{attr} should reference terraform_data.cluster.output, got {refs}"
            )));
        }
        Ok(())
    })
}

/// The provider-block attribute to feed the unknown value into: the first optional string attribute among
/// the usual connection settings, else any optional string attribute.
fn connection_attribute(ws: &Workspace) -> tf::Result<String> {
    let schemas = ws.providers_schema()?;
    let hub = schemas.provider(tf::SOURCE)?;
    let attrs = hub
        .provider_attributes()
        .ok_or_else(|| tf::Error::assertion("the hub provider block has no attributes"))?;
    let usable = |name: &str| {
        attrs
            .get(name)
            .is_some_and(|a| a["type"] == "string" && a["optional"] == true)
    };
    ["host", "cluster_endpoint", "endpoint", "cluster_name"]
        .into_iter()
        .map(str::to_string)
        .chain(attrs.keys().cloned())
        .find(|n| usable(n))
        .ok_or_else(|| {
            tf::Error::assertion(format!(
                "no optional string attribute in the provider block: {:?}",
                attrs.keys()
            ))
        })
}
