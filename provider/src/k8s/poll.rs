//! Waiting on the cluster: poll a check with backoff (250 ms doubling to 2 s) until it is satisfied, a
//! deadline passes, or Terraform asks the provider to stop (Ctrl-C), whichever comes first.

use std::future::Future;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

/// How a wait ended without its condition being met.
#[derive(Debug)]
pub enum Waited<E> {
    /// The check itself failed.
    Failed(E),
    /// Terraform asked the provider to stop.
    Interrupted,
    /// The deadline passed.
    TimedOut,
}

impl<E> Waited<E> {
    /// "the operation was interrupted" or "the `<timeout>` passed", for messages; `None` for a failed check.
    pub fn reason(&self, timeout: &str) -> Option<String> {
        match self {
            Waited::Failed(_) => None,
            Waited::Interrupted => Some("the operation was interrupted".into()),
            Waited::TimedOut => Some(format!("the {timeout} passed")),
        }
    }
}

/// Calls `check` until it returns `Ok(Some(_))`; `Ok(None)` means "not yet".
pub async fn until<T, E, F, Fut>(stop: &CancellationToken, timeout: Duration, mut check: F) -> Result<T, Waited<E>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>, E>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    let mut interval = Duration::from_millis(250);
    loop {
        if let Some(done) = check().await.map_err(Waited::Failed)? {
            return Ok(done);
        }
        if stop.is_cancelled() {
            return Err(Waited::Interrupted);
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(Waited::TimedOut);
        }
        let nap = interval.min(deadline.saturating_duration_since(tokio::time::Instant::now()));
        tokio::select! {
            _ = tokio::time::sleep(nap) => {}
            _ = stop.cancelled() => {}
        }
        interval = (interval * 2).min(Duration::from_secs(2));
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio_util::sync::CancellationToken;

    use super::{Waited, until};

    #[tokio::test(start_paused = true)]
    async fn returns_when_satisfied_times_out_and_stops() {
        let stop = CancellationToken::new();
        let mut calls = 0;
        let got: Result<u32, Waited<()>> = until(&stop, Duration::from_secs(60), || {
            calls += 1;
            let n = calls;
            async move { Ok((n == 3).then_some(n)) }
        })
        .await;
        assert_eq!(got.ok(), Some(3));

        let never = || async { Ok::<Option<()>, ()>(None) };
        let timed_out = until(&stop, Duration::from_secs(5), never).await;
        assert!(matches!(timed_out, Err(Waited::TimedOut)));

        stop.cancel();
        let stopped = until(&stop, Duration::from_secs(3600), never).await;
        assert!(matches!(stopped, Err(Waited::Interrupted)));
        assert_eq!(
            stopped.unwrap_err().reason("delete_timeout").as_deref(),
            Some("the operation was interrupted")
        );

        let failed = until(&CancellationToken::new(), Duration::from_secs(5), || async {
            Err::<Option<()>, _>("boom")
        })
        .await;
        assert!(matches!(failed, Err(Waited::Failed("boom"))));
    }
}
