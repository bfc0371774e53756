//! Fitting a picture into a card: scaling (area averaging down, a triangle filter up), and either
//! letterboxing (live frames: the whole picture stays visible, bars fill the rest) or cropping to
//! fill (posters: a person chose the picture for the card, so no bars).

use image::imageops::{self, FilterType};
use image::{Rgb, RgbImage};

/// How a picture of another shape goes into the target box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Scale to fit inside and centre on black bars.
    Letterbox,
    /// Scale to cover and crop the overflow evenly from both sides.
    Cover,
}

/// The bars' colour.
const BAR: Rgb<u8> = Rgb([0, 0, 0]);

/// The size of `(width, height)` scaled to fit inside `(box_w, box_h)` keeping its shape, at
/// least one pixel each way.
pub fn contained_size(width: u32, height: u32, box_w: u32, box_h: u32) -> (u32, u32) {
    if width == 0 || height == 0 {
        return (box_w.max(1), box_h.max(1));
    }
    // Compare box_w/box_h with width/height without floating point.
    let (w, h) = if u64::from(box_w) * u64::from(height) <= u64::from(box_h) * u64::from(width) {
        let h = (u64::from(height) * u64::from(box_w) + u64::from(width) / 2) / u64::from(width);
        (box_w, h as u32)
    } else {
        let w = (u64::from(width) * u64::from(box_h) + u64::from(height) / 2) / u64::from(height);
        (w as u32, box_h)
    };
    (w.clamp(1, box_w.max(1)), h.clamp(1, box_h.max(1)))
}

/// The centred region of a `(width, height)` picture that has the shape of `(box_w, box_h)`:
/// `(x, y, w, h)`.
pub fn cover_crop(width: u32, height: u32, box_w: u32, box_h: u32) -> (u32, u32, u32, u32) {
    let (w, h) = contained_size(box_w, box_h, width, height);
    ((width - w) / 2, (height - h) / 2, w, h)
}

/// Returns the picture at exactly `(width, height)`.
pub fn fit(image: &RgbImage, width: u32, height: u32, fit: Fit) -> RgbImage {
    let (src_w, src_h) = image.dimensions();
    match fit {
        Fit::Letterbox => {
            let (w, h) = contained_size(src_w, src_h, width, height);
            let scaled = scale(image, w, h);
            if (w, h) == (width, height) {
                return scaled;
            }
            let mut canvas = RgbImage::from_pixel(width, height, BAR);
            imageops::replace(
                &mut canvas,
                &scaled,
                i64::from((width - w) / 2),
                i64::from((height - h) / 2),
            );
            canvas
        }
        Fit::Cover => {
            let (x, y, w, h) = cover_crop(src_w, src_h, width, height);
            let cropped = imageops::crop_imm(image, x, y, w, h).to_image();
            scale(&cropped, width, height)
        }
    }
}

/// Shrinks by area averaging (`imageops::thumbnail`: integer arithmetic, every source pixel
/// counted once, so no aliasing and several times faster than a filtered resize), and enlarges
/// (small posters) with a triangle filter.
fn scale(image: &RgbImage, width: u32, height: u32) -> RgbImage {
    let (src_w, src_h) = image.dimensions();
    if (src_w, src_h) == (width, height) {
        image.clone()
    } else if width <= src_w && height <= src_h {
        imageops::thumbnail(image, width, height)
    } else {
        imageops::resize(image, width, height, FilterType::Triangle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contained_sizes_keep_the_shape() {
        assert_eq!(contained_size(1280, 720, 832, 468), (832, 468));
        assert_eq!(contained_size(1920, 1080, 416, 234), (416, 234));
        // 4:3 is pillarboxed, 21:9 letterboxed, portrait phones pillarboxed.
        assert_eq!(contained_size(640, 480, 832, 468), (624, 468));
        assert_eq!(contained_size(2560, 1080, 832, 468), (832, 351));
        assert_eq!(contained_size(720, 1280, 416, 234), (132, 234));
        // Degenerate shapes still give at least a pixel.
        assert_eq!(contained_size(10_000, 1, 416, 234), (416, 1));
        assert_eq!(contained_size(0, 0, 416, 234), (416, 234));
    }

    #[test]
    fn cover_crops_centrally() {
        assert_eq!(cover_crop(1280, 720, 832, 468), (0, 0, 1280, 720));
        assert_eq!(cover_crop(1000, 1000, 832, 468), (0, 218, 1000, 563));
        assert_eq!(cover_crop(2000, 500, 832, 468), (555, 0, 889, 500));
    }

    #[test]
    fn letterboxing_a_square_adds_bars_left_and_right() {
        let red = RgbImage::from_pixel(300, 300, Rgb([255, 0, 0]));
        let out = fit(&red, 416, 234, Fit::Letterbox);
        assert_eq!(out.dimensions(), (416, 234));
        assert_eq!(*out.get_pixel(0, 117), BAR, "left bar");
        assert_eq!(*out.get_pixel(415, 117), BAR, "right bar");
        assert_eq!(
            *out.get_pixel(208, 117),
            Rgb([255, 0, 0]),
            "picture centred"
        );
        assert_eq!(*out.get_pixel(208, 0), Rgb([255, 0, 0]), "full height");
    }

    #[test]
    fn cover_fills_without_bars_and_scaling_keeps_colours() {
        let mut tall = RgbImage::from_pixel(100, 400, Rgb([0, 0, 255]));
        for y in 0..50 {
            for x in 0..100 {
                tall.put_pixel(x, y, Rgb([0, 255, 0]));
            }
        }
        let out = fit(&tall, 832, 468, Fit::Cover);
        assert_eq!(out.dimensions(), (832, 468));
        // The green top was cropped away; everything left is blue.
        assert!(out.pixels().all(|p| p[2] > 200 && p[1] < 40));
        let same = fit(&out, 832, 468, Fit::Letterbox);
        assert_eq!(same, out);
    }
}
