//! The pictures for a channel with neither a live frame nor a poster, drawn once at start-up
//! (not copied assets), so every card has an image and no card looks broken:
//!
//! - offline: a muted slate gradient with a play symbol;
//! - live, before its first frame or when its video cannot be decoded: a darker plum gradient
//!   with a red "on air" dot between two waves, so a live card never looks like an offline one.

use image::{Rgb, RgbImage};

use crate::encode::renditions;
use crate::frame::Fit;
use crate::{ImageError, Renditions, ThumbnailSize};

const TOP: [f32; 3] = [52.0, 56.0, 66.0];
const BOTTOM: [f32; 3] = [30.0, 32.0, 38.0];
const SYMBOL: Rgb<u8> = Rgb([104, 110, 126]);

/// Draws the placeholder at the large card size.
pub fn draw() -> RgbImage {
    let (w, h) = ThumbnailSize::Large.dimensions();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let size = h as f32 / 5.0;
    RgbImage::from_fn(w, h, |x, y| {
        let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
        // A right-pointing triangle centred on the card: left edge at cx - size/2, apex at
        // cx + size/2, half-height shrinking linearly towards the apex.
        let t = (px - (cx - size / 2.0)) / size;
        let half = (1.0 - t) * size * 0.58;
        if (0.0..=1.0).contains(&t) && (py - cy).abs() <= half {
            return SYMBOL;
        }
        let k = py / h as f32;
        Rgb(std::array::from_fn(|i| {
            (TOP[i] + (BOTTOM[i] - TOP[i]) * k).round() as u8
        }))
    })
}

const LIVE_TOP: [f32; 3] = [64.0, 34.0, 60.0];
const LIVE_BOTTOM: [f32; 3] = [32.0, 18.0, 34.0];
/// The site's one LIVE red (`--live` in site.css, light theme), so the dot reads as the badge does.
const ON_AIR: Rgb<u8> = Rgb([198, 40, 40]);
const WAVE: Rgb<u8> = Rgb([200, 112, 120]);

/// Draws the live placeholder at the large card size.
pub fn draw_live() -> RgbImage {
    let (w, h) = ThumbnailSize::Large.dimensions();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let dot = h as f32 / 14.0;
    let band = h as f32 / 40.0;
    RgbImage::from_fn(w, h, |x, y| {
        let (dx, dy) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
        let distance = dx.hypot(dy);
        if distance <= dot {
            return ON_AIR;
        }
        // Two waves each side: rings around the dot, kept only where they open sideways.
        let sideways = dx.abs() > dy.abs() * 1.2;
        let on_ring = [2.0, 3.2]
            .iter()
            .any(|k| (distance - dot * k).abs() <= band / 2.0);
        if sideways && on_ring {
            return WAVE;
        }
        let k = (y as f32 + 0.5) / h as f32;
        Rgb(std::array::from_fn(|i| {
            (LIVE_TOP[i] + (LIVE_BOTTOM[i] - LIVE_TOP[i]) * k).round() as u8
        }))
    })
}

/// The live placeholder in both card sizes.
pub fn renditions_of_live_placeholder() -> Result<Renditions, ImageError> {
    renditions(&draw_live(), Fit::Letterbox)
}

/// The placeholder in both card sizes.
pub fn renditions_of_placeholder() -> Result<Renditions, ImageError> {
    renditions(&draw(), Fit::Letterbox)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_placeholder_is_grey_with_a_symbol() {
        let image = draw();
        assert_eq!(image.dimensions(), (832, 468));
        // Neutral: no saturated colour anywhere.
        assert!(image
            .pixels()
            .all(|p| p.0.iter().max().unwrap() - p.0.iter().min().unwrap() < 30));
        assert_eq!(*image.get_pixel(416, 234), SYMBOL);
        assert_ne!(*image.get_pixel(10, 10), SYMBOL);
        let both = renditions_of_placeholder().unwrap();
        assert!(both.small.bytes.len() < both.large.bytes.len());
    }

    #[test]
    fn the_live_placeholder_is_unlike_the_offline_one() {
        let live = draw_live();
        assert_eq!(live.dimensions(), (832, 468));
        assert_eq!(*live.get_pixel(416, 234), ON_AIR, "a red dot in the middle");
        let offline = draw();
        let differing = live
            .pixels()
            .zip(offline.pixels())
            .filter(|(a, b)| a != b)
            .count();
        assert!(differing > live.pixels().len() * 9 / 10, "{differing}");
        assert_ne!(
            renditions_of_live_placeholder().unwrap().small.etag,
            renditions_of_placeholder().unwrap().small.etag
        );
    }
}
