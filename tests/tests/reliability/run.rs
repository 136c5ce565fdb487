//! The shape every fault scenario shares: start an apply, inject the fault while it runs, let it end,
//! repair the plane, apply again if needed, check convergence, record the figures, destroy and check
//! nothing is left.

use std::time::{Duration, Instant};

use hub_acceptance::sandbox::Sandbox;
use hub_acceptance::support::block_on;
use hub_acceptance::tf::{self, Output, Running};

use crate::checks;
use crate::figures::{self, Row};
use crate::probes::WriteCounter;
use crate::stack::Stack;

/// What a scenario does around the faulted apply.
pub(crate) trait Fault {
    /// Called once the apply has started; injects the fault (e.g. waits for k writes, then stops a
    /// component). Returns a description of what it did, for the figures.
    fn inject(&mut self, sb: &Sandbox, running: &Running, counter: &WriteCounter) -> tf::Result<String>;
    /// Called before the apply starts (for faults that must be in force from its first write).
    fn prepare(&mut self, _sb: &Sandbox) -> tf::Result<()> {
        Ok(())
    }
    /// Called after the faulted apply ended: brings the plane back.
    fn repair(&mut self, _sb: &Sandbox) -> tf::Result<()> {
        Ok(())
    }
    /// Whether the provider may have been killed (its crash is then the expected outcome).
    fn kills_provider(&self) -> bool {
        false
    }
}

fn first_error(out: &Output) -> String {
    let diags = out.diagnostics();
    let text = diags
        .errors()
        .map(|d| format!("{}: {}", d.summary, d.detail))
        .next()
        .unwrap_or_else(|| {
            out.stderr
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or_default()
                .to_owned()
        });
    let line = text.lines().next().unwrap_or_default().to_owned();
    line.chars().take(240).collect()
}

/// Runs one faulted apply of `stack` and its recovery; records and returns the row. Fails when the
/// recovery did not converge or destroy left something behind.
pub(crate) fn faulted_apply(sb: &Sandbox, scenario: &str, stack: &Stack, fault: &mut dyn Fault) -> tf::Result<Row> {
    let ws = stack.workspace()?;
    let apply = stack.apply_args();
    let apply: Vec<&str> = apply.iter().map(String::as_str).collect();
    fault.prepare(sb)?;
    let counter = WriteCounter::start(sb, &stack.namespace)?;
    let t0 = Instant::now();
    let running = ws.spawn(&apply)?;
    let injected = fault.inject(sb, &running, &counter);
    let out = running.wait(Duration::from_secs(600));
    let fault_secs = figures::secs(t0.elapsed());
    counter.finish(sb);
    fault.repair(sb)?;
    let mut injected = injected?;
    let out = out?;
    // Whatever the fault, every role carries its trust policy (CreateRole writes it atomically); a role
    // whose inline policy was not written yet is in state (partial) and completed by the next apply.
    let roles = block_on(checks::roles(sb, &stack.role_prefix()))?;
    let untrusted: Vec<&String> = roles
        .iter()
        .filter(|(_, (trust, _))| !checks::trusts_pods(trust))
        .map(|(n, _)| n)
        .collect();
    if !untrusted.is_empty() {
        return Err(tf::Error::assertion(format!(
            "roles without their trust policy after the fault: {untrusted:?}"
        )));
    }
    let incomplete = roles
        .values()
        .filter(|(_, inline)| !inline.contains("Statement"))
        .count();
    if incomplete > 0 {
        injected.push_str(&format!("; {incomplete} role(s) awaiting their inline policy after it"));
    }
    if !fault.kills_provider() {
        out.expect_no_crash()?;
    }
    let survived = out.success();
    let mut row = Row {
        scenario: scenario.to_owned(),
        fault: injected,
        survived,
        fault_secs,
        message: if survived { String::new() } else { first_error(&out) },
        ..Row::default()
    };
    let mut problems = Vec::new();
    if !survived {
        let t1 = Instant::now();
        let again = ws.run(&apply)?;
        row.recovery_secs = figures::secs(t1.elapsed());
        if !again.success() {
            problems.push(format!("the recovery apply failed: {}", first_error(&again)));
        }
    }
    let verdict = checks::converged(sb, &ws, stack)?;
    row.orphans = verdict.orphans;
    row.duplicates = verdict.duplicates;
    problems.extend(verdict.problems);
    row.converged = problems.is_empty();
    figures::record(&row);
    if !row.converged {
        return Err(tf::Error::assertion(format!(
            "{scenario} ({}) did not converge:\n{}\nfaulted apply:\n{}",
            row.fault,
            problems.join("\n"),
            out.stdout.lines().rev().take(30).collect::<Vec<_>>().join("\n")
        )));
    }
    checks::destroy_clean(sb, &ws, stack)?;
    Ok(row)
}
