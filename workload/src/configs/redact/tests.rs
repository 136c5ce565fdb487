use super::*;

#[test]
fn secret_like_names_are_redacted_whatever_their_case() {
    let r = Redactor::default();
    for name in [
        "DB_PASSWORD",
        "api_key",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "GithubToken",
        "SENTRY_DSN",
        "tls.key",
        "google-credentials.json",
        "BASIC_AUTH",
    ] {
        assert_eq!(
            r.env(name, "hunter2"),
            (REDACTED.into(), Some(Reason::SecretName)),
            "{name}"
        );
    }
}

#[test]
fn ordinary_names_are_shown() {
    let r = Redactor::default();
    for name in ["ENVIRONMENT", "LOG_LEVEL", "API_VERSION", "PAGINATION_LIMIT"] {
        assert_eq!(r.env(name, "v1"), ("v1".into(), None), "{name}");
    }
}

#[test]
fn declared_keys_are_redacted_even_with_innocent_names() {
    let r = Redactor::new(
        ["DATABASE_URL".to_owned(), "settings.ini".to_owned()].into(),
        Default::default(),
    );
    assert_eq!(
        r.env("DATABASE_URL", "postgres://u:p@db/x"),
        (REDACTED.into(), Some(Reason::DeclaredSecret))
    );
    assert_eq!(
        r.file("settings.ini", "x=1"),
        (REDACTED.into(), Some(Reason::DeclaredSecret))
    );
    assert_eq!(r.env("ENVIRONMENT", "prod"), ("prod".into(), None));
    assert_eq!(r.env("HUB_SECRET_KEYS", "DATABASE_URL"), ("DATABASE_URL".into(), None));
}

#[test]
fn url_passwords_are_masked_and_the_rest_is_kept() {
    let r = Redactor::default();
    assert_eq!(
        r.env(
            "DATABASE_URL",
            "postgres://app:s3cr%40t@db.internal:5432/app?sslmode=require"
        ),
        (
            "postgres://app:[redacted]@db.internal:5432/app?sslmode=require".into(),
            Some(Reason::UrlPassword)
        )
    );
    assert_eq!(
        mask_url_passwords("a=redis://:pw@cache:6379 b=http://plain/x").as_deref(),
        Some("a=redis://:[redacted]@cache:6379 b=http://plain/x")
    );
    assert_eq!(mask_url_passwords("https://user@host/path"), None);
    assert_eq!(mask_url_passwords("https://medium.com/@user"), None);
    assert_eq!(mask_url_passwords("no url here"), None);
}

#[test]
fn password_containing_at_signs_is_fully_masked() {
    assert_eq!(
        mask_url_passwords("amqp://user:p@ss@mq:5672").as_deref(),
        Some("amqp://user:[redacted]@mq:5672")
    );
}

/// The redactor of the table: two declared keys and two names added to the allow-list.
fn table_redactor() -> Redactor {
    Redactor::new(
        ["DB_HOST".to_owned(), "plain.conf".to_owned()].into(),
        ["JAVA_OPTS".to_owned(), "OTEL_EXPORTER_OTLP_HEADERS".to_owned()].into(),
    )
}

/// Environment variables as deployments set them: (name, value, the part that must never be shown).
const SECRET_ENV: &[(&str, &str, &str)] = &[
    ("DATABASE_URL", "postgres://app:pa/ss#word@db:5432/app", "pa/ss#word"),
    (
        "DATABASE_URL",
        "postgres://app:s3cr%40t@db/app?sslmode=require",
        "s3cr%40t",
    ),
    (
        "DATABASE_URL",
        "postgres://db/app?password=hunter2&sslmode=require",
        "hunter2",
    ),
    ("MYSQL_URL", "mysql://root:my#secret?pw@db:3306/app", "my#secret?pw"),
    ("REDIS_URL", "redis://:p4ssw0rd@cache:6379/0", "p4ssw0rd"),
    ("AMQP_URL", "amqp://user:p@ss@mq:5672/vhost", "p@ss"),
    (
        "MONGO_URL",
        "mongodb+srv://app:pa%3Ass@cluster0.mongodb.net/db?retryWrites=true",
        "pa%3Ass",
    ),
    ("ELASTICSEARCH_URL", "https://elastic:changeme@es:9200", "changeme"),
    ("FTP_URL", "ftp://anonymous:guest@ftp.example.com", "guest"),
    (
        "REPO_URL",
        "https://ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.com/org/repo.git",
        "ghp_16C7e42F",
    ),
    (
        "GIT_URL",
        "https://x-access-token:abcDEF123ghiJKL456@github.com/o/r",
        "abcDEF123ghiJKL456",
    ),
    (
        "SENTRY_URL",
        "https://e3b0c44298fc1c149afbf4c8996fb924@o1.ingest.sentry.io/42",
        "e3b0c44298fc",
    ),
    (
        "DOCKER_REGISTRY_URL",
        "https://AWS:eyJwYXlsb2FkIjoiYWJjIn0@123456789012.dkr.ecr.us-east-1.amazonaws.com",
        "eyJwYXlsb2Fk",
    ),
    (
        "SMTP_URL",
        "smtp://apikey:SG.abcdefghijklmnop.qrstuvwxyz0123456789@smtp.sendgrid.net:587",
        "qrstuvwxyz0123456789",
    ),
    (
        "BROKER_URL",
        "sqs://AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI%2FK7MDENG@",
        "wJalrXUtnFEMI",
    ),
    (
        "ARTIFACT_URL",
        "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024",
        "fe5f80f77d5fa3",
    ),
    (
        "ARTIFACT_URL",
        "https://b.s3.amazonaws.com/k?X-Amz-Security-Token=IQoJb3JpZ2luX2VjEJr&X-Amz-Date=20260101T000000Z",
        "IQoJb3JpZ2lu",
    ),
    (
        "API_URL",
        "https://api.example.com/v1?token=abc123secret",
        "abc123secret",
    ),
    (
        "API_URL",
        "https://api.example.com/v1?api_key=k-123&format=json",
        "k-123",
    ),
    (
        "GOOGLE_MAPS_URL",
        "https://maps.googleapis.com/maps/api/js?key=AIzaSyD-EXAMPLE-1234567890abcdefghi",
        "AIzaSyD",
    ),
    (
        "CALLBACK_URL",
        "https://app.example.com/cb#access_token=ya29.a0AfH6SMBx&token_type=Bearer",
        "ya29.a0AfH6SMBx",
    ),
    (
        "NOTIFY_URL",
        "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        "XXXXXXXXXXXX",
    ),
    (
        "ALERT_URL",
        "https://discord.com/api/webhooks/123456789012345678/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
        "AbCdEfGhIj",
    ),
    (
        "TEAMS_URL",
        "https://contoso.webhook.office.com/webhookb2/0a1b2c3d@e4f5/IncomingWebhook/99aa88bb/cc77",
        "99aa88bb",
    ),
    (
        "BOT_ENDPOINT",
        "https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage",
        "AAHdqTcvCH1v",
    ),
    (
        "NPM_REGISTRY_URL",
        "https://registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789",
        "npm_abcdefgh",
    ),
    (
        "HUB_DEPENDS_ON",
        "http://svc:hunter2pw@api.internal/health?token=t0psecret,tcp://db:5432",
        "hunter2pw",
    ),
    (
        "HUB_DEPENDS_ON",
        "https://api.internal/health?token=t0psecret",
        "t0psecret",
    ),
    ("DB_PWD", "hunter2", "hunter2"),
    ("SMTP_PASS", "hunter2", "hunter2"),
    (
        "GITHUB_PAT",
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
        "github_pat_11",
    ),
    (
        "JWT",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
        "eyJhbGciOiJIUzI1NiJ9",
    ),
    ("STRIPE_SK", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "sk_live_4eC39"),
    (
        "AWS_SECRET_ACCESS_KEY",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "wJalrXUtnFEMI",
    ),
    (
        "AWS_SESSION_TOKEN",
        "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH",
        "IQoJb3JpZ2lu",
    ),
    (
        "SQL_CONNECTION",
        "Server=db;Database=app;User Id=sa;Password=P4ssw0rd!;",
        "P4ssw0rd!",
    ),
    (
        "DB_ADDRESS",
        "Server=tcp:db.database.windows.net,1433;Initial Catalog=app;User ID=app;Password=Tr0ub4dor&3;Encrypt=True",
        "Tr0ub4dor&3",
    ),
    (
        "STORAGE_ENDPOINT",
        "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;EndpointSuffix=core.windows.net",
        "Eby8vdM02xNOcq",
    ),
    ("DATABASE", "plain-value-from-secret-env", "plain-value-from-secret-env"),
    ("OAUTH_CLIENT", "client-secret-value", "client-secret-value"),
    ("DB_HOST", "declared-secret-host", "declared-secret-host"),
    (
        "JAVA_OPTS",
        "-Xmx512m -Djavax.net.ssl.keyStorePassword=changeit",
        "changeit",
    ),
    (
        "OTEL_EXPORTER_OTLP_HEADERS",
        "Authorization=Bearer abcdefghijklmnop",
        "abcdefghijklmnop",
    ),
    ("LOG_LEVEL", "sk_live_51H8abcdefghijklmnopqrstu", "sk_live_51H8"),
    ("APP_ENV", "AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
    (
        "SERVICE_NAME",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "bPxRfiCYEXAMPLEKEY",
    ),
    (
        "CERT_PATH",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA75n\n-----END RSA PRIVATE KEY-----",
        "MIIEpAIBAAKCAQEA75n",
    ),
    ("SESSION_SIGNING", "s3ss10n", "s3ss10n"),
    ("COOKIE_SALT", "pepper", "pepper"),
];

/// Mounted configuration files: (file name, content, the part that must never be shown).
const SECRET_FILES: &[(&str, &str, &str)] = &[
    (
        "app.properties",
        "mode=fast\nspring.datasource.password=hunter2\n",
        "hunter2",
    ),
    ("config.yaml", "db:\n  host: db\n  password: \"hunter2\"\n", "hunter2"),
    (
        "settings.json",
        "{\"apiToken\": \"abc-123-def\", \"level\": 1}",
        "abc-123-def",
    ),
    ("app.ini", "[db]\npwd = hunter2\n", "hunter2"),
    (
        "defaults.env",
        "STRIPE_SK=sk_test_abcdefghijklmnop\n",
        "sk_test_abcdefghijklmnop",
    ),
    (
        "appsettings.json",
        "{\"ConnectionStrings\":{\"Default\":\"Server=db;Password=hunter2;\"}}",
        "hunter2",
    ),
    (
        "nginx.conf",
        "location / { proxy_pass http://user:hunter2@backend; }\n",
        "hunter2",
    ),
    (
        "server.pem",
        "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\n-----END PRIVATE KEY-----\n",
        "MIIEvQIBADANBgkq",
    ),
    ("config.toml", "token = 'abcdef123456'\n", "abcdef123456"),
    ("plain.conf", "anything at all", "anything at all"),
    ("db_password", "hunter2", "hunter2"),
];

#[test]
fn realistic_secrets_never_show() {
    let r = table_redactor();
    assert!(SECRET_ENV.len() + SECRET_FILES.len() >= 40);
    for (name, value, secret) in SECRET_ENV {
        let (shown, reason) = r.env(name, value);
        assert!(!shown.contains(secret), "env {name}={value:?} showed {shown:?}");
        assert!(reason.is_some(), "env {name}: no reason given for {shown:?}");
    }
    for (name, content, secret) in SECRET_FILES {
        let (shown, reason) = r.file(name, content);
        assert!(!shown.contains(secret), "file {name} showed {shown:?}");
        assert!(reason.is_some(), "file {name}: no reason given for {shown:?}");
    }
}

#[test]
fn ordinary_values_survive_and_masked_values_keep_their_shape() {
    let r = table_redactor();
    for (name, value) in [
        ("ENVIRONMENT", "production"),
        ("LOG_LEVEL", "debug"),
        ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/app"),
        ("API_URL", "https://api.example.com/v1/users?page=2"),
        ("CONFIG_PATH", "/etc/app/config.yaml"),
        ("HUB_DEPENDS_ON", "tcp://db:5432,http://api.internal/health"),
        ("TENANT_NAME", "3f2a9c1e-8d4b-4f6a-9b2e-7c1d0e5f4a3b"),
        ("BUILD_VERSION", "4b825dc642cb6eb9a060e54bf8d69288fbee4904"),
    ] {
        assert_eq!(r.env(name, value), (value.to_owned(), None), "{name}");
    }
    let masked = |name: &str, value: &str| r.env(name, value).0;
    assert_eq!(
        masked("DATABASE_URL", "postgres://app:pa/ss#word@db:5432/app?sslmode=require"),
        "postgres://app:[redacted]@db:5432/app?sslmode=require"
    );
    assert_eq!(
        masked(
            "NOTIFY_URL",
            "https://hooks.slack.com/services/T0/B0/XXXXXXXXXXXXXXXXXXXXXXXX"
        ),
        "https://hooks.slack.com/services/[redacted]/[redacted]/[redacted]"
    );
    assert_eq!(
        masked("HUB_DEPENDS_ON", "http://svc:pw@api/health?token=t,tcp://db:5432"),
        "http://svc:[redacted]@api/health?token=[redacted],tcp://db:5432"
    );
    assert_eq!(
        r.file("app.properties", "mode=fast\npassword=x\n").0,
        "mode=fast\npassword=[redacted]\n"
    );
}

#[test]
fn public_keys_extend_the_allow_list_but_never_override_secret_names() {
    let r = Redactor::new(
        Default::default(),
        ["GREETING".to_owned(), "API_TOKEN".to_owned()].into(),
    );
    assert_eq!(r.env("GREETING", "hello"), ("hello".into(), None));
    assert_eq!(r.env("OTHER", "hello"), (REDACTED.into(), Some(Reason::UnlistedName)));
    assert_eq!(r.env("API_TOKEN", "t"), (REDACTED.into(), Some(Reason::SecretName)));
}
