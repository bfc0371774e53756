//! Markdown written by people (bios) or operators (site pages), rendered to HTML and then
//! sanitized with an allow-list, so script, event handlers, styles and `javascript:` links are
//! removed whatever the input.

use pulldown_cmark::{html, Event, Options, Parser};

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

/// Renders a channel's about panel: Markdown without raw HTML (any HTML typed is shown as
/// text), images dropped, links only to `http`, `https` and `mailto` addresses (relative ones
/// are removed too) and marked `rel="nofollow ugc noopener"`, as people's own links should be.
pub fn render_panel_markdown(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TABLES);
    let parser = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
        other => other,
    });
    let mut unchecked = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut unchecked, parser);
    ammonia::Builder::default()
        .rm_tags(&["img"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("nofollow ugc noopener"))
        .clean(&unchecked)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::{render_markdown, render_panel_markdown};

    #[test]
    fn panel_markdown_shows_html_as_text_and_keeps_only_web_links() {
        let html = render_panel_markdown(
            "## Schedule\n\n* **Mon** 18:00 UTC\n\n<script>alert(1)</script>\n\n\
             <b onclick=\"alert(2)\">hi</b> [site](https://example.com) [mail](mailto:a@example.com) \
             [bad](javascript:alert(3)) [here](/users/settings) ![x](https://example.com/x.png)",
        );
        assert!(html.contains("<h2>Schedule</h2>"), "{html}");
        assert!(html.contains("<strong>Mon</strong>"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("&lt;b onclick="), "{html}");
        assert!(
            html.contains(r#"<a href="https://example.com" rel="nofollow ugc noopener">site</a>"#),
            "{html}"
        );
        assert!(html.contains(r#"href="mailto:a@example.com""#), "{html}");
        for bad in ["<script", "<b ", "javascript:", "href=\"/users", "<img"] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
    }

    #[test]
    fn markdown_renders_and_script_does_not() {
        let html = render_markdown(
            "**bold** [ok](https://example.com) [bad](javascript:alert(6))\n\n<script>alert(1)</script>\
             <a href=\"javascript:alert(2)\">x</a> [y](javascript:alert(3)) \
             <img src=x onerror=alert(4)><b onclick=\"alert(5)\">b</b>",
        );
        assert!(html.contains("<strong>bold</strong>"), "{html}");
        assert!(html.contains("href=\"https://example.com\""), "{html}");
        for bad in [
            "<script",
            "href=\"javascript:",
            "onerror",
            "onclick",
            "<img",
        ] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
    }
}
