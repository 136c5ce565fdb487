//! What the registry answers, as a pure function of the request path: service discovery, the provider
//! registry protocol (`providers.v1`) and the provider network mirror protocol, plus the files they link to.
//!
//! - `/.well-known/terraform.json` → `{"providers.v1": "/v1/providers/"}`
//! - `/v1/providers/NS/hub/versions` and `/v1/providers/NS/hub/VERSION/download/OS/ARCH`
//! - `/files/NS/FILE`: the zips, SHA256SUMS and its signature of namespace NS, as they are on disk now
//! - `/mirror/HOST/NS/hub/index.json`, `/mirror/HOST/NS/hub/VERSION.json` and `/mirror/HOST/NS/hub/ZIP`
//!   (a mirror serves any origin host; only the namespace chooses the release)
//!
//! Checksums come from publication ([`Dist::publish`]); files are read per request, so a test can replace
//! a file after publication as a compromised download server would.

use serde_json::{Value, json};

use super::dist::{Dist, sums_name};
use super::gpg::SigningKey;

/// The only provider type served.
const TYPE: &str = "hub";

/// One namespace's release as the registry published it.
pub struct Published {
    /// The namespace (`hub` for the good release).
    pub name: String,
    /// Its directory and recorded checksums.
    pub dist: Dist,
    /// The key the registry lists as the namespace's signing key.
    pub key: SigningKey,
}

/// A response: status, content type and body.
#[derive(Debug)]
pub struct Reply {
    /// HTTP status code.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
}

impl Reply {
    fn json(v: &Value) -> Self {
        Reply {
            status: 200,
            content_type: "application/json",
            body: v.to_string().into_bytes(),
        }
    }

    fn not_found() -> Self {
        Reply {
            status: 404,
            content_type: "application/json",
            body: br#"{"errors":["Not Found"]}"#.to_vec(),
        }
    }
}

/// Answers `GET path`; `base` is the server's own `https://localhost:PORT`.
pub fn answer(base: &str, namespaces: &[Published], path: &str) -> Reply {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let ns = |name: &str| namespaces.iter().find(|n| n.name == name);
    match parts.as_slice() {
        [".well-known", "terraform.json"] => Reply::json(&json!({"providers.v1": "/v1/providers/"})),
        ["v1", "providers", n, TYPE, "versions"] => ns(n).map_or_else(Reply::not_found, versions),
        ["v1", "providers", n, TYPE, version, "download", os, arch] => ns(n)
            .and_then(|p| download(base, p, version, os, arch))
            .unwrap_or_else(Reply::not_found),
        ["files", n, file] => ns(n).map_or_else(Reply::not_found, |p| file_reply(p, file)),
        ["mirror", _host, n, TYPE, "index.json"] => ns(n).map_or_else(Reply::not_found, |p| {
            let versions: serde_json::Map<String, Value> = p
                .dist
                .versions()
                .into_iter()
                .map(|v| (v.to_owned(), json!({})))
                .collect();
            Reply::json(&json!({ "versions": versions }))
        }),
        ["mirror", _host, n, TYPE, file] => match (ns(n), file.strip_suffix(".json")) {
            (Some(p), Some(version)) => mirror_version(p, version),
            (Some(p), None) => file_reply(p, file),
            _ => Reply::not_found(),
        },
        _ => Reply::not_found(),
    }
}

fn versions(p: &Published) -> Reply {
    let versions: Vec<Value> = p
        .dist
        .versions()
        .into_iter()
        .map(|v| {
            let platforms: Vec<Value> = p
                .dist
                .of_version(v)
                .map(|(_, z)| json!({"os": z.os, "arch": z.arch}))
                .collect();
            json!({"version": v, "protocols": ["6.0"], "platforms": platforms})
        })
        .collect();
    Reply::json(&json!({ "versions": versions }))
}

fn download(base: &str, p: &Published, version: &str, os: &str, arch: &str) -> Option<Reply> {
    let (name, zip) = p.dist.find(version, os, arch)?;
    let files = format!("{base}/files/{}", p.name);
    let sums = sums_name(version);
    Some(Reply::json(&json!({
        "protocols": ["6.0"],
        "os": os,
        "arch": arch,
        "filename": name,
        "download_url": format!("{files}/{name}"),
        "shasums_url": format!("{files}/{sums}"),
        "shasums_signature_url": format!("{files}/{sums}.sig"),
        "shasum": zip.sha256,
        "signing_keys": {"gpg_public_keys": [{"key_id": p.key.key_id, "ascii_armor": p.key.ascii_armor}]},
    })))
}

fn mirror_version(p: &Published, version: &str) -> Reply {
    let archives: serde_json::Map<String, Value> = p
        .dist
        .of_version(version)
        .map(|(name, z)| {
            let hashes = [format!("zh:{}", z.sha256)];
            (format!("{}_{}", z.os, z.arch), json!({"url": name, "hashes": hashes}))
        })
        .collect();
    if archives.is_empty() {
        return Reply::not_found();
    }
    Reply::json(&json!({ "archives": archives }))
}

/// A file of the namespace's directory; names with a path separator or `..` are never looked up.
fn file_reply(p: &Published, name: &str) -> Reply {
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return Reply::not_found();
    }
    match std::fs::read(p.dist.dir.join(name)) {
        Ok(body) => Reply {
            status: 200,
            content_type: "application/octet-stream",
            body,
        },
        Err(_) => Reply::not_found(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn published(dir: &std::path::Path) -> Vec<Published> {
        std::fs::write(dir.join("terraform-provider-hub_0.1.0_linux_amd64.zip"), b"zip").unwrap();
        std::fs::write(dir.join("terraform-provider-hub_0.1.0_SHA256SUMS"), b"sums").unwrap();
        vec![Published {
            name: "hub".into(),
            dist: Dist::publish(dir).unwrap(),
            key: SigningKey {
                key_id: "0123456789ABCDEF".into(),
                ascii_armor: "armor".into(),
            },
        }]
    }

    fn get(ns: &[Published], path: &str) -> (u16, Value) {
        let r = answer("https://localhost:1", ns, path);
        (r.status, serde_json::from_slice(&r.body).unwrap_or(Value::Null))
    }

    #[test]
    fn speaks_discovery_registry_and_mirror_protocols() {
        let dir = tempfile::tempdir().unwrap();
        let ns = published(dir.path());
        let sha = crate::registry::sha256_hex(b"zip");
        assert_eq!(
            get(&ns, "/.well-known/terraform.json").1,
            json!({"providers.v1": "/v1/providers/"})
        );
        assert_eq!(
            get(&ns, "/v1/providers/hub/hub/versions").1,
            json!({"versions": [{"version": "0.1.0", "protocols": ["6.0"], "platforms": [{"os": "linux", "arch": "amd64"}]}]})
        );
        let (status, d) = get(&ns, "/v1/providers/hub/hub/0.1.0/download/linux/amd64");
        assert_eq!(status, 200);
        assert_eq!(d["shasum"], json!(sha));
        assert_eq!(
            d["download_url"],
            "https://localhost:1/files/hub/terraform-provider-hub_0.1.0_linux_amd64.zip"
        );
        assert_eq!(
            d["shasums_signature_url"],
            "https://localhost:1/files/hub/terraform-provider-hub_0.1.0_SHA256SUMS.sig"
        );
        assert_eq!(d["signing_keys"]["gpg_public_keys"][0]["key_id"], "0123456789ABCDEF");
        assert_eq!(
            get(&ns, "/mirror/registry.terraform.io/hub/hub/index.json").1,
            json!({"versions": {"0.1.0": {}}})
        );
        assert_eq!(
            get(&ns, "/mirror/registry.terraform.io/hub/hub/0.1.0.json").1,
            json!({"archives": {"linux_amd64": {"url": "terraform-provider-hub_0.1.0_linux_amd64.zip", "hashes": [format!("zh:{sha}")]}}})
        );
        let file = answer(
            "https://localhost:1",
            &ns,
            "/files/hub/terraform-provider-hub_0.1.0_SHA256SUMS",
        );
        assert_eq!((file.status, file.body), (200, b"sums".to_vec()));
    }

    #[test]
    fn answers_404_for_anything_else() {
        let dir = tempfile::tempdir().unwrap();
        let ns = published(dir.path());
        for path in [
            "/v1/providers/other/hub/versions",
            "/v1/providers/hub/kubernetes/versions",
            "/v1/providers/hub/hub/0.1.0/download/darwin/arm64",
            "/v1/providers/hub/hub/9.9.9/download/linux/amd64",
            "/files/hub/..",
            "/files/hub/../../etc/passwd",
            "/files/hub/missing.zip",
            "/mirror/registry.terraform.io/hub/hub/9.9.9.json",
        ] {
            assert_eq!(answer("https://localhost:1", &ns, path).status, 404, "{path}");
        }
    }
}
