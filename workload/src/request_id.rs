//! Request ids: taken from `x-request-id` when a proxy already assigned one, generated otherwise.
//!
//! Generated ids are a random per-process prefix and a counter: unique across replicas without a UUID
//! dependency, and cheap enough to mint on every probe.

use http::{HeaderMap, HeaderName, HeaderValue};
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

/// The header read and echoed.
pub static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Longest incoming id accepted; longer ones are replaced, so logs stay bounded.
const MAX_LEN: usize = 128;

/// Mints request ids.
#[derive(Debug)]
pub struct RequestIds {
    prefix: u32,
    counter: AtomicU64,
}

impl Default for RequestIds {
    fn default() -> Self {
        // RandomState is seeded from the OS per process: enough entropy to tell replicas apart.
        let random = std::hash::RandomState::new().build_hasher().finish();
        Self {
            prefix: (random >> 32) as u32 ^ random as u32 ^ std::process::id(),
            counter: AtomicU64::new(0),
        }
    }
}

impl RequestIds {
    /// The request's id: the incoming header if it is sane, else a new one.
    pub fn for_request(&self, headers: &HeaderMap) -> HeaderValue {
        match headers.get(&X_REQUEST_ID) {
            Some(id) if is_acceptable(id.as_bytes()) => id.clone(),
            _ => self.next(),
        }
    }

    fn next(&self) -> HeaderValue {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let id = format!("{:08x}-{n:08x}", self.prefix);
        // `from_maybe_shared` takes the buffer over instead of copying it.
        HeaderValue::from_maybe_shared(bytes::Bytes::from(id)).unwrap_or(HeaderValue::from_static("invalid"))
    }
}

fn is_acceptable(id: &[u8]) -> bool {
    !id.is_empty()
        && id.len() <= MAX_LEN
        && id
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':' | b'/' | b'+' | b'='))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_sane_incoming_ids_and_replaces_others() {
        let ids = RequestIds::default();
        let mut headers = HeaderMap::new();
        headers.insert(&X_REQUEST_ID, HeaderValue::from_static("abc-123"));
        assert_eq!(ids.for_request(&headers), "abc-123");
        headers.insert(&X_REQUEST_ID, HeaderValue::from_static("has space"));
        assert_ne!(ids.for_request(&headers), "has space");
        headers.insert(&X_REQUEST_ID, HeaderValue::from_str(&"a".repeat(129)).expect("value"));
        assert_eq!(ids.for_request(&headers).len(), 17);
    }

    #[test]
    fn generated_ids_are_unique() {
        let ids = RequestIds::default();
        let a = ids.for_request(&HeaderMap::new());
        let b = ids.for_request(&HeaderMap::new());
        assert_ne!(a, b);
        assert_eq!(a.len(), 17);
    }
}
