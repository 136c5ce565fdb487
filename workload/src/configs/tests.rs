use super::redact::{REDACTED, Reason, Redactor};
use super::{ConfigSources, MAX_FILE_BYTES};
use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

/// A ConfigMap volume as the kubelet writes it: files are symlinks into `..data`.
fn kubelet_volume(dir: &Path, files: &[(&str, &[u8])]) {
    let stamp = dir.join("..2026_01_01_00_00_00.000000001");
    fs::create_dir(&stamp).expect("mkdir");
    for (name, content) in files {
        fs::write(stamp.join(name), content).expect("write");
    }
    symlink("..2026_01_01_00_00_00.000000001", dir.join("..data")).expect("symlink");
    for (name, _) in files {
        symlink(format!("..data/{name}"), dir.join(name)).expect("symlink");
    }
}

#[test]
fn env_and_files_are_shown_with_secrets_redacted() {
    let config = tempfile::tempdir().expect("tempdir");
    let secrets = tempfile::tempdir().expect("tempdir");
    let big = vec![b'x'; MAX_FILE_BYTES as usize + 1];
    kubelet_volume(
        config.path(),
        &[
            ("app.yaml", b"level: debug\n"),
            ("db_password", b"hunter2"),
            ("blob.bin", &[0xff, 0xfe, 0x00]),
            ("big.txt", &big),
        ],
    );
    fs::create_dir(config.path().join("nested")).expect("mkdir");
    kubelet_volume(secrets.path(), &[("username", b"admin"), ("api", b"sk-live-123")]);

    let env = [
        ("ENVIRONMENT", "production"),
        ("DATABASE_URL", "postgres://app:pw@db/app"),
        ("CACHE_URL", "redis://:pw@cache:6379"),
        ("API_TOKEN", "t0ken"),
    ]
    .map(|(k, v)| (k.to_owned(), v.to_owned()));
    let sources = ConfigSources::new(
        env,
        Redactor::new(["DATABASE_URL".to_owned()].into(), Default::default()),
        vec![config.path().to_path_buf()],
        vec![secrets.path().to_path_buf()],
    );
    let view = sources.collect();

    assert_eq!(view.env["ENVIRONMENT"], "production");
    assert_eq!(view.env["DATABASE_URL"], REDACTED);
    assert_eq!(view.env["CACHE_URL"], "redis://:[redacted]@cache:6379");
    assert_eq!(view.env["API_TOKEN"], REDACTED);
    assert_eq!(view.redacted["env:DATABASE_URL"], Reason::DeclaredSecret);
    assert_eq!(view.redacted["env:CACHE_URL"], Reason::UrlPassword);
    assert_eq!(view.redacted["env:API_TOKEN"], Reason::SecretName);
    assert!(!view.redacted.contains_key("env:ENVIRONMENT"));

    let file = |dir: &Path, name: &str| view.files.get(&dir.join(name).display().to_string()).cloned();
    assert_eq!(file(config.path(), "app.yaml").as_deref(), Some("level: debug\n"));
    assert_eq!(file(config.path(), "db_password").as_deref(), Some(REDACTED));
    assert_eq!(file(config.path(), "blob.bin").as_deref(), Some("[binary: 3 bytes]"));
    assert_eq!(
        file(config.path(), "big.txt"),
        Some(format!("[not shown: {} bytes]", MAX_FILE_BYTES + 1))
    );
    assert_eq!(file(secrets.path(), "username").as_deref(), Some(REDACTED));
    assert_eq!(file(secrets.path(), "api").as_deref(), Some(REDACTED));
    let secret_key = format!("file:{}", secrets.path().join("username").display());
    assert_eq!(view.redacted[&secret_key], Reason::SecretMount);
    // Kubelet internals and subdirectories are not listed.
    assert!(view.files.keys().all(|k| !k.contains("..")), "{:?}", view.files.keys());
    assert_eq!(view.files.len(), 6, "{:?}", view.files.keys());
    assert!(view.errors.is_empty(), "{:?}", view.errors);

    let json = serde_json::to_string(&view).expect("json");
    for secret in ["hunter2", "sk-live-123", "admin", "t0ken", ":pw@"] {
        assert!(!json.contains(secret), "{secret} leaked: {json}");
    }
}

#[test]
fn missing_directories_are_reported_not_fatal() {
    let sources = ConfigSources::new([], Redactor::default(), vec!["/nonexistent/hub-config".into()], vec![]);
    let view = sources.collect();
    assert!(view.files.is_empty());
    assert_eq!(view.errors.len(), 1);
    assert!(
        view.errors[0].starts_with("/nonexistent/hub-config: "),
        "{:?}",
        view.errors
    );
}
