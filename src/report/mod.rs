//! Reporters: console, Markdown, HTML, JUnit and JSON.
