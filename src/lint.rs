//! `specgate lint`: validate specs and cases.
