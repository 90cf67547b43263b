//! Whether the console writes colours (`--color auto|always|never`): under `auto`, only when
//! stdout is a terminal and `NO_COLOR` is unset or empty (<https://no-color.org>).

use std::ffi::OsString;

/// `--color`: when the console colours `ok`, `FAILED` and `ignored`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set to a non-empty value.
    #[default]
    Auto,
    /// Always, into pipes and files too.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour, given whether stdout is a terminal and the value of `NO_COLOR`.
    pub fn enabled(self, stdout_is_terminal: bool, no_color: Option<OsString>) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stdout_is_terminal && no_color.is_none_or(|v| v.is_empty()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ColorChoice::*;

    #[test]
    fn auto_colours_a_terminal_only_without_no_color() {
        assert!(Auto.enabled(true, None));
        assert!(Auto.enabled(true, Some("".into())));
        assert!(!Auto.enabled(true, Some("1".into())));
        assert!(!Auto.enabled(false, None));
    }

    #[test]
    fn always_and_never_ignore_the_terminal_and_no_color() {
        assert!(Always.enabled(false, Some("1".into())));
        assert!(!Never.enabled(true, None));
    }
}
