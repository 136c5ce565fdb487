//! The image definition: every base image is pinned by digest, so a rebuild cannot pull a different one.

const DOCKERFILE: &str = include_str!("../Dockerfile");

/// The image reference of each `FROM` line.
fn bases(dockerfile: &str) -> Vec<&str> {
    dockerfile
        .lines()
        .filter_map(|line| line.trim().strip_prefix("FROM "))
        .filter_map(|rest| rest.split_whitespace().next())
        .collect()
}

/// Whether `image` ends in `@sha256:` and 64 lower-case hex digits.
fn pinned(image: &str) -> bool {
    image.split_once("@sha256:").is_some_and(|(_, digest)| {
        digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

#[test]
fn every_base_image_is_pinned_by_digest() {
    let bases = bases(DOCKERFILE);
    assert_eq!(bases.last(), Some(&"scratch"), "the final stage is empty: {bases:?}");
    for image in bases.iter().filter(|image| **image != "scratch") {
        assert!(pinned(image), "{image} is not pinned by digest");
    }
}

#[test]
fn the_pin_check_rejects_tags_and_short_digests() {
    assert!(!pinned("docker.io/library/rust:1.95-bookworm"));
    assert!(!pinned("rust:1.95-bookworm@sha256:abc"));
    assert!(pinned(&format!("rust:1.95-bookworm@sha256:{}", "0a".repeat(32))));
}
