//! Human durations (`250ms`, `5s`, `2m`, or a bare number of seconds) for environment variables and flags.
//!
//! Kubernetes manifests and shell scripts write durations as short strings; a dependency such as `humantime`
//! would do, but four units cover every setting here.

use std::time::Duration;

/// Parses `"<number><unit>"` where unit is `ms`, `s`, `m` or `h`; a bare number means seconds.
/// Fractions are allowed (`"1.5s"`). Returns `None` for anything else, including negative values.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number.parse().ok()?;
    let seconds = match unit.trim() {
        "ms" => value / 1000.0,
        "" | "s" => value,
        "m" => value * 60.0,
        "h" => value * 3600.0,
        _ => return None,
    };
    Duration::try_from_secs_f64(seconds).ok()
}

#[cfg(test)]
mod tests {
    use super::parse_duration;
    use std::time::Duration;

    #[test]
    fn accepts_units_and_bare_seconds() {
        assert_eq!(parse_duration("250ms"), Some(Duration::from_millis(250)));
        assert_eq!(parse_duration("5s"), Some(Duration::from_secs(5)));
        assert_eq!(parse_duration("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("1h"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_duration("30"), Some(Duration::from_secs(30)));
        assert_eq!(parse_duration("1.5s"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_duration(" 0 "), Some(Duration::ZERO));
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", "s", "5x", "-1s", "ms5", "1.2.3s", "5 days"] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
    }
}
