//! Checks: turn one answer and a step's expectations into findings.
//!
//! Every check is a pure function of the answer, the spec and the expectation; none sends a
//! request. Pagination walks are driven by the executor, which hands the pages it fetched to
//! [`pagination::check_walk`] (page numbers) or [`marker::check_marker_walk`] (markers).
//!
//! [`check_step`] runs the checks in a fixed order, so that findings come out in the same order
//! on every run: status, content, error, schema, match, equals, count, pagination, sample. Two
//! rules keep the findings to the point:
//!
//! - when the body is not JSON, only the status and content findings are reported (the body
//!   checks would each repeat "not JSON");
//! - an XML answer (`format: xml`) is read into the same tree first ([`read_xml_answer`]), so
//!   every body check applies to it; its content check is [`check_xml_content`] and its sample
//!   is the spec's `sample_xml`;
//! - when the answer is an error but a success was expected, or the other way round, the body
//!   expectations written for the expected answer (match, equals, count, pagination, sample) are
//!   not checked: the status finding already says what went wrong.

pub mod content;
pub mod count;
pub mod diff;
pub mod equals;
pub mod error;
pub mod marker;
pub mod mask;
pub mod matcher;
pub mod pagination;
pub mod sample;
pub mod schema;
pub mod status;
mod step;
#[cfg(test)]
pub(crate) mod testutil;
mod values;
pub mod xml_content;

pub use content::{check_content, is_json_media_type};
pub use count::check_count;
pub use diff::unified;
pub use equals::{check_equals, json_equal};
pub use error::{check_error, error_code, error_message};
pub use mask::mask;
pub use matcher::check_match;
pub use pagination::{check_page, check_walk, item_ids, total};
pub use sample::{Prepared, check_sample, prepare, sample_diff};
pub use schema::{Violation, check_schema, violations};
pub use status::{ExpectedStatus, check_status, expected_status};
pub use step::{Context, Observed, check_step, sample_diff_for};
pub(crate) use values::{brief, cmp_pointers, truncate_chars, type_name};
pub use xml_content::{check_xml_content, read_xml_answer};
