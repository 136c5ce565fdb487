//! Container image references, checked against the grammar of distribution/reference (what Docker,
//! containerd and the kubelet accept) and normalised the way `docker pull` reads them: no registry means
//! Docker Hub, whose one-component repositories live under `library/`.

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// Registry host, with its port when given (`docker.io` when the reference names none).
    pub registry: String,
    /// Repository path within the registry (`library/nginx` for `nginx`).
    pub repository: String,
    /// The tag, when given.
    pub tag: Option<String>,
    /// The digest (`sha256:…`), when given.
    pub digest: Option<String>,
}

const DOCKER_HUB: &str = "docker.io";
/// The longest name (registry and repository) distribution/reference accepts.
const MAX_NAME: usize = 255;
const MAX_TAG: usize = 128;

/// Parses `[registry/]repository[:tag][@digest]`; the error says what is wrong, for a message that
/// quotes the reference.
pub fn parse(reference: &str) -> Result<ImageRef, String> {
    if reference.is_empty() {
        return Err("it is empty".into());
    }
    if let Some(c) = reference.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("it contains {c:?}"));
    }
    let (name_and_tag, digest) = match reference.split_once('@') {
        Some((rest, digest)) => (rest, Some(check_digest(digest)?)),
        None => (reference, None),
    };
    let last_slash = name_and_tag.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match name_and_tag[last_slash..].rfind(':') {
        Some(i) => {
            let at = last_slash + i;
            (&name_and_tag[..at], Some(check_tag(&name_and_tag[at + 1..])?))
        }
        None => (name_and_tag, None),
    };
    if name.len() > MAX_NAME {
        return Err(format!("its name is longer than {MAX_NAME} characters"));
    }
    let (registry, path) = match name.split_once('/') {
        Some((first, rest)) if is_registry(first) => (Some(first), rest),
        _ => (None, name),
    };
    if let Some(registry) = registry {
        check_registry(registry)?;
    }
    check_path(path)?;
    let registry = match registry {
        None | Some("index.docker.io") => DOCKER_HUB,
        Some(r) => r,
    };
    let repository = if registry == DOCKER_HUB && !path.contains('/') {
        format!("library/{path}")
    } else {
        path.to_owned()
    };
    Ok(ImageRef {
        registry: registry.to_owned(),
        repository,
        tag: tag.map(str::to_owned),
        digest: digest.map(str::to_owned),
    })
}

/// The first component names a registry when it looks like a host: it has a dot or a port, is `localhost`,
/// or has capitals (which a repository may not).
fn is_registry(first: &str) -> bool {
    first.contains(['.', ':']) || first == "localhost" || first.chars().any(|c| c.is_ascii_uppercase())
}

fn check_registry(registry: &str) -> Result<(), String> {
    let bad = |why: &str| Err(format!("the registry {registry:?} {why}"));
    let (host, port) = if let Some(rest) = registry.strip_prefix('[') {
        let Some((ip, after)) = rest.split_once(']') else {
            return bad("opens an IPv6 address with '[' but does not close it");
        };
        if ip.is_empty() || !ip.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.') {
            return bad("is not a valid IPv6 address");
        }
        (None, after.strip_prefix(':').map(Some).unwrap_or(None))
    } else {
        match registry.split_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(registry), None),
        }
    };
    if let Some(port) = port
        && (port.is_empty() || !port.chars().all(|c| c.is_ascii_digit()))
    {
        return bad("has a port that is not a number");
    }
    if let Some(host) = host
        && !host.split('.').all(is_host_label)
    {
        return bad("is not a valid host name");
    }
    Ok(())
}

fn is_host_label(label: &str) -> bool {
    let b = label.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
}

fn check_path(path: &str) -> Result<(), String> {
    if path.is_empty() {
        return Err("it names no repository".into());
    }
    for component in path.split('/') {
        if component.chars().any(|c| c.is_ascii_uppercase()) {
            return Err(format!(
                "the repository {path:?} has capital letters (repositories are lowercase)"
            ));
        }
        if !is_path_component(component) {
            return Err(format!(
                "the repository component {component:?} is not lowercase letters and digits separated by \
                 '.', '_', '__' or dashes"
            ));
        }
    }
    Ok(())
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
fn is_path_component(c: &str) -> bool {
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let b = c.as_bytes();
    if b.is_empty() || !alnum(&b[0]) || !alnum(&b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(&b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !alnum(&b[i]) {
            i += 1;
        }
        let sep = &c[start..i];
        let dashes = sep.bytes().all(|x| x == b'-');
        if !(sep == "." || sep == "_" || sep == "__" || dashes) {
            return false;
        }
    }
    true
}

/// `[\w][\w.-]{0,127}`
fn check_tag(tag: &str) -> Result<&str, String> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut chars = tag.chars();
    let ok = chars.next().is_some_and(word) && chars.all(|c| word(c) || c == '.' || c == '-') && tag.len() <= MAX_TAG;
    if ok {
        Ok(tag)
    } else if tag.is_empty() {
        Err("the tag after ':' is empty".into())
    } else {
        Err(format!(
            "the tag {tag:?} is not 1 to {MAX_TAG} letters, digits, '_', '.' or '-' (not starting with '.' or '-')"
        ))
    }
}

/// `algorithm:hex`, with the exact length for the algorithms registries know.
fn check_digest(digest: &str) -> Result<&str, String> {
    let bad = || {
        Err(format!(
            "the digest {digest:?} is not \"<algorithm>:<hex>\" (for example sha256 and 64 lowercase hex digits)"
        ))
    };
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return bad();
    };
    let algorithm_ok = !algorithm.is_empty()
        && algorithm.split(['+', '.', '_', '-']).all(|part| {
            part.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && part.chars().all(|c| c.is_ascii_alphanumeric())
        });
    let want_len = match algorithm {
        "sha256" => Some(64),
        "sha384" => Some(96),
        "sha512" => Some(128),
        _ => None,
    };
    let hex_ok = match want_len {
        Some(n) => hex.len() == n && hex.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)),
        None => hex.len() >= 32 && hex.chars().all(|c| c.is_ascii_hexdigit()),
    };
    if algorithm_ok && hex_ok { Ok(digest) } else { bad() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(r: &str) -> (String, String, Option<String>, Option<String>) {
        let i = parse(r).unwrap_or_else(|e| panic!("{r}: {e}"));
        (i.registry, i.repository, i.tag, i.digest)
    }

    const SHA: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn docker_hub_names_are_normalised() {
        assert_eq!(parts("nginx"), ("docker.io".into(), "library/nginx".into(), None, None));
        assert_eq!(
            parts("nginx:1.27-alpine"),
            (
                "docker.io".into(),
                "library/nginx".into(),
                Some("1.27-alpine".into()),
                None
            )
        );
        assert_eq!(parts("bitnami/redis").1, "bitnami/redis");
        assert_eq!(parts("index.docker.io/nginx").0, "docker.io");
        assert_eq!(parts("docker.io/library/nginx").1, "library/nginx");
    }

    #[test]
    fn registries_ports_tags_and_digests_are_split() {
        let ecr = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:v1.2.3";
        assert_eq!(
            parts(ecr),
            (
                "123456789012.dkr.ecr.eu-west-1.amazonaws.com".into(),
                "team/api".into(),
                Some("v1.2.3".into()),
                None
            )
        );
        assert_eq!(parts("localhost:5000/api").0, "localhost:5000");
        assert_eq!(parts("localhost/api").0, "localhost");
        assert_eq!(parts("[::1]:5000/api:1").0, "[::1]:5000");
        let pinned = format!("ghcr.io/org/app:1.0@{SHA}");
        assert_eq!(parts(&pinned).2.as_deref(), Some("1.0"));
        assert_eq!(parts(&pinned).3.as_deref(), Some(SHA));
        assert_eq!(parts(&format!("app@{SHA}")).2, None);
        assert_eq!(parts("a.b/c__d/e-f.g_h---i:T_a.g-").1, "c__d/e-f.g_h---i");
    }

    #[test]
    fn bad_references_say_why() {
        for (r, why) in [
            ("", "empty"),
            ("nginx latest", "contains"),
            ("nginx:", "tag after ':' is empty"),
            ("nginx:.x", "tag \".x\""),
            ("Nginx", "capital letters"),
            ("example.com/Team/api", "capital letters"),
            ("example.com/team_/api", "component \"team_\""),
            ("example.com/a...b", "component \"a...b\""),
            ("example.com:port/api", "port that is not a number"),
            ("exa_mple.com/api", "not a valid host name"),
            ("example.com/", "names no repository"),
            ("api@sha256:abc", "digest"),
            ("api@md5", "digest"),
            (&format!("api@{}", SHA.to_uppercase().replace("SHA", "sha")), "digest"),
            (&format!("api:{}", "t".repeat(129)), "tag"),
            (&format!("r.io/{}", "a".repeat(260)), "longer than"),
        ] {
            let e = parse(r).expect_err(r);
            assert!(e.contains(why), "{r:?}: {e}");
        }
    }
}
