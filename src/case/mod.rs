//! Case files: what to ask a target and what to expect.
