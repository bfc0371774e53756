//! Stripe's request bodies: `application/x-www-form-urlencoded` with bracketed keys
//! (`metadata[key]=value`, `line_items[0][price_data][unit_amount]=500`).

use std::collections::HashMap;

/// A parsed request body.
#[derive(Debug, Default)]
pub struct Form(Vec<(String, String)>);

impl Form {
    pub fn parse(body: &[u8]) -> Self {
        Self(url::form_urlencoded::parse(body).into_owned().collect())
    }

    /// The last value given for `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.as_str())
    }

    /// Every value of a list parameter: `key[0]=a&key[1]=b`, `key[]=a` or `key=a`.
    pub fn list(&self, key: &str) -> Vec<String> {
        let start = format!("{key}[");
        self.0
            .iter()
            .filter(|(name, _)| {
                name == key
                    || name
                        .strip_prefix(&start)
                        .and_then(|inner| inner.strip_suffix(']'))
                        .is_some_and(|index| index.chars().all(|c| c.is_ascii_digit()))
            })
            .map(|(_, value)| value.clone())
            .collect()
    }

    /// Every `prefix[name]=value` as a map of name to value (for `metadata`).
    pub fn map(&self, prefix: &str) -> HashMap<String, String> {
        let start = format!("{prefix}[");
        self.0
            .iter()
            .filter_map(|(name, value)| {
                let inner = name.strip_prefix(&start)?.strip_suffix(']')?;
                (!inner.contains('[')).then(|| (inner.to_owned(), value.clone()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracketed_keys_are_read() {
        let form = Form::parse(
            b"mode=payment&metadata%5Bshimmer_kind%5D=donation&metadata%5Bnote%5D=a%20b\
              &line_items%5B0%5D%5Bprice_data%5D%5Bunit_amount%5D=500&metadata%5Bx%5D%5By%5D=z",
        );
        assert_eq!(form.get("mode"), Some("payment"));
        assert_eq!(
            form.get("line_items[0][price_data][unit_amount]"),
            Some("500")
        );
        let metadata = form.map("metadata");
        assert_eq!(
            metadata.len(),
            2,
            "nested keys are not metadata: {metadata:?}"
        );
        assert_eq!(metadata["note"], "a b");
    }

    #[test]
    fn list_parameters_are_read_in_every_spelling() {
        let form = Form::parse(b"expand%5B0%5D=a.b&expand%5B%5D=c&expand=d&expand%5Bx%5D=e");
        assert_eq!(form.list("expand"), ["a.b", "c", "d"]);
    }
}
