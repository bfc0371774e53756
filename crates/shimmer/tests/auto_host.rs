//! Auto-host against a real server: a streamer lists channels in Settings → Channel (checked by
//! name, nothing written when any field is refused); while they are offline their page plays the
//! first listed channel that is live, under a banner naming it, and shows their own page again
//! once no listed channel is live.

mod support;

use support::{push, wait_until, Browser, Server};

const PASSWORD: &str = "correct horse battery";

fn is_live(server: &Server, username: &str) -> bool {
    let output = server.cli(&["channel", "status", username]);
    String::from_utf8_lossy(&output.stdout).starts_with("live")
}

/// Saves ana's channel settings with this title and auto-host list.
async fn save(ana: &Browser, title: &str, hosts: &str) -> (u16, String) {
    let (status, _, body) = ana
        .post_form(
            "/users/settings/channel",
            "/users/settings/channel",
            &[("title", title), ("language", "en"), ("auto_host", hosts)],
        )
        .await;
    (status, body)
}

#[tokio::test]
async fn an_offline_channel_plays_the_first_live_channel_it_hosts() {
    let server = Server::start();
    for name in ["ana", "bob", "carol", "dan1", "dan2", "dan3", "dan4"] {
        server.create_user(name, PASSWORD, true);
    }
    let ana = Browser::new(&server);
    assert_eq!(ana.login("ana", PASSWORD).await, 303);

    // Refusals name the problem and write nothing, not even the other fields.
    for (hosts, message) in [
        ("bob, nobody", "There is no channel named nobody."),
        ("ana", "Your own channel cannot be on your auto-host list."),
        (
            "bob carol dan1 dan2 dan3 dan4",
            "List at most 5 channels to host.",
        ),
        (&"bob,".repeat(200), "List at most 5 channels to host."),
    ] {
        let (status, body) = save(&ana, "Refused title", hosts).await;
        assert_eq!(status, 422, "{hosts}: {body}");
        assert!(body.contains(message), "{hosts}: {body}");
    }
    let (_, page) = ana.get("/ana").await;
    assert!(!page.contains("Refused title"));

    let (status, body) = save(&ana, "Ana's channel", "carol, @bob, bob").await;
    assert_eq!(status, 303, "{body}");
    let (_, settings) = ana.get("/users/settings/channel").await;
    assert!(settings.contains("value=\"carol, bob\""), "{settings}");

    // Nobody listed is live: ana's own offline page.
    let (_, page) = ana.get("/ana").await;
    assert!(!page.contains("data-testid=\"host-banner\""));

    // Bob goes live: a visitor on ana's page gets bob's player under the banner.
    let mut bob = push(server.ftl_port, &server.stream_key("bob"), &["--loop"]);
    assert!(wait_until(20, || is_live(&server, "bob")));
    let visitor = Browser::new(&server);
    let (_, page) = visitor.get("/ana").await;
    assert!(page.contains("data-testid=\"host-banner\""), "{page}");
    assert!(
        page.contains("is offline and hosting <a href=\"/bob\">bob</a>"),
        "{page}"
    );
    assert!(page.contains("data-whep=\"/api/whep/bob\""), "{page}");
    assert!(page.contains("data-host-events=\"/api/channels/"), "{page}");

    // Bob's stream ends: ana's page is her own again.
    let _ = bob.kill();
    let _ = bob.wait();
    assert!(wait_until(20, || !is_live(&server, "bob")));
    let (_, page) = visitor.get("/ana").await;
    assert!(!page.contains("data-testid=\"host-banner\""));
    assert!(page.contains("data-whep=\"/api/whep/ana\""));

    // Emptying the list is allowed.
    let (status, _) = save(&ana, "Ana's channel", "").await;
    assert_eq!(status, 303);
    let (_, settings) = ana.get("/users/settings/channel").await;
    assert!(settings.contains("id=\"auto_host\" name=\"auto_host\" value=\"\""));
}
