//! The verdict, the gate's reasons, the run's facts and the counts.

use std::fmt::Write as _;

use super::super::model::*;
use super::super::text;
use super::inline::{code, escape};

pub(super) fn header(out: &mut String, r: &Report) {
    let verdict = r.gate.verdict.upper();
    let icon = if r.passed() { "✅" } else { "❌" };
    let _ = writeln!(out, "# {icon} specgate: {verdict}\n");
    let c = &r.counts;
    let targets = r.matrix.targets.len();
    let mut parts = vec![format!("{} passed", c.pass), format!("{} failed", c.fail)];
    for (n, one, many) in [
        (
            c.ambiguity,
            "documentation ambiguity",
            "documentation ambiguities",
        ),
        (c.known, "known deviation", "known deviations"),
        (c.error, "error", "errors"),
    ] {
        parts.push(format!("{n} {}", if n == 1 { one } else { many }));
    }
    parts.push(format!("{} skipped", c.skipped));
    parts.push(format!("{} inconclusive", c.inconclusive));
    if c.blocked > 0 {
        parts.push(format!("{} blocked by a set-up step", c.blocked));
    }
    if c.other_reading > 0 {
        parts.push(format!("{} following another reading", c.other_reading));
    }
    let _ = writeln!(
        out,
        "**{verdict}**: {} case{} on {targets} target{}: {}.\n",
        c.total,
        if c.total == 1 { "" } else { "s" },
        if targets == 1 { "" } else { "s" },
        parts.join(", ")
    );
    if r.run.partial {
        let _ = writeln!(
            out,
            "> **Partial report:** the run was interrupted; only the {} cases that finished are included.\n",
            c.total
        );
    }
    let mut meta = format!("Run {} · specgate {}", code(&r.run.id), r.tool.version);
    if r.run.stable {
        meta.push_str(" · stable report: times, ports and ids are placeholders");
    } else {
        let _ = write!(
            meta,
            " · started {} · {}",
            r.run.started_at,
            text::seconds(r.run.duration_ms)
        );
    }
    let _ = write!(meta, " · resource prefix {}", code(&r.run.run_prefix));
    if r.run.insecure {
        meta.push_str(" · **TLS certificates not verified** (`--insecure`)");
    }
    if r.run.allow_mutations {
        meta.push_str(" · mutations allowed");
    }
    let _ = writeln!(out, "{meta}\n");
    for t in &r.targets {
        let services: Vec<String> = t
            .services
            .iter()
            .map(|s| format!("{} {} ({})", s.name, code(&s.endpoint), s.auth))
            .collect();
        let _ = writeln!(
            out,
            "- target {}{}: {}",
            code(&t.name),
            if t.embedded {
                " (embedded emulator)"
            } else {
                ""
            },
            if services.is_empty() {
                "—".to_string()
            } else {
                services.join(", ")
            }
        );
    }
    if !r.targets.is_empty() {
        out.push('\n');
    }
    if !r.run.left_out.is_empty() {
        let _ = writeln!(
            out,
            "Left out of the plan (a service the target does not serve):\n"
        );
        for line in &r.run.left_out {
            let _ = writeln!(out, "- {}", escape(line));
        }
        out.push('\n');
    }
    if r.gate.reasons.is_empty() {
        let _ = writeln!(
            out,
            "**Gate passed:** {}\n",
            if r.baseline.is_some() {
                "no failure outside the baseline, no error, and every baseline entry still reproduces."
            } else {
                "no failure and no error."
            }
        );
    } else {
        let _ = writeln!(out, "**Gate failed:**\n");
        for reason in &r.gate.reasons {
            let _ = writeln!(out, "- {}", escape(reason));
        }
        out.push('\n');
    }
}
