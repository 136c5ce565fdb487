use super::{Settings, SettingsError};
use std::time::Duration;

fn settings(vars: &[(&str, &str)]) -> Result<Settings, SettingsError> {
    Settings::from_vars(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())))
}

#[test]
fn defaults_when_nothing_is_set() {
    let s = settings(&[]).expect("defaults parse");
    assert_eq!(s.listen.to_string(), "0.0.0.0:8080");
    assert_eq!(s.admin_listen.to_string(), "0.0.0.0:8081");
    assert_eq!(s.limits.header_timeout, Duration::from_secs(5));
    assert_eq!(s.limits.reserved_connections, 16);
    assert_eq!(s.identity_cache, Duration::from_secs(30));
    assert_eq!(s.drain_delay, Duration::from_secs(5));
    assert!(s.dependencies.is_empty() && s.grants.is_empty() && !s.debug_endpoints);
    assert_eq!(s.log_filter, "info");
}

#[test]
fn port_falls_back_to_port_and_hub_port_wins() {
    assert_eq!(settings(&[("PORT", "5000")]).unwrap().listen.port(), 5000);
    assert_eq!(
        settings(&[("PORT", "5000"), ("HUB_PORT", "9000")])
            .unwrap()
            .listen
            .port(),
        9000
    );
}

#[test]
fn lists_are_trimmed_and_parsed() {
    let s = settings(&[
        ("HUB_DEPENDS_ON", " tcp://db:5432, ,http://api.local/health "),
        ("HUB_SECRET_KEYS", "DATABASE_URL,API_TOKEN"),
        ("HUB_CONFIG_DIRS", "/etc/a:/etc/b,/etc/c"),
        ("HUB_GRANTS", "s3://bucket/key,secretsmanager:db,ssm:/app/x"),
        ("LOG_LEVEL", "DEBUG"),
    ])
    .expect("valid");
    assert_eq!(s.dependencies.len(), 2);
    assert!(s.secret_keys.contains("DATABASE_URL") && s.secret_keys.contains("API_TOKEN"));
    assert_eq!(s.config_dirs.len(), 3);
    assert_eq!(s.grants.len(), 3);
    assert_eq!(s.log_filter, "debug");
}

#[test]
fn bad_values_name_the_variable() {
    let cases = [
        ("HUB_PORT", "eighty", "HUB_PORT"),
        ("HUB_DRAIN_DELAY", "soon", "HUB_DRAIN_DELAY"),
        ("HUB_DEBUG_ENDPOINTS", "maybe", "HUB_DEBUG_ENDPOINTS"),
        ("HUB_DEPENDS_ON", "db:5432", "HUB_DEPENDS_ON"),
        ("HUB_GRANTS", "dynamodb:table", "HUB_GRANTS"),
    ];
    for (name, value, mention) in cases {
        let err = settings(&[(name, value)]).expect_err(name).to_string();
        assert!(err.contains(mention), "{err}");
    }
}

#[test]
fn admin_listener_follows_the_host_and_cannot_share_the_app_port() {
    let s = settings(&[("HUB_HOST", "127.0.0.1"), ("HUB_ADMIN_PORT", "9901")]).expect("valid");
    assert_eq!(s.admin_listen.to_string(), "127.0.0.1:9901");
    let s = settings(&[("HUB_ADMIN_HOST", "127.0.0.1")]).expect("valid");
    assert_eq!(s.admin_listen.to_string(), "127.0.0.1:8081");
    let err = settings(&[("HUB_PORT", "8081")]).expect_err("clash").to_string();
    assert!(err.contains("HUB_ADMIN_PORT"), "{err}");
    let err = settings(&[("PORT", "7000"), ("HUB_ADMIN_PORT", "7000")])
        .expect_err("clash")
        .to_string();
    assert!(err.contains("HUB_ADMIN_PORT"), "{err}");
    settings(&[("HUB_PORT", "0"), ("HUB_ADMIN_PORT", "0")]).expect("two ephemeral ports");
}
