//! Process metrics read from `/proc/self`, under the names the Prometheus client libraries use.
//!
//! Read at scrape time only. Anything that cannot be read (no `/proc`, another OS) is left out rather than
//! reported as zero, which would look like a real value on a dashboard.

use std::fs;

/// One reading of the process's resource use.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ProcessSample {
    pub cpu_seconds: Option<f64>,
    pub resident_bytes: Option<u64>,
    pub virtual_bytes: Option<u64>,
    pub threads: Option<u64>,
    pub start_time_seconds: Option<f64>,
    pub open_fds: Option<u64>,
    pub max_fds: Option<u64>,
}

/// Reads `/proc/self/{stat,fd,limits}` and `/proc/stat`.
pub fn sample() -> ProcessSample {
    let ticks = rustix::param::clock_ticks_per_second() as f64;
    let page = rustix::param::page_size() as u64;
    let mut sample = fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| parse_stat(&stat, ticks, page))
        .unwrap_or_default();
    if let (Some(boot), Some(since_boot)) = (
        fs::read_to_string("/proc/stat").ok().and_then(|s| parse_boot_time(&s)),
        sample.start_time_seconds,
    ) {
        sample.start_time_seconds = Some(boot + since_boot);
    } else {
        sample.start_time_seconds = None;
    }
    sample.open_fds = fs::read_dir("/proc/self/fd").ok().map(|dir| dir.count() as u64);
    sample.max_fds = fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|limits| parse_max_fds(&limits));
    sample
}

/// Parses `/proc/self/stat`; `start_time_seconds` is relative to boot until [`sample`] adds the boot time.
fn parse_stat(stat: &str, ticks: f64, page: u64) -> Option<ProcessSample> {
    // The command name (field 2) may contain spaces and parentheses: fields resume after the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // fields[0] is field 3 (state), so field N is fields[N - 3].
    let field = |n: usize| fields.get(n - 3).and_then(|v| v.parse::<u64>().ok());
    Some(ProcessSample {
        cpu_seconds: Some((field(14)? + field(15)?) as f64 / ticks),
        threads: field(20),
        start_time_seconds: field(22).map(|t| t as f64 / ticks),
        virtual_bytes: field(23),
        resident_bytes: field(24).map(|pages| pages * page),
        ..ProcessSample::default()
    })
}

fn parse_boot_time(stat: &str) -> Option<f64> {
    stat.lines()
        .find_map(|line| line.strip_prefix("btime "))
        .and_then(|v| v.trim().parse().ok())
}

fn parse_max_fds(limits: &str) -> Option<u64> {
    let line = limits.lines().find(|line| line.starts_with("Max open files"))?;
    line["Max open files".len()..].split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_stat_with_a_hostile_command_name() {
        let stat = "4242 (a) b (c) S 1 4242 4242 0 -1 4194560 100 0 0 0 150 50 0 0 20 0 7 0 12345 \
                    104857600 2560 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        let s = parse_stat(stat, 100.0, 4096).expect("parses");
        assert_eq!(s.cpu_seconds, Some(2.0));
        assert_eq!(s.threads, Some(7));
        assert_eq!(s.start_time_seconds, Some(123.45));
        assert_eq!(s.virtual_bytes, Some(104_857_600));
        assert_eq!(s.resident_bytes, Some(2560 * 4096));
        assert_eq!(parse_stat("garbage", 100.0, 4096), None);
    }

    #[test]
    fn parses_limits_and_boot_time() {
        let limits = "Limit                     Soft Limit           Hard Limit           Units\n\
                      Max open files            1024                 1048576              files\n";
        assert_eq!(parse_max_fds(limits), Some(1024));
        assert_eq!(parse_boot_time("cpu 1 2 3\nbtime 1700000000\n"), Some(1.7e9));
    }

    #[test]
    fn samples_this_process() {
        let s = sample();
        assert!(s.resident_bytes.unwrap_or(0) > 0, "{s:?}");
        assert!(s.open_fds.unwrap_or(0) >= 3, "{s:?}");
        assert!(s.start_time_seconds.unwrap_or(0.0) > 1.0e9, "{s:?}");
    }
}
