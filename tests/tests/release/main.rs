//! Releases installed the way users install them: `package.py` packages and signs the provider, a local
//! registry serves it over HTTPS (service discovery, the registry protocol, the network mirror protocol),
//! and OpenTofu, Terraform 1.5.7 and Terraform 1.13.3 `init` it, verify its signature, pin its hashes and
//! plan with it; broken releases are refused by the CLIs' own checks; mirrors work offline.
//!
//! The release is built and served once per test binary ([`fixture::Release`]).

mod fixture;
mod package;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use hub_acceptance::registry::Registry;
use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{err, expect, fixture, sandbox};
use hub_acceptance::tf::{self, Action, Cli, CliKind, Install, Output, Workspace};

use fixture::{GOOD, OTHER_KEY, Release, TAMPERED_ZIP, WRONG_SUMS};

/// A workspace installing only from `registry`, trusting only its CA.
fn registry_workspace(cli: &Cli, registry: &Registry, cli_config: &str) -> tf::Result<Workspace> {
    let mut ws = Workspace::with_install(cli, Install::Configured)?;
    ws.set_cli_config(cli_config)?;
    for (k, v) in registry.trust_env() {
        ws.set_env(k, v);
    }
    Ok(ws)
}

/// A workspace whose only installation source is the registry's `providers.v1` service.
fn direct_workspace(cli: &Cli, registry: &Registry) -> tf::Result<Workspace> {
    let cfg = fixture("release/direct.tfrc", &[("host", &registry.host())]);
    registry_workspace(cli, registry, &cfg)
}

/// `init` without `.ok()`: refusals are asserted on.
fn init(ws: &Workspace) -> tf::Result<Output> {
    ws.run(&["init", "-input=false", "-no-color"])
}

/// Every `zh:` and the number of `h1:` hashes in a lock file (it holds one provider here).
fn lock_hashes(lock: &str) -> (BTreeSet<String>, usize) {
    let quoted = lock
        .lines()
        .map(|l| l.trim().trim_end_matches(',').trim_matches('"'))
        .filter(|l| l.starts_with("zh:") || l.starts_with("h1:"));
    let (zh, h1): (Vec<&str>, Vec<&str>) = quoted.partition(|h| h.starts_with("zh:"));
    (zh.into_iter().map(str::to_owned).collect(), h1.len())
}

/// The `zh:` form of every line of SHA256SUMS (the manifest's included: the CLIs lock them all).
fn sums_hashes(sums: &Path) -> tf::Result<BTreeSet<String>> {
    let text = std::fs::read_to_string(sums).map_err(err)?;
    Ok(text
        .lines()
        .filter_map(|l| l.split_once("  "))
        .map(|(hash, _)| format!("zh:{hash}"))
        .collect())
}

/// Where `init` unpacked the provider: proof it runs the packaged binary, not an override.
fn installed_binary(ws: &Workspace, source: &str, version: &str) -> PathBuf {
    ws.path()
        .join(".terraform/providers")
        .join(source)
        .join(version)
        .join("linux_amd64")
        .join(format!("terraform-provider-hub_v{version}"))
}

/// Collapses runs of whitespace: the CLIs wrap diagnostics at the terminal width.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `init` installs hub from the registry, names the signing key, locks every SHA256SUMS hash plus an `h1:`,
/// and a plan against the local control plane runs on the installed binary.
#[test]
fn init_installs_the_signed_release_and_plans() -> tf::Result<()> {
    let release = Release::get()?;
    let source = format!("{}/{GOOD}/hub", release.registry.host());
    let kubeconfig = sandbox().kubeconfig_path().display().to_string();
    let name = Scope::new("release").name("init");
    let wanted = sums_hashes(&release.sums())?;
    tf::for_each_cli(|cli| {
        let ws = direct_workspace(cli, &release.registry)?;
        ws.config(&fixture(
            "release/plan.tf",
            &[("source", &source), ("kubeconfig", &kubeconfig), ("name", &name)],
        ))?;
        let out = init(&ws)?.ok()?;
        // Terraform calls a key without a HashiCorp partner signature "self-signed"; OpenTofu just "signed".
        let signed = match cli.kind {
            CliKind::OpenTofu => "signed",
            CliKind::Terraform => "self-signed",
        };
        let (version, key_id) = (&release.version, &release.trusted.key_id);
        let key = format!("- Installed {source} v{version} ({signed}, key ID {key_id})");
        expect(
            out.stdout.contains(&key),
            &format!("init names the signing key ({key}):\n{out}"),
        )?;
        let lock = ws.read(".terraform.lock.hcl")?;
        let (zh, h1) = lock_hashes(&lock);
        expect(
            zh == wanted,
            &format!("the lock's zh: hashes {zh:?} are SHA256SUMS's {wanted:?}"),
        )?;
        expect(h1 == 1, &format!("one h1: hash in the lock file:\n{lock}"))?;
        let binary = installed_binary(&ws, &source, &release.version);
        expect(binary.is_file(), &format!("{} is installed", binary.display()))?;
        let plan = ws.plan()?;
        plan.resource_change("hub_namespace.ns")?
            .expect_actions(&[Action::Create])?;
        Ok(())
    })
}

/// `init` fails without a crash, and its output has `want` (whitespace-insensitive).
fn init_refuses(ws: &Workspace, want: &str) -> tf::Result<()> {
    let out = init(ws)?.failed()?;
    out.expect_no_crash()?;
    let text = squash(&format!("{}\n{}", out.stdout, out.stderr));
    expect(text.contains(want), &format!("init's refusal says {want:?}:\n{out}"))
}

/// `init` against a broken namespace fails, and its output has `expected` (whitespace-insensitive).
fn expect_refused(namespace: &str, expected: impl Fn(&Cli, &Release) -> String) -> tf::Result<()> {
    let release = Release::get()?;
    let source = format!("{}/{namespace}/hub", release.registry.host());
    tf::for_each_cli(|cli| {
        let ws = direct_workspace(cli, &release.registry)?;
        ws.config(&fixture("release/install.tf", &[("source", &source)]))?;
        init_refuses(&ws, &expected(cli, release))?;
        let binary = installed_binary(&ws, &source, &release.version);
        expect(!binary.exists(), "nothing is installed")
    })
}

/// A zip changed after publication fails the checksum the registry announced.
#[test]
fn init_refuses_a_tampered_zip() -> tf::Result<()> {
    expect_refused(TAMPERED_ZIP, |_, r| {
        format!(
            "archive has incorrect checksum zh:{} (expected zh:{})",
            r.tampered_sha256, r.zip_sha256
        )
    })
}

/// SHA256SUMS whose line for the archive is wrong, though properly signed, is refused.
#[test]
fn init_refuses_a_wrong_checksum_line() -> tf::Result<()> {
    expect_refused(WRONG_SUMS, |_, r| {
        format!(
            "checksum list has unexpected SHA-256 hash {} (expected {})",
            r.wrong_sha256, r.zip_sha256
        )
    })
}

/// SHA256SUMS signed by a key other than the registry's listed key is refused.
#[test]
fn init_refuses_a_signature_by_another_key() -> tf::Result<()> {
    expect_refused(OTHER_KEY, |cli, _| match cli.kind {
        // OpenTofu explains the cause before the library's words.
        CliKind::OpenTofu => "the provider is not signed with a valid signing key; please contact the provider \
                              author (authentication signature from unknown issuer)"
            .into(),
        CliKind::Terraform => "authentication signature from unknown issuer".into(),
    })
}

/// `hub/hub` (the public registry's address) installs from the network mirror, the public registries
/// never being asked (the CLI configuration has no other source).
#[test]
fn init_from_the_network_mirror() -> tf::Result<()> {
    let release = Release::get()?;
    tf::for_each_cli(|cli| {
        let ws = mirror_workspace(cli, release, GOOD)?;
        ws.config(&fixture("release/install.tf", &[("source", tf::SOURCE)]))?;
        init(&ws)?.ok()?;
        let source = format!("{}/{}", cli.default_registry(), tf::SOURCE);
        let binary = installed_binary(&ws, &source, &release.version);
        expect(binary.is_file(), &format!("{} is installed", binary.display()))?;
        let lock = ws.read(".terraform.lock.hcl")?;
        let (zh, h1) = lock_hashes(&lock);
        // The mirror's hashes are not signed: Terraform checks the archive against them but locks only the
        // `h1:` of what it unpacked; OpenTofu also locks the archive's `zh:`.
        let mirror_zh: BTreeSet<String> = match cli.kind {
            CliKind::OpenTofu => [format!("zh:{}", release.zip_sha256)].into(),
            CliKind::Terraform => BTreeSet::new(),
        };
        expect(
            zh == mirror_zh,
            &format!("zh: hashes {mirror_zh:?} in the lock:\n{lock}"),
        )?;
        expect(h1 == 1, "one h1: hash")?;
        let asked = format!("/mirror/{source}/{}.json", release.version);
        expect(
            release.registry.requests().contains(&asked),
            &format!("the mirror was asked for {asked}"),
        )
    })
}

/// A workspace installing `NAMESPACE/hub` (public registry address) from the network mirror only.
fn mirror_workspace(cli: &Cli, release: &Release, namespace: &str) -> tf::Result<Workspace> {
    let url = release.registry.mirror_url();
    let cfg = fixture(
        "release/network-mirror.tfrc",
        &[("url", &url), ("namespace", namespace)],
    );
    registry_workspace(cli, &release.registry, &cfg)
}

/// A mirrored archive that does not match the mirror's `zh:` hash is refused.
#[test]
fn network_mirror_refuses_a_tampered_zip() -> tf::Result<()> {
    let release = Release::get()?;
    tf::for_each_cli(|cli| {
        let ws = mirror_workspace(cli, release, TAMPERED_ZIP)?;
        ws.config(&fixture(
            "release/install.tf",
            &[("source", &format!("{TAMPERED_ZIP}/hub"))],
        ))?;
        let sha = &release.zip_sha256;
        init_refuses(
            &ws,
            &format!("provider package doesn't match the expected checksum \"zh:{sha}\""),
        )
    })
}

/// The README's interim recipe: `dist/` zips, unchanged, in a filesystem mirror's packed layout
/// (`HOST/hub/hub/terraform-provider-hub_VERSION_OS_ARCH.zip`) install `hub/hub` without any server.
#[test]
fn dist_zips_install_from_a_filesystem_mirror() -> tf::Result<()> {
    let release = Release::get()?;
    let mirror = release.scratch("packed-mirror")?;
    let zip = format!("terraform-provider-hub_{}_linux_amd64.zip", release.version);
    for host in ["registry.terraform.io", "registry.opentofu.org"] {
        let dir = mirror.join(host).join(tf::SOURCE);
        std::fs::create_dir_all(&dir).map_err(err)?;
        std::fs::hard_link(release.good.join(&zip), dir.join(&zip)).map_err(err)?;
    }
    let path = mirror.to_string_lossy();
    let cfg = fixture("release/filesystem-mirror.tfrc", &[("path", &path)]);
    tf::for_each_cli(|cli| {
        let ws = registry_workspace(cli, &release.registry, &cfg)?;
        ws.config(&fixture("release/install.tf", &[("source", tf::SOURCE)]))?;
        init(&ws)?.ok()?;
        let source = format!("{}/{}", cli.default_registry(), tf::SOURCE);
        let binary = installed_binary(&ws, &source, &release.version);
        expect(binary.is_file(), &format!("{} is installed", binary.display()))?;
        let (_, h1) = lock_hashes(&ws.read(".terraform.lock.hcl")?);
        expect(h1 == 1, "one h1: hash in the lock file")
    })
}

/// `providers mirror DIR` output, used as a filesystem mirror, installs hub with the registry stopped.
#[test]
fn providers_mirror_output_installs_offline() -> tf::Result<()> {
    let release = Release::get()?;
    tf::for_each_cli(|cli| {
        let scratch = release.scratch(&cli.to_string().replace(' ', "-"))?;
        let mirror = scratch.join("mirror");
        let mut registry = release.private_registry(&scratch.join("ca"))?;
        let source = format!("{}/{GOOD}/hub", registry.host());
        let config = fixture("release/install.tf", &[("source", &source)]);
        let ws = direct_workspace(cli, &registry)?;
        ws.config(&config)?;
        let mirror_arg = mirror.to_string_lossy();
        ws.run(&["providers", "mirror", "-platform=linux_amd64", &mirror_arg])?
            .ok()?;
        registry.stop();
        let closed = std::net::TcpStream::connect(registry.addr()).is_err();
        expect(closed, &format!("the registry's port {} is closed", registry.addr()))?;

        let cfg = fixture("release/filesystem-mirror.tfrc", &[("path", &mirror_arg)]);
        let offline = registry_workspace(cli, &registry, &cfg)?;
        offline.config(&config)?;
        init(&offline)?.ok()?;
        let binary = installed_binary(&offline, &source, &release.version);
        expect(binary.is_file(), &format!("{} is installed offline", binary.display()))
    })
}
