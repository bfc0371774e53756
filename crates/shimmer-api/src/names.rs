//! Absinthe-style names. Glimesh's server ran every field and argument name of a document
//! through `Macro.underscore` before looking it up, so `isFollowedMessage`,
//! `is_followed_message` and `avatarURL` all resolve, and `channel(ID: 6)` is `channel(id: 6)`.
//! Clients depend on it, and they read results back under the name they wrote.
//!
//! Our schemas use camelCase names only. Before execution the parsed document is rewritten: each
//! name becomes its canonical camelCase form, and a field whose name changed gets the name as
//! written for its alias, so the response key is what the client asked for.

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, OperationType, Selection,
    SelectionSet,
};
use async_graphql::parser::Positioned;
use async_graphql::Name;
use async_graphql_value::Value;

/// `Macro.underscore`: `avatarURL` → `avatar_url`, `ID` → `id`, `HTTPServer` → `http_server`.
fn underscore(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (index, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let previous = index.checked_sub(1).map(|i| chars[i]);
            let next = chars.get(index + 1);
            let boundary = match previous {
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_ascii_uppercase() => next.is_some_and(|n| n.is_ascii_lowercase()),
                _ => false,
            };
            if boundary {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The schema's name for a name as a client wrote it: underscored, then camelCased.
pub fn canonical(name: &str) -> String {
    if name.starts_with("__") {
        return name.to_owned();
    }
    let underscored = underscore(name);
    let mut out = String::with_capacity(underscored.len());
    let mut upper_next = false;
    for c in underscored.chars() {
        if c == '_' {
            upper_next = !out.is_empty();
        } else if upper_next {
            out.push(c.to_ascii_uppercase());
            upper_next = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn canonical_name(name: &Name) -> Option<Name> {
    let canonical = canonical(name.as_str());
    (canonical != name.as_str()).then(|| Name::new(canonical))
}

/// Rewrites every field name, argument name and input object key of the document to its
/// canonical form, aliasing renamed fields to the name as written.
pub fn normalise(document: &mut ExecutableDocument) {
    match &mut document.operations {
        DocumentOperations::Single(operation) => normalise_set(&mut operation.node.selection_set),
        DocumentOperations::Multiple(operations) => {
            for operation in operations.values_mut() {
                normalise_set(&mut operation.node.selection_set);
            }
        }
    }
    for fragment in document.fragments.values_mut() {
        normalise_set(&mut fragment.node.selection_set);
    }
}

fn normalise_set(set: &mut Positioned<SelectionSet>) {
    for item in &mut set.node.items {
        match &mut item.node {
            Selection::Field(field) => {
                let field = &mut field.node;
                if let Some(renamed) = canonical_name(&field.name.node) {
                    if field.alias.is_none() {
                        field.alias =
                            Some(Positioned::new(field.name.node.clone(), field.name.pos));
                    }
                    field.name.node = renamed;
                }
                for (name, value) in &mut field.arguments {
                    if let Some(renamed) = canonical_name(&name.node) {
                        name.node = renamed;
                    }
                    normalise_value(&mut value.node);
                }
                normalise_set(&mut field.selection_set);
            }
            Selection::InlineFragment(fragment) => {
                normalise_set(&mut fragment.node.selection_set);
            }
            Selection::FragmentSpread(_) => {}
        }
    }
}

fn normalise_value(value: &mut Value) {
    match value {
        Value::Object(fields) => {
            let entries = std::mem::take(fields);
            for (key, mut inner) in entries {
                normalise_value(&mut inner);
                let key = canonical_name(&key).unwrap_or(key);
                fields.insert(key, inner);
            }
        }
        Value::List(items) => items.iter_mut().for_each(normalise_value),
        _ => {}
    }
}

/// The operation a request runs: the named one, or the only one.
pub fn selected_operation<'a>(
    document: &'a ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<&'a OperationDefinition> {
    match (&document.operations, operation_name) {
        (DocumentOperations::Single(operation), _) => Some(&operation.node),
        (DocumentOperations::Multiple(operations), Some(name)) => {
            operations.get(name).map(|operation| &operation.node)
        }
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
            operations.values().next().map(|operation| &operation.node)
        }
        _ => None,
    }
}

/// What kind of operation the request runs and the name of its first root field (for metrics
/// and logs).
pub fn describe(
    document: &ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<(OperationType, String)> {
    let operation = selected_operation(document, operation_name)?;
    let first = operation
        .selection_set
        .node
        .items
        .iter()
        .find_map(|item| match &item.node {
            Selection::Field(field) => Some(field.node.name.node.to_string()),
            _ => None,
        })
        .unwrap_or_default();
    Some((operation.ty, first))
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    #[test]
    fn absinthe_spellings_resolve_to_the_schema_names() {
        for (written, expected) in [
            ("avatarURL", "avatarUrl"),
            ("is_followed_message", "isFollowedMessage"),
            ("isFollowedMessage", "isFollowedMessage"),
            ("ID", "id"),
            ("platform_founder_subscriber", "platformFounderSubscriber"),
            ("streamerUsername", "streamerUsername"),
            ("__typename", "__typename"),
            ("HTTPServer", "httpServer"),
        ] {
            assert_eq!(canonical(written), expected, "{written}");
        }
    }

    #[test]
    fn renamed_fields_keep_the_written_name_as_response_key() {
        let mut document =
            parse_query("{ channel(ID: 6) { is_followed: title avatarURL stream_key { x } } }")
                .unwrap();
        normalise(&mut document);
        let DocumentOperations::Single(operation) = &document.operations else {
            panic!("one operation");
        };
        let Selection::Field(channel) = &operation.node.selection_set.node.items[0].node else {
            panic!("a field");
        };
        assert_eq!(channel.node.arguments[0].0.node.as_str(), "id");
        let keys: Vec<(String, String)> = channel
            .node
            .selection_set
            .node
            .items
            .iter()
            .map(|item| match &item.node {
                Selection::Field(field) => (
                    field.node.response_key().node.to_string(),
                    field.node.name.node.to_string(),
                ),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(
            keys,
            [
                ("is_followed".to_owned(), "title".to_owned()),
                ("avatarURL".to_owned(), "avatarUrl".to_owned()),
                ("stream_key".to_owned(), "streamKey".to_owned()),
            ]
        );
    }

    #[test]
    fn input_object_keys_are_normalised() {
        let mut document =
            parse_query("mutation { logStreamMetadata(stream_id: 1, metadata: {video_codec: \"h264\"}) { id } }")
                .unwrap();
        normalise(&mut document);
        let DocumentOperations::Single(operation) = &document.operations else {
            panic!("one operation");
        };
        let Selection::Field(field) = &operation.node.selection_set.node.items[0].node else {
            panic!("a field");
        };
        assert_eq!(field.node.arguments[0].0.node.as_str(), "streamId");
        let Value::Object(metadata) = &field.node.arguments[1].1.node else {
            panic!("an object");
        };
        assert!(metadata.contains_key("videoCodec"));
    }
}
