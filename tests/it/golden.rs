//! The golden-file mechanism itself (`tests/support/golden.rs`): a golden file that differs
//! from what a test produced fails with a diff naming the file, and one that matches passes.

use crate::support::golden;

#[test]
fn a_changed_golden_file_fails_with_a_diff_and_a_matching_one_passes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.expected");
    std::fs::write(&path, "line one\nline two\n").unwrap();
    golden::check(&path, "line one\nline two\n");
    match golden::compare(&path, "line one\nline 2\n") {
        Err(message) => {
            assert!(message.contains(&path.display().to_string()), "{message}");
            assert!(message.contains("SPECGATE_BLESS=1"), "{message}");
            assert!(message.contains("\n-line two\n+line 2\n"), "{message}");
        }
        // Under SPECGATE_BLESS the file is rewritten instead.
        Ok(()) => assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "line one\nline 2\n"
        ),
    }
}
