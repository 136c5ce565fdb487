//! Waiting on a condition with a deadline: the only way a test should wait. A fixed sleep before an
//! assertion passes or fails by timing, not by what happened; a wait names what it waited for.

use std::future::Future;
use std::time::{Duration, Instant};

/// How often a wait polls its condition.
pub const POLL: Duration = Duration::from_millis(100);

/// Polls `probe` every [`POLL`] until it returns `Some`, and returns that value; panics naming `what`
/// once `deadline` has passed.
pub fn wait_until<T>(deadline: Duration, what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    wait_for(deadline, what, || probe().ok_or("not yet"))
}

/// [`wait_until`] for a probe that says what it saw when the condition does not hold yet (`Err`): the
/// panic after `deadline` quotes the last observation.
pub fn wait_for<T, E: std::fmt::Display>(deadline: Duration, what: &str, mut probe: impl FnMut() -> Result<T, E>) -> T {
    let end = Instant::now() + deadline;
    loop {
        match probe() {
            Ok(v) => return v,
            Err(last) if Instant::now() > end => {
                panic!("waited {deadline:?} for {what}; it never happened (last seen: {last})")
            }
            Err(_) => std::thread::sleep(POLL),
        }
    }
}

/// [`wait_until`] with an async probe, on the caller's runtime.
pub async fn wait_until_async<T, F, Fut>(deadline: Duration, what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let end = Instant::now() + deadline;
    loop {
        if let Some(v) = probe().await {
            return v;
        }
        if Instant::now() > end {
            panic!("waited {deadline:?} for {what}; it never happened (last seen: not yet)");
        }
        tokio::time::sleep(POLL).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_the_first_value() {
        let mut n = 0;
        let got = wait_until(Duration::from_secs(5), "the third poll", || {
            n += 1;
            (n == 3).then_some(n)
        });
        assert_eq!(got, 3);
    }

    #[test]
    #[should_panic(expected = "waited 200ms for nothing; it never happened (last seen: not yet)")]
    fn panics_naming_what_it_waited_for() {
        wait_until(Duration::from_millis(200), "nothing", || None::<()>);
    }
}
