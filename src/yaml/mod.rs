//! YAML parsing that keeps the line and column of every node.
