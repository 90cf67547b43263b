//! `--dry-run`: print every request the run would send, signed and redacted, sending none.

use serde_json::Value;

use super::plan::Plan;
use crate::exec::{Redactor, build_request_as};
use crate::suite::Suite;
use crate::vars::{self, Vars};

/// Prints the requests of every trial of the plan; values captured at run time show as
/// `<captured:NAME>`.
pub(super) fn dry_run(suite: &Suite, plan: &Plan, redactor: &Redactor) {
    for p in plan.trials() {
        let (Some(case), Some(target)) = (plan.case(p), plan.target(p)) else {
            continue;
        };
        println!("# [{}] {}", target.name, case.id());
        if case.mutating && !target.embedded && !target.disposable {
            println!(
                "#   (mutating: sent only with --allow-mutations or to a `disposable: true` target)"
            );
        }
        for f in &case.fixtures {
            println!(
                "#   uses fixture `{}`: created once per run by {}, removed after the run by {}",
                f.name,
                f.create.operation,
                f.teardown
                    .iter()
                    .map(|t| t.operation.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        for step in case.steps.iter().chain(&case.teardown) {
            let Some(op) = suite.operations.get(&step.operation) else {
                continue;
            };
            let Some(service) = suite.services.get(&op.service) else {
                continue;
            };
            let (Some(st), Some(vars)) =
                (target.services.get(&op.service), plan.vars(p, &op.service))
            else {
                println!("#   (target has no {})", op.service);
                continue;
            };
            // The plan's variables hold the `--var` values; a built-in's stays over its own.
            let mut v = vars.clone();
            v.insert("run_prefix".into(), Value::String("<run_prefix>".into()));
            v.extend(
                plan.late_overrides()
                    .iter()
                    .map(|(k, x)| (k.clone(), x.clone())),
            );
            let placeholders = |list: &[(String, Value)], v: &mut Vars| {
                for (_, val) in list {
                    for name in vars::value_references(val) {
                        v.entry(name.clone())
                            .or_insert_with(|| Value::String(format!("<captured:{name}>")));
                    }
                }
            };
            placeholders(&step.params, &mut v);
            placeholders(&step.extra_params, &mut v);
            let sub = |list: &[(String, Value)]| -> Vec<(String, Value)> {
                list.iter()
                    .map(|(k, x)| {
                        (
                            k.clone(),
                            vars::substitute_value(x, &v).unwrap_or_else(|_| x.clone()),
                        )
                    })
                    .collect()
            };
            let raw = step
                .raw_body
                .as_ref()
                .map(|b| vars::substitute(b, &v).unwrap_or_else(|_| b.clone()));
            match build_request_as(
                service,
                op,
                st,
                &v,
                &sub(&step.params),
                &sub(&step.extra_params),
                raw.as_deref(),
                step.format,
            ) {
                Ok(built) => {
                    let url = crate::exec::full_url(&st.endpoint, &built);
                    println!("{} {}", built.method, redactor.url(&url));
                    for (k, val) in &built.headers {
                        println!("{k}: {}", redactor.header(k, val));
                    }
                    if !built.body.is_empty() {
                        println!("\n{}", redactor.text(&String::from_utf8_lossy(&built.body)));
                    }
                    println!();
                }
                Err(e) => println!("#   cannot build: {e}\n"),
            }
        }
    }
}
