//! Turns a message body into typed tokens once, when it is written: plain text, links (only
//! `http` and `https`, so a `javascript:` URL stays text) and emotes. Renderers build elements
//! from tokens and never treat a message as HTML.

use std::collections::HashMap;

use shimmer_bus::chat::ChatToken;

/// Punctuation that ends a sentence rather than a link.
const TRAILING: [char; 7] = ['.', ',', '!', '?', ')', ';', ':'];

/// Whether a word is a link we recognise.
fn link_url(word: &str) -> Option<String> {
    let trimmed = word.trim_end_matches(TRAILING);
    let lower = trimmed.to_ascii_lowercase();
    let url = if lower.starts_with("http://") || lower.starts_with("https://") {
        trimmed.to_owned()
    } else if lower.starts_with("www.") {
        format!("https://{trimmed}")
    } else {
        return None;
    };
    let host = url.split("://").nth(1)?.split(['/', '?', '#']).next()?;
    let plausible = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '@'));
    plausible.then_some(url)
}

/// Whether the body contains anything that would become a link.
pub fn contains_link(body: &str) -> bool {
    body.split_whitespace().any(|word| link_url(word).is_some())
}

/// Parses `body` into tokens. `emotes` maps names usable in this channel to image URLs.
pub fn parse(
    body: &str,
    links_clickable: bool,
    emotes: &HashMap<String, String>,
) -> Vec<ChatToken> {
    let mut tokens: Vec<ChatToken> = Vec::new();
    let mut text = String::new();
    let flush = |text: &mut String, tokens: &mut Vec<ChatToken>| {
        if !text.is_empty() {
            tokens.push(ChatToken::Text {
                text: std::mem::take(text),
            });
        }
    };
    let mut rest = body;
    while !rest.is_empty() {
        let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (word, after) = rest.split_at(word_end);
        let space_end = after
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(after.len());
        let (space, next) = after.split_at(space_end);
        if let Some(src) = emotes.get(word) {
            flush(&mut text, &mut tokens);
            tokens.push(ChatToken::Emote {
                text: word.to_owned(),
                src: src.clone(),
            });
        } else if let Some(url) = link_url(word) {
            flush(&mut text, &mut tokens);
            let linked = word.trim_end_matches(TRAILING);
            tokens.push(ChatToken::Link {
                text: linked.to_owned(),
                url,
                clickable: links_clickable,
            });
            text.push_str(&word[linked.len()..]);
        } else {
            text.push_str(word);
        }
        text.push_str(space);
        rest = next;
    }
    flush(&mut text, &mut tokens);
    // Whitespace after the last non-text token belongs to no one.
    if let Some(ChatToken::Text { text }) = tokens.last() {
        if text.trim().is_empty() {
            tokens.pop();
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn emotes() -> HashMap<String, String> {
        HashMap::from([("shimmerWave".to_owned(), "/emotes/1.png".to_owned())])
    }

    #[test]
    fn text_links_and_emotes() {
        let tokens = parse(
            "hi shimmerWave see https://example.com/a?b=1. ok",
            true,
            &emotes(),
        );
        assert_eq!(
            tokens,
            vec![
                ChatToken::Text { text: "hi ".into() },
                ChatToken::Emote {
                    text: "shimmerWave".into(),
                    src: "/emotes/1.png".into()
                },
                ChatToken::Text {
                    text: " see ".into()
                },
                ChatToken::Link {
                    text: "https://example.com/a?b=1".into(),
                    url: "https://example.com/a?b=1".into(),
                    clickable: true
                },
                ChatToken::Text {
                    text: ". ok".into()
                },
            ]
        );
    }

    #[test]
    fn dangerous_schemes_and_html_stay_text() {
        for body in [
            "javascript:alert(1)",
            "<script>alert(1)</script>",
            "data:text/html,x",
            "http://",
            "https://nodot",
        ] {
            assert_eq!(
                parse(body, true, &emotes()),
                vec![ChatToken::Text { text: body.into() }],
                "{body}"
            );
            assert!(!contains_link(body));
        }
    }

    #[test]
    fn www_links_get_a_scheme_and_clickability_follows_the_channel() {
        let tokens = parse("www.example.org", false, &HashMap::new());
        assert_eq!(
            tokens,
            vec![ChatToken::Link {
                text: "www.example.org".into(),
                url: "https://www.example.org".into(),
                clickable: false
            }]
        );
        assert!(contains_link("go to www.example.org now"));
    }

    #[test]
    fn a_lone_emote_is_one_token() {
        assert_eq!(parse("shimmerWave", true, &emotes()).len(), 1);
        assert_eq!(parse("shimmerWave ", true, &emotes()).len(), 1);
    }
}
