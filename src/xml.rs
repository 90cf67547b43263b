//! Reading an XML answer (Alibaba `Format=XML`) into the same JSON tree as the JSON answer, so
//! that the operation's JSON Schema, the `match`/`equals`/`count` pointers and the masked sample
//! diff apply to it unchanged.
//!
//! XML has no arrays, numbers or booleans, so the reader takes them from the operation's JSON
//! Schema (the one the JSON answer is checked against):
//!
//! - the root element (`<ListKeysResponse>`, `<Error>`) is unwrapped: its children are the
//!   top-level fields; its name is kept in [`XmlDoc::root`] but not checked (the pages disagree
//!   on it);
//! - an element is an object when it has child elements: each child becomes a field;
//! - children repeated under one name become an array, and so does a child whose schema says
//!   `array` (one `<Key>` in `<Keys>` is `{"Key": [...]}`, as in JSON);
//! - an element with no child elements whose schema says `object` and has a required `array`
//!   property is that empty list (`<Keys></Keys>` is `{"Key": []}`): XML cannot tell an empty
//!   list from an absent one, and the JSON face answers `{"Key": []}`;
//! - a leaf whose schema says `integer`, `number` or `boolean` is converted when its text is
//!   one; otherwise it stays a string, and the schema check reports it;
//! - elements the schema does not know are read without it: objects and strings;
//! - attributes, comments, processing instructions and namespace prefixes are ignored; text is
//!   unescaped (`&lt;`, `&#60;`) and CDATA taken as it is.
//!
//! A body that is not well-formed XML is an [`XmlError`], never a panic.

use std::collections::HashMap;

use serde_json::{Map, Value};

use quick_xml::Reader;
use quick_xml::events::Event;

/// How deep elements may nest before the body is refused (a guard against hostile bodies).
pub const MAX_DEPTH: usize = 64;

/// An XML document read into a JSON tree.
#[derive(Debug, Clone, PartialEq)]
pub struct XmlDoc {
    /// The name of the root element, as written (e.g. `ListKeysResponse`).
    pub root: String,
    /// The root's content as a JSON value (an object for every answer of these APIs).
    pub value: Value,
}

/// Why a body could not be read as XML.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    /// The bytes are not UTF-8.
    #[error("the body is not UTF-8 text")]
    NotUtf8,
    /// The body holds no element at all.
    #[error("the body has no root element")]
    NoRoot,
    /// Elements nest deeper than [`MAX_DEPTH`].
    #[error("elements nest deeper than {MAX_DEPTH} levels")]
    TooDeep,
    /// Anything after the root element but whitespace, comments or processing instructions.
    #[error("content after the root element at byte {0}")]
    Trailing(u64),
    /// The XML parser's own error.
    #[error("not well-formed XML at byte {position}: {message}")]
    Syntax {
        /// The byte offset where the parser stopped.
        position: u64,
        /// What the parser said.
        message: String,
    },
}

/// One element as parsed, before the schema gives it a JSON type.
#[derive(Debug, Default)]
struct Element {
    name: String,
    children: Vec<Element>,
    text: String,
}

/// Reads `body` as XML into a JSON tree typed by `schema` (a JSON Schema of the answer, or
/// `None` to read every leaf as a string).
pub fn read(body: &[u8], schema: Option<&Value>) -> Result<XmlDoc, XmlError> {
    let text = std::str::from_utf8(body).map_err(|_| XmlError::NotUtf8)?;
    let root = parse(text)?;
    let value = convert(&root, schema);
    Ok(XmlDoc {
        root: root.name,
        value,
    })
}

/// Parses the text into one root [`Element`].
fn parse(text: &str) -> Result<Element, XmlError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let position = reader.buffer_position();
        let event = reader.read_event().map_err(|e| XmlError::Syntax {
            position: reader.error_position(),
            message: e.to_string(),
        })?;
        let syntax = |message: &str| XmlError::Syntax {
            position,
            message: message.to_string(),
        };
        match event {
            Event::Start(_) | Event::Empty(_) if root.is_some() => {
                return Err(XmlError::Trailing(position));
            }
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError::TooDeep);
                }
                stack.push(Element {
                    name: local_name(e.name().as_ref()),
                    ..Element::default()
                });
            }
            Event::Empty(e) => {
                let element = Element {
                    name: local_name(e.name().as_ref()),
                    ..Element::default()
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::End(_) => {
                let done = stack
                    .pop()
                    .ok_or_else(|| syntax("an end tag without a start"))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root = Some(done),
                }
            }
            Event::Text(t) => {
                let decoded = t.decode().map_err(|e| syntax(&e.to_string()))?;
                push_text(&mut stack, &root, &decoded, position)?;
            }
            Event::CData(t) => {
                let decoded = t.decode().map_err(|e| syntax(&e.to_string()))?;
                push_text(&mut stack, &root, &decoded, position)?;
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let name = r.decode().map_err(|e| syntax(&e.to_string()))?;
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .ok_or_else(|| syntax(&format!("unknown entity `&{name};`")))?
                            .to_string()
                    }
                    Err(e) => return Err(syntax(&e.to_string())),
                };
                push_text(&mut stack, &root, &resolved, position)?;
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(XmlError::Syntax {
            position: text.len() as u64,
            message: format!("`<{}>` is not closed", stack[stack.len() - 1].name),
        });
    }
    root.ok_or(XmlError::NoRoot)
}

/// Adds character data to the open element; outside the root only whitespace is allowed.
fn push_text(
    stack: &mut [Element],
    root: &Option<Element>,
    text: &str,
    position: u64,
) -> Result<(), XmlError> {
    match stack.last_mut() {
        Some(open) => {
            open.text.push_str(text);
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None if root.is_some() => Err(XmlError::Trailing(position)),
        None => Err(XmlError::Syntax {
            position,
            message: "text before the root element".into(),
        }),
    }
}

/// The name without a namespace prefix (`kms:Key` is `Key`).
fn local_name(raw: &[u8]) -> String {
    let name = String::from_utf8_lossy(raw);
    match name.rsplit_once(':') {
        Some((_, local)) => local.to_string(),
        None => name.into_owned(),
    }
}

/// The JSON type a schema asks for: its `type`, or the first non-null one of a list.
fn schema_type(schema: Option<&Value>) -> Option<&str> {
    match schema?.get("type")? {
        Value::String(t) => Some(t),
        Value::Array(types) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null"),
        _ => None,
    }
}

fn property<'a>(schema: Option<&'a Value>, name: &str) -> Option<&'a Value> {
    schema?.get("properties")?.get(name)
}

/// The element's content as a JSON value, typed by its schema.
fn convert(element: &Element, schema: Option<&Value>) -> Value {
    let ty = schema_type(schema);
    if ty == Some("array") {
        let items = schema.and_then(|s| s.get("items"));
        return Value::Array(vec![convert(element, items)]);
    }
    if !element.children.is_empty() {
        return object(element, schema);
    }
    let text = element.text.as_str();
    match ty {
        Some("object") if text.trim().is_empty() => empty_object(schema),
        Some("integer") => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(text.to_string())),
        Some("number") => number(text.trim()).unwrap_or_else(|| Value::String(text.to_string())),
        Some("boolean") => match text.trim() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text.to_string()),
        },
        Some("null") if text.is_empty() => Value::Null,
        _ => Value::String(text.to_string()),
    }
}

fn number(text: &str) -> Option<Value> {
    if let Ok(i) = text.parse::<i64>() {
        return Some(Value::from(i));
    }
    let f = text.parse::<f64>().ok()?;
    serde_json::Number::from_f64(f).map(Value::Number)
}

/// An element with child elements: one field per child name, in first-seen order.
fn object(element: &Element, schema: Option<&Value>) -> Value {
    // Grouped in one pass (a hostile body may have a million distinct names).
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut groups: Vec<(&str, Vec<&Element>)> = Vec::new();
    for child in &element.children {
        let i = *index.entry(&child.name).or_insert_with(|| {
            groups.push((&child.name, Vec::new()));
            groups.len() - 1
        });
        groups[i].1.push(child);
    }
    let mut map = Map::new();
    for (name, group) in groups {
        let child_schema = property(schema, name);
        let value = if schema_type(child_schema) == Some("array") {
            let items = child_schema.and_then(|s| s.get("items"));
            Value::Array(group.iter().map(|c| convert(c, items)).collect())
        } else if group.len() > 1 {
            Value::Array(group.iter().map(|c| convert(c, child_schema)).collect())
        } else {
            convert(group[0], child_schema)
        };
        map.insert(name.to_string(), value);
    }
    Value::Object(map)
}

/// An empty element read as an object: its required array properties are empty lists.
fn empty_object(schema: Option<&Value>) -> Value {
    let mut map = Map::new();
    let required = schema
        .and_then(|s| s.get("required"))
        .and_then(Value::as_array);
    for name in required.into_iter().flatten().filter_map(Value::as_str) {
        if schema_type(property(schema, name)) == Some("array") {
            map.insert(name.to_string(), Value::Array(Vec::new()));
        }
    }
    Value::Object(map)
}

/// True for `application/xml`, `text/xml` and any `<type>/<subtype>+xml`, with or without
/// parameters, in any letter case.
pub fn is_xml_media_type(content_type: &str) -> bool {
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let Some((ty, subtype)) = media.split_once('/') else {
        return false;
    };
    ((ty == "application" || ty == "text") && subtype == "xml")
        || (!ty.is_empty() && subtype.ends_with("+xml"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn list_keys_schema() -> Value {
        json!({
            "type": "object",
            "required": ["RequestId", "TotalCount", "PageNumber", "PageSize", "Keys"],
            "properties": {
                "RequestId": {"type": "string"},
                "TotalCount": {"type": "integer"},
                "PageNumber": {"type": "integer"},
                "PageSize": {"type": "integer"},
                "Keys": {
                    "type": "object",
                    "required": ["Key"],
                    "properties": {"Key": {"type": "array", "items": {
                        "type": "object",
                        "properties": {"KeyId": {"type": "string"}, "KeyArn": {"type": "string"}}
                    }}}
                }
            }
        })
    }

    fn read_ok(xml: &str, schema: Option<&Value>) -> XmlDoc {
        read(xml.as_bytes(), schema).unwrap_or_else(|e| panic!("{e}: {xml}"))
    }

    #[test]
    fn the_root_is_unwrapped_and_integers_stay_integers() {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListKeysResponse>\
                   <RequestId>r-1</RequestId><TotalCount>2</TotalCount><PageNumber>1</PageNumber>\
                   <PageSize>10</PageSize><Keys><Key><KeyId>a</KeyId><KeyArn>x</KeyArn></Key>\
                   <Key><KeyId>b</KeyId><KeyArn>y</KeyArn></Key></Keys></ListKeysResponse>";
        let doc = read_ok(xml, Some(&list_keys_schema()));
        assert_eq!(doc.root, "ListKeysResponse");
        assert_eq!(
            doc.value,
            json!({"RequestId": "r-1", "TotalCount": 2, "PageNumber": 1, "PageSize": 10,
                   "Keys": {"Key": [{"KeyId": "a", "KeyArn": "x"}, {"KeyId": "b", "KeyArn": "y"}]}})
        );
    }

    #[test]
    fn one_item_is_still_an_array_where_the_schema_says_array() {
        let doc = read_ok(
            "<R><Keys><Key><KeyId>a</KeyId></Key></Keys></R>",
            Some(&list_keys_schema()),
        );
        assert_eq!(doc.value, json!({"Keys": {"Key": [{"KeyId": "a"}]}}));
        // Without a schema, a single element is an object and a repeated one an array.
        let doc = read_ok("<R><Keys><Key><KeyId>a</KeyId></Key></Keys></R>", None);
        assert_eq!(doc.value, json!({"Keys": {"Key": {"KeyId": "a"}}}));
        let doc = read_ok("<R><A>1</A><A>2</A></R>", None);
        assert_eq!(doc.value, json!({"A": ["1", "2"]}));
    }

    #[test]
    fn an_empty_wrapper_is_an_empty_list() {
        let schema = list_keys_schema();
        for xml in [
            "<R><Keys></Keys></R>",
            "<R><Keys/></R>",
            "<R><Keys>\n  </Keys></R>",
        ] {
            assert_eq!(
                read_ok(xml, Some(&schema)).value,
                json!({"Keys": {"Key": []}}),
                "{xml}"
            );
        }
    }

    #[test]
    fn a_dropped_item_wrapper_reads_as_what_it_is() {
        // The ListKeys page's XML sample: the <Key> wrapper is missing.
        let xml = "<ListKeysResponse><Keys><KeyId>k</KeyId><KeyArn>arn</KeyArn></Keys></ListKeysResponse>";
        let doc = read_ok(xml, Some(&list_keys_schema()));
        assert_eq!(doc.value, json!({"Keys": {"KeyId": "k", "KeyArn": "arn"}}));
    }

    #[test]
    fn text_that_is_not_the_schema_type_stays_a_string() {
        let doc = read_ok(
            "<R><TotalCount>three</TotalCount><PageSize> 7 </PageSize></R>",
            Some(&list_keys_schema()),
        );
        assert_eq!(doc.value, json!({"TotalCount": "three", "PageSize": 7}));
        let schema = json!({"type": "object", "properties": {
            "B": {"type": "boolean"}, "N": {"type": "number"}, "Z": {"type": ["null", "integer"]},
            "O": {"type": "object"}
        }});
        let doc = read_ok(
            "<R><B>true</B><N>1.5</N><Z>4</Z><O>text</O></R>",
            Some(&schema),
        );
        assert_eq!(doc.value, json!({"B": true, "N": 1.5, "Z": 4, "O": "text"}));
    }

    #[test]
    fn entities_cdata_comments_and_prefixes() {
        let doc = read_ok(
            "<!-- c --><kms:R xmlns:kms=\"urn:x\" a=\"1\"><kms:S>a&lt;b&#x26;c&#62;</kms:S>\
             <T><![CDATA[<raw>]]></T><U></U></kms:R>",
            None,
        );
        assert_eq!(doc.root, "R");
        assert_eq!(doc.value, json!({"S": "a<b&c>", "T": "<raw>", "U": ""}));
    }

    #[test]
    fn malformed_bodies_are_errors_not_panics() {
        type IsExpected = fn(&XmlError) -> bool;
        let cases: &[(&[u8], IsExpected)] = &[
            (b"", |e| *e == XmlError::NoRoot),
            (b"   ", |e| *e == XmlError::NoRoot),
            (b"{\"Keys\":{}}", |e| matches!(e, XmlError::Syntax { .. })),
            (b"<R><A></R>", |e| matches!(e, XmlError::Syntax { .. })),
            (b"<R><A>", |e| matches!(e, XmlError::Syntax { .. })),
            (b"<R></R><S></S>", |e| matches!(e, XmlError::Trailing(_))),
            (b"<R></R>tail", |e| matches!(e, XmlError::Trailing(_))),
            (b"<R>&bogus;</R>", |e| matches!(e, XmlError::Syntax { .. })),
            (b"<R>\xff</R>", |e| *e == XmlError::NotUtf8),
        ];
        for (body, ok) in cases {
            let err = read(body, None).expect_err(&String::from_utf8_lossy(body));
            assert!(ok(&err), "{:?}: {err:?}", String::from_utf8_lossy(body));
        }
        // Many distinct names in one element are read in linear time.
        let wide: String = (0..200_000).map(|i| format!("<a{i}/>")).collect();
        let started = std::time::Instant::now();
        let doc = read(format!("<R>{wide}</R>").as_bytes(), None).unwrap();
        assert_eq!(doc.value.as_object().map(Map::len), Some(200_000));
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
        let deep = format!(
            "{}{}",
            "<a>".repeat(MAX_DEPTH + 1),
            "</a>".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(read(deep.as_bytes(), None), Err(XmlError::TooDeep));
        let fine = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        assert!(read(fine.as_bytes(), None).is_ok());
    }

    #[test]
    fn xml_media_types() {
        for ok in [
            "application/xml",
            "text/xml",
            "application/xml;charset=utf-8",
            "Text/XML; charset=UTF-8",
            "application/atom+xml",
        ] {
            assert!(is_xml_media_type(ok), "{ok}");
        }
        for bad in [
            "application/json",
            "text/plain",
            "xml",
            "",
            "application/xmlx",
        ] {
            assert!(!is_xml_media_type(bad), "{bad}");
        }
    }
}
