//! First-party site analytics against a real server: pages people see are counted per day
//! with unique visitors, automated clients and prefetches are not, staff who may look things
//! up see the figures, and neither the address nor the user agent is stored.

mod support;

use sqlx::Connection;
use support::{Browser, Server};

const PASSWORD: &str = "correct horse battery staple";
/// Two people's browsers, told apart by their user agents (the address is the same).
const FIREFOX: &str =
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0 ProbeAlpha";
const SAFARI: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1 ProbeBravo";

async fn visit(server: &Server, path: &str, agent: &str, extra: &[(&str, &str)]) -> u16 {
    let client = reqwest::Client::new();
    let mut request = client
        .get(server.url(path))
        .header("user-agent", agent)
        .header("accept", "text/html");
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap().status().as_u16()
}

/// Today's (page views, unique visitors) as the staff page shows them.
async fn figures(staff: &Browser) -> (i64, i64) {
    let (status, page) = staff.get("/staff/analytics").await;
    assert_eq!(status, 200, "{page}");
    let Some(row) = page.split("<tr data-day=").nth(1) else {
        return (0, 0);
    };
    let cells: Vec<i64> = row
        .split("<td>")
        .skip(2)
        .take(2)
        .map(|cell| cell.split('<').next().unwrap().parse().unwrap())
        .collect();
    (cells[0], cells[1])
}

#[tokio::test]
async fn people_are_counted_once_a_day_and_nothing_identifying_is_kept() {
    let server = Server::start();
    server.create_user("streamer", PASSWORD, true);

    // Who may see the figures: staff who may look things up, nobody else.
    server.create_user("viewer", PASSWORD, true);
    let viewer = Browser::new(&server);
    viewer.login("viewer", PASSWORD).await;
    assert_eq!(viewer.get("/staff/analytics").await.0, 403);
    assert_eq!(Browser::new(&server).get("/staff/analytics").await.0, 303);
    server.create_user("trial", PASSWORD, true);
    assert!(server
        .cli(&["user", "staff", "trial", "--level", "1"])
        .status
        .success());
    let staff = Browser::new(&server);
    staff.login("trial", PASSWORD).await;
    support::enrol_two_factor(&staff).await;
    // The staff page is itself a page seen (after its figures are read).
    let (views_before, visitors_before) = figures(&staff).await;

    // Seven page views by two people.
    for path in ["/", "/streamer", "/streams", "/"] {
        assert_eq!(visit(&server, path, FIREFOX, &[]).await, 200, "{path}");
    }
    for path in ["/", "/streamer", "/faq"] {
        assert_eq!(visit(&server, path, SAFARI, &[]).await, 200, "{path}");
    }
    // Not counted: crawlers, scripts, headless browsers, prefetches, missing pages, JSON.
    for agent in [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "curl/8.5.0",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
        "",
    ] {
        assert_eq!(visit(&server, "/", agent, &[]).await, 200);
    }
    assert_eq!(
        visit(&server, "/", FIREFOX, &[("sec-purpose", "prefetch")]).await,
        200
    );
    assert_eq!(
        visit(&server, "/no-such-page-here", FIREFOX, &[]).await,
        404
    );
    assert_eq!(visit(&server, "/healthz", FIREFOX, &[]).await, 200);

    let (views, visitors) = figures(&staff).await;
    assert_eq!(
        (views - views_before, visitors - visitors_before),
        (1 + 7, 2),
        "the staff page's own view, then seven by two new visitors"
    );
    let (status, page) = staff.get("/staff/analytics?days=1").await;
    assert_eq!(status, 200);
    assert!(page.contains("in the last 1 days"), "{page}");

    // What is stored: hashes and counts only.
    let mut db = server.database().await;
    let hashes: Vec<String> = sqlx::query_scalar("SELECT visitor FROM analytics_visitors")
        .fetch_all(&mut db)
        .await
        .unwrap();
    assert_eq!(i64::try_from(hashes.len()).unwrap(), visitors);
    for hash in &hashes {
        assert_eq!(hash.len(), 32);
        assert!(hash.chars().all(|c| c.is_ascii_hexdigit()), "{hash}");
    }
    db.close().await.unwrap();
    let mut server = server;
    assert!(server.stop(), "the server stops cleanly");
    for entry in std::fs::read_dir(&server.data_dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            for needle in ["ProbeAlpha", "ProbeBravo", "Googlebot", "HeadlessChrome"] {
                assert!(
                    !bytes
                        .windows(needle.len())
                        .any(|window| window == needle.as_bytes()),
                    "{needle} is stored in {}",
                    path.display()
                );
            }
        }
    }
}
