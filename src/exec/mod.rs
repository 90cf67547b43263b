//! Execution: send the steps of a case to a target.
