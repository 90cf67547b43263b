//! Target profiles: where to send requests and how to sign them.
