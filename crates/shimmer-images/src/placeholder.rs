//! The neutral picture for a channel with neither a live frame nor a poster: a muted slate
//! gradient with a play symbol, drawn once at start-up (not a copied asset), so every card has
//! an image and no card looks broken.

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
}
