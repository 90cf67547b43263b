//! Diagnostics: errors about a user file, rendered with file:line:col, the line and a caret.
