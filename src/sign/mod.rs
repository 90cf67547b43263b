//! Request signing and signature verification for the supported auth kinds.
