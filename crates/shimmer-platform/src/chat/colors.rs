//! Name colours in chat: a palette whose every entry has a shade for each theme, each meeting
//! WCAG AA contrast (4.5:1) on that theme's chat backgrounds. A chatter's colour is their own
//! choice from the palette, or one picked from their account id, so it is the same everywhere.

/// One palette colour: the key stored and sent to pages, a name for people, and its shades.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChatColor {
    pub key: &'static str,
    pub name: &'static str,
    /// On the light theme's backgrounds.
    pub light: &'static str,
    /// On the dark theme's backgrounds.
    pub dark: &'static str,
}

const fn color(
    key: &'static str,
    name: &'static str,
    light: &'static str,
    dark: &'static str,
) -> ChatColor {
    ChatColor {
        key,
        name,
        light,
        dark,
    }
}

/// The palette, in the order the preferences page lists it.
pub const PALETTE: &[ChatColor] = &[
    color("red", "Red", "#b3261e", "#ff8a80"),
    color("orange", "Orange", "#a14a00", "#ffb066"),
    color("amber", "Amber", "#805400", "#f0c24a"),
    color("olive", "Olive", "#5c6600", "#c8d45a"),
    color("green", "Green", "#1d7a36", "#7fdc93"),
    color("teal", "Teal", "#00727a", "#5fd6d0"),
    color("cyan", "Cyan", "#006a9e", "#6cc8f5"),
    color("blue", "Blue", "#1f5fc4", "#8fb4ff"),
    color("indigo", "Indigo", "#4a44c9", "#a9a6ff"),
    color("purple", "Purple", "#7b35c6", "#cfa3ff"),
    color("magenta", "Magenta", "#a3218f", "#f39ae0"),
    color("pink", "Pink", "#b0245a", "#ff94b8"),
];

/// The palette entry named by `key`, if there is one.
pub fn palette_color(key: &str) -> Option<&'static ChatColor> {
    PALETTE.iter().find(|color| color.key == key)
}

/// The colour of a chatter: their choice when it is in the palette, else one picked from the
/// account id (the same on every page and node).
pub fn color_for(user_id: i64, choice: Option<&str>) -> &'static str {
    if let Some(chosen) = choice.and_then(palette_color) {
        return chosen.key;
    }
    let index = user_id.rem_euclid(PALETTE.len() as i64) as usize;
    PALETTE[index].key
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Relative luminance of `#rrggbb` (WCAG 2.x).
    fn luminance(hex: &str) -> f64 {
        let channel = |at: usize| {
            let value = f64::from(u8::from_str_radix(&hex[at..at + 2], 16).unwrap()) / 255.0;
            if value <= 0.03928 {
                value / 12.92
            } else {
                ((value + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (a, b) = (luminance(a), luminance(b));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// The chat's backgrounds in site.css: the page and a selected line, per theme.
    const LIGHT_BACKGROUNDS: [&str; 2] = ["#ffffff", "#f3f1f8"];
    const DARK_BACKGROUNDS: [&str; 2] = ["#121118", "#1e1c27"];

    #[test]
    fn every_colour_meets_aa_contrast_in_both_themes() {
        for color in PALETTE {
            for background in LIGHT_BACKGROUNDS {
                let ratio = contrast(color.light, background);
                assert!(ratio >= 4.5, "{} on {background}: {ratio:.2}", color.key);
            }
            for background in DARK_BACKGROUNDS {
                let ratio = contrast(color.dark, background);
                assert!(ratio >= 4.5, "{} on {background}: {ratio:.2}", color.key);
            }
        }
    }

    #[test]
    fn colour_is_the_choice_or_stable_per_account() {
        assert_eq!(color_for(7, Some("teal")), "teal");
        assert_eq!(color_for(7, Some("not-a-colour")), color_for(7, None));
        assert_eq!(color_for(7, None), color_for(7, None));
        assert_ne!(color_for(1, None), color_for(2, None));
        assert!(palette_color(color_for(-3, None)).is_some());
    }
}
