mod report_fixture;
#[test]
fn dump() {
    let r = report_fixture::report(false);
    std::fs::write("/tmp/jscheck/report.html", specgate::report::render_html(&r).unwrap()).unwrap();
}
