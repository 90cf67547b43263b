//! The XML rendering of Alibaba bodies (`Format=XML`), from the same JSON value.
//!
//! An object becomes child elements; an array becomes one element per item, each named after
//! the array's field, so `{"Keys":{"Key":[a,b]}}` renders `<Keys><Key>a</Key><Key>b</Key></Keys>`.

use serde_json::Value;

/// Renders `value` under a root element named `root`, with the XML declaration.
pub(super) fn render(root: &str, value: &Value) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    element(&mut out, root, value);
    out
}

fn element(out: &mut String, name: &str, value: &Value) {
    match value {
        Value::Array(items) => {
            for item in items {
                element(out, name, item);
            }
        }
        Value::Object(map) => {
            open(out, name);
            for (k, v) in map {
                element(out, k, v);
            }
            close(out, name);
        }
        Value::Null => {
            open(out, name);
            close(out, name);
        }
        Value::String(s) => {
            open(out, name);
            escape_into(out, s);
            close(out, name);
        }
        other => {
            open(out, name);
            escape_into(out, &other.to_string());
            close(out, name);
        }
    }
}

fn open(out: &mut String, name: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
}

fn close(out: &mut String, name: &str) {
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wrapped_lists_render_as_repeated_elements() {
        let v = json!({"Keys": {"Key": [{"KeyId": "a"}, {"KeyId": "b<&>"}]}, "TotalCount": 2});
        assert_eq!(
            render("ListKeysResponse", &v),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListKeysResponse><Keys><Key><KeyId>a</KeyId></Key>\
             <Key><KeyId>b&lt;&amp;&gt;</KeyId></Key></Keys><TotalCount>2</TotalCount></ListKeysResponse>"
        );
        let empty = json!({"Keys": {"Key": []}});
        assert!(render("R", &empty).ends_with("<R><Keys></Keys></R>"));
    }
}
