//! Checks: turn an exchange and an expectation into findings.
