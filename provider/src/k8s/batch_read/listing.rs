//! One (namespace, kind)'s LIST, read page by page in the background while reads wait for their names.
//!
//! Pages are read only while some read waits for a name a next page may hold, so a plan that refreshes a
//! few apps in a namespace full of other states' apps stops listing once their names are passed. The API
//! server returns names in order: a name at or before the last one listed that is not held is not coming
//! (deleted, relabelled, or already handed out), so that read is told at once and falls back to a GET.
//! A read returns as soon as the page holding its object arrives (bench/provider/NOTES.md compares this with
//! waiting for the whole LIST).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use kube::Client;
use kube::api::{ApiResource, ListParams};
use tokio::sync::{Notify, Semaphore, watch};

use super::trimmed::{Page, Trimmed};
use crate::k8s::labels::MANAGED_BY;

/// Objects per LIST page: bounds the text and parse of one response.
const PAGE: u32 = 20;

/// Pages one LIST reads at most; past them, the objects not listed are read with GETs. Pages are read only
/// while reads wait, so this bounds only a namespace far larger than any plan's share of it.
const MAX_PAGES: usize = 250;

/// A LIST with nobody waiting for this long stops: its reads are over (or were handed to a newer LIST).
const IDLE: Duration = Duration::from_secs(30);

/// The listed objects of one (namespace, kind), shared by the reads and the task reading the pages.
#[derive(Default)]
pub(super) struct Listing {
    pages: Mutex<Pages>,
    /// Bumped after every page (and at the end), waking the reads waiting for it.
    progress: watch::Sender<u32>,
    /// Signalled by a read that starts waiting, so the next page is read.
    demand: Notify,
}

#[derive(Default)]
struct Pages {
    /// Listed objects (compact JSON text) by name, until a read takes them.
    objects: HashMap<String, String>,
    /// The last name listed so far.
    reached: Option<String>,
    /// No page will follow: the last was read, the page limit was reached, or a page failed.
    finished: bool,
    /// Names reads are waiting for, with how many reads wait for each.
    wanted: HashMap<String, usize>,
}

impl Pages {
    /// Whether the name can no longer come from this LIST.
    fn passed(&self, name: &str) -> bool {
        self.finished || self.reached.as_deref().is_some_and(|last| name <= last)
    }

    /// Whether a read waits for a name a next page may hold.
    fn demanded(&self) -> bool {
        self.wanted.keys().any(|name| !self.passed(name))
    }
}

/// Where a LIST reads from.
pub(super) struct Source {
    pub client: Client,
    pub url: String,
    pub resource: ApiResource,
    /// Shared by every LIST of the provider: one page is parsed at a time, which bounds the memory they take.
    pub gate: Arc<Semaphore>,
}

impl Listing {
    /// Starts reading the pages of `source` in the background.
    pub(super) fn start(source: Source) -> Arc<Listing> {
        let listing = Arc::new(Listing::default());
        tokio::spawn(listing.clone().read_pages(source));
        listing
    }

    /// The listed object `name` as JSON text, waiting for its page if it may still come; `None` when the
    /// LIST does not hold it.
    pub(super) async fn take(&self, name: &str) -> Option<String> {
        let mut progress = self.progress.subscribe();
        let mut wanting = None;
        loop {
            {
                let mut pages = self.pages();
                if let Some(text) = pages.objects.remove(name) {
                    return Some(text);
                }
                if pages.passed(name) {
                    return None;
                }
            }
            if wanting.is_none() {
                wanting = Some(Wanting::new(self, name));
                self.demand.notify_one();
            }
            // The sender lives as long as `self`: this wakes at the next page.
            let _ = progress.changed().await;
        }
    }

    fn pages(&self) -> MutexGuard<'_, Pages> {
        self.pages.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reads hub-labelled objects page by page while reads wait, up to [`MAX_PAGES`].
    async fn read_pages(self: Arc<Self>, source: Source) {
        let selector = format!("{}={}", MANAGED_BY.0, MANAGED_BY.1);
        let mut params = ListParams::default().labels(&selector).limit(PAGE);
        let request = kube::core::Request::new(&source.url);
        for _ in 0..MAX_PAGES {
            if !self.wait_for_demand().await {
                break;
            }
            let page = {
                let _one_page = source.gate.acquire().await;
                match request.list(&params) {
                    Ok(r) => source.client.request::<Page>(r).await,
                    Err(e) => Err(kube::Error::BuildRequest(e)),
                }
            };
            let page = match page {
                Ok(page) => page,
                Err(error) => {
                    tracing::debug!(%error, "LIST for batched reads failed; reading one object at a time");
                    break;
                }
            };
            let next = page.metadata.continue_token.filter(|token| !token.is_empty());
            self.publish(page.items, &source.resource, next.is_none());
            match next {
                Some(token) => params = params.continue_token(&token),
                None => return,
            }
        }
        self.pages().finished = true;
        self.progress.send_modify(|n| *n += 1);
    }

    /// Adds a page's objects and wakes the reads waiting for them.
    fn publish(&self, items: Vec<Trimmed>, resource: &ApiResource, last: bool) {
        {
            let mut pages = self.pages();
            for item in items {
                if let Some(name) = item.name().map(str::to_owned) {
                    if pages.reached.as_ref().is_none_or(|r| *r < name) {
                        pages.reached = Some(name.clone());
                    }
                    pages.objects.insert(name, item.into_json(resource).to_string());
                }
            }
            pages.finished = last;
        }
        self.progress.send_modify(|n| *n += 1);
    }

    /// Whether a read waits for a name a next page may hold, waiting up to [`IDLE`] for one to.
    async fn wait_for_demand(&self) -> bool {
        loop {
            if self.pages().demanded() {
                return true;
            }
            if tokio::time::timeout(IDLE, self.demand.notified()).await.is_err() {
                return false;
            }
        }
    }
}

/// A read's wish for a name, counted in [`Pages::wanted`] while the read waits (also if it is dropped).
struct Wanting<'a> {
    listing: &'a Listing,
    name: &'a str,
}

impl<'a> Wanting<'a> {
    fn new(listing: &'a Listing, name: &'a str) -> Self {
        *listing.pages().wanted.entry(name.to_owned()).or_default() += 1;
        Wanting { listing, name }
    }
}

impl Drop for Wanting<'_> {
    fn drop(&mut self) {
        let mut pages = self.listing.pages();
        if let Some(count) = pages.wanted.get_mut(self.name) {
            *count -= 1;
            if *count == 0 {
                pages.wanted.remove(self.name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use k8s_openapi::api::core::v1::ConfigMap;
    use kube::api::ApiResource;
    use serde_json::json;

    use super::super::trimmed::Trimmed;
    use super::Listing;

    fn config_maps() -> ApiResource {
        ApiResource::erase::<ConfigMap>(&())
    }

    /// `future`'s output; a read that waits when it should answer fails the test instead of hanging it.
    async fn promptly<T>(future: impl std::future::Future<Output = T>) -> T {
        tokio::time::timeout(Duration::from_secs(5), future)
            .await
            .expect("answered without waiting for a page")
    }

    fn page(names: &[&str]) -> Vec<Trimmed> {
        names
            .iter()
            .map(|name| serde_json::from_value(json!({"metadata": {"name": name}, "data": {"k": "v"}})).unwrap())
            .collect()
    }

    /// Lets spawned reads run up to their next wait.
    async fn settle() {
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test]
    async fn a_read_returns_when_the_page_holding_its_name_arrives() {
        let listing = Arc::new(Listing::default());
        let read = tokio::spawn({
            let listing = listing.clone();
            async move { listing.take("b").await }
        });
        settle().await;
        assert!(listing.pages().demanded(), "a waiting read asks for the next page");
        listing.publish(page(&["a"]), &config_maps(), false);
        settle().await;
        assert!(!read.is_finished(), "`b` may still come after `a`");
        listing.publish(page(&["b", "c"]), &config_maps(), false);
        let text = promptly(read).await.unwrap().expect("b was listed");
        assert!(
            text.contains(r#""kind":"ConfigMap""#) && text.contains(r#""name":"b""#),
            "{text}"
        );
        assert!(
            !listing.pages().demanded(),
            "nobody waits any more, though the LIST is not finished"
        );
    }

    #[tokio::test]
    async fn a_name_the_list_has_passed_or_handed_out_is_not_waited_for() {
        let listing = Listing::default();
        listing.publish(page(&["a", "c"]), &config_maps(), false);
        assert_eq!(
            promptly(listing.take("b")).await,
            None,
            "b sorts before c: deleted or unlabelled"
        );
        assert!(promptly(listing.take("a")).await.is_some());
        assert_eq!(promptly(listing.take("a")).await, None, "an object is handed out once");
        assert!(!listing.pages().demanded());
    }

    #[tokio::test]
    async fn a_finished_list_answers_at_once() {
        let listing = Listing::default();
        listing.publish(page(&["a"]), &config_maps(), true);
        assert_eq!(promptly(listing.take("z")).await, None);
    }

    #[tokio::test]
    async fn a_read_that_gives_up_withdraws_its_demand() {
        let listing = Listing::default();
        let waited = tokio::time::timeout(Duration::from_millis(10), listing.take("b")).await;
        assert!(waited.is_err(), "b has not been listed yet");
        assert!(!listing.pages().demanded(), "the dropped read no longer asks for pages");
    }

    #[tokio::test(start_paused = true)]
    async fn without_demand_the_pages_stop() {
        let listing = Listing::default();
        assert!(!listing.wait_for_demand().await, "nobody asked within the idle time");
    }
}
