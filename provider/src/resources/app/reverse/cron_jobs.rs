//! `cron_jobs`: the app's CronJobs (`<app>-<key>`), with the job's command and arguments null where they
//! are the app's own.

use std::collections::BTreeMap;

use super::super::model::{AppModel, CronJob};
use super::live::{self, Live};
use crate::value::Tf;

const KIND: &str = "CronJob";

/// `command` or `args` of the job's container; null when it is the app's (what the job runs by default).
fn own(list: Tf<Vec<Tf<String>>>, app: &Tf<Vec<String>>) -> Tf<Vec<Tf<String>>> {
    let same = match (list.get(), app.get()) {
        (None, None) => true,
        (Some(l), Some(a)) => l.iter().map(Tf::get).eq(a.iter().map(Some)),
        _ => false,
    };
    if same { Tf::Null } else { list }
}

/// `cron_jobs`. Reads `command` and `args` (earlier groups).
pub(super) fn cron_jobs(live: &Live, app: &mut AppModel) {
    let prefix = format!("{}-", live.name);
    let jobs: BTreeMap<String, Tf<CronJob>> = live
        .objects()
        .filter(|(kind, _)| *kind == KIND)
        .filter_map(|(_, c)| {
            let key = c.pointer("/metadata/name")?.as_str()?.strip_prefix(&prefix)?.to_owned();
            let spec = c.get("spec")?;
            let job = spec.pointer("/jobTemplate/spec");
            let container = job.and_then(|j| j.pointer("/template/spec/containers/0"));
            Some((
                key,
                Tf::Known(CronJob {
                    schedule: live::string(spec.get("schedule")),
                    time_zone: live::string(spec.get("timeZone")),
                    command: own(live::user_list(container.and_then(|c| c.get("command"))), &app.command),
                    args: own(live::user_list(container.and_then(|c| c.get("args"))), &app.args),
                    concurrency_policy: live::string(spec.get("concurrencyPolicy")),
                    suspend: live::boolean(spec.get("suspend")),
                    backoff_limit: live::int(job.and_then(|j| j.get("backoffLimit"))),
                    active_deadline_seconds: live::int(job.and_then(|j| j.get("activeDeadlineSeconds"))),
                    starting_deadline_seconds: live::int(spec.get("startingDeadlineSeconds")),
                    successful_jobs_history_limit: live::int(spec.get("successfulJobsHistoryLimit")),
                    failed_jobs_history_limit: live::int(spec.get("failedJobsHistoryLimit")),
                }),
            ))
        })
        .collect();
    app.cron_jobs = if jobs.is_empty() { Tf::Null } else { Tf::Known(jobs) };
}
