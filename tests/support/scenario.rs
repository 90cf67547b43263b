//! Shared by the tests that run one case of the small `demo` fixture suite against a
//! hand-made target with `exec::run_case`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use specgate::case::Case;
use specgate::exec::{
    CaseOutcome, Client, ClientOptions, Redactor, RetryPolicy, RunContext, run_case,
};
use specgate::suite::Suite;
use specgate::target::{Auth, ServiceTarget, Target, vars_of};

/// The `demo` fixture specs with the given case file.
pub fn demo_suite(cases: &str) -> Suite {
    Suite::load(
        &PathBuf::from("tests/fixtures/lint/specs"),
        &[PathBuf::from(cases)],
    )
    .unwrap()
}

/// A target with only the `demo` service at `endpoint`, not the embedded emulator.
pub fn demo_target(endpoint: &str) -> Target {
    let mut services = BTreeMap::new();
    services.insert(
        "demo".to_string(),
        ServiceTarget {
            endpoint: endpoint.to_string(),
            auth: Auth::None,
            vars: vars_of(&[("region", "r1")]),
        },
    );
    Target {
        name: "hand-made".into(),
        file: None,
        embedded: false,
        disposable: false,
        services,
    }
}

/// Runs the case named `name` of `suite` against `target` with these client limits and retries.
pub async fn run_named(
    suite: &Suite,
    name: &str,
    target: &Target,
    options: ClientOptions,
    retry: RetryPolicy,
) -> CaseOutcome {
    let client = Client::new(options).unwrap();
    let redactor = Redactor::default();
    let overrides = Default::default();
    let ctx = RunContext {
        suite,
        client: &client,
        run_prefix: "sg-test",
        allow_mutations: false,
        redactor: &redactor,
        overrides: &overrides,
        retry,
        limiter: None,
        fixtures: None,
        observer: None,
    };
    let case: Case = suite
        .cases()
        .into_iter()
        .find(|c| c.name == name)
        .unwrap()
        .clone();
    run_case(&case, target, &ctx).await
}
