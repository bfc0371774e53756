//! Server-rendered bar charts for staff pages: no script, drawn in the accent colour so they
//! read in both themes, each bar titled with its figure.

/// The drawing area, in SVG units (the chart scales to its box).
pub const CHART_WIDTH: i64 = 600;
pub const CHART_HEIGHT: i64 = 120;

/// One bar.
pub struct Bar {
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
    pub label: String,
}

/// A chart with its accessible name.
pub struct Chart {
    pub title: String,
    pub bars: Vec<Bar>,
}

/// Bars for `(label, value)` pairs in order, the largest value full height (a zero keeps a
/// one-unit bar so the day still shows).
pub fn bars(values: &[(String, i64)]) -> Vec<Bar> {
    let most = values
        .iter()
        .map(|(_, value)| *value)
        .max()
        .unwrap_or(0)
        .max(1);
    let count = i64::try_from(values.len()).unwrap_or(1).max(1);
    let slot = (CHART_WIDTH / count).max(1);
    values
        .iter()
        .enumerate()
        .map(|(index, (label, value))| {
            let height = (value.max(&0) * CHART_HEIGHT / most).max(1);
            Bar {
                x: i64::try_from(index).unwrap_or(0) * slot,
                y: CHART_HEIGHT - height,
                width: (slot - 2).max(1),
                height,
                label: label.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_value_fills_the_height_and_bars_share_the_width() {
        let bars = bars(&[("a".into(), 5), ("b".into(), 10), ("c".into(), 0)]);
        assert_eq!(bars.len(), 3);
        assert_eq!((bars[1].y, bars[1].height), (0, CHART_HEIGHT));
        assert_eq!(bars[0].height, CHART_HEIGHT / 2);
        assert_eq!(bars[2].height, 1);
        assert_eq!(bars[2].x, 2 * (CHART_WIDTH / 3));
    }
}
