//! Markdown written by people (bios) or operators (site pages), rendered to HTML and then
//! sanitized with an allow-list, so script, event handlers, styles and `javascript:` links are
//! removed whatever the input.

use pulldown_cmark::{html, Options, Parser};

/// Renders Markdown to sanitized HTML. Images are dropped (they would load third-party
/// resources on our pages); links get `rel="noopener noreferrer nofollow"`.
pub fn render_markdown(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TABLES);
    let parser = Parser::new_ext(markdown, options);
    let mut unsafe_html = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut unsafe_html, parser);
    ammonia::Builder::default()
        .rm_tags(&["img"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&unsafe_html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::render_markdown;

    #[test]
    fn markdown_renders_and_script_does_not() {
        let html = render_markdown(
            "**bold** [ok](https://example.com)\n\n<script>alert(1)</script>\
             <a href=\"javascript:alert(2)\">x</a> [y](javascript:alert(3)) \
             <img src=x onerror=alert(4)><b onclick=\"alert(5)\">b</b>",
        );
        assert!(html.contains("<strong>bold</strong>"), "{html}");
        assert!(html.contains("href=\"https://example.com\""), "{html}");
        for bad in ["<script", "javascript:", "onerror", "onclick", "<img"] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
    }
}
