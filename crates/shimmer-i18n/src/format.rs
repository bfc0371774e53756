//! Numbers, dates and relative times as each shipped locale writes them. Times are UTC (the
//! server does not know the reader's zone) and say so.

use fluent_bundle::FluentValue;

use crate::Locale;

/// The thousands and decimal separators, and the smallest number that is grouped.
fn separators(locale: Locale) -> (&'static str, char, u64) {
    match locale {
        Locale::En => (",", '.', 1000),
        Locale::De | Locale::PtBr => (".", ',', 1000),
        // Spanish leaves four-digit numbers whole.
        Locale::Es => (".", ',', 10_000),
        Locale::Fr => ("\u{202f}", ',', 1000),
    }
}

fn grouped(locale: Locale, whole: u64) -> String {
    let (group, _, from) = separators(locale);
    let digits = whole.to_string();
    if whole < from {
        return digits;
    }
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push_str(group);
        }
        out.push(digit);
    }
    out
}

/// A whole number with the locale's grouping (`12,345`, `12.345`, `12 345`).
pub fn number(locale: Locale, value: i64) -> String {
    let sign = if value < 0 { "-" } else { "" };
    format!("{sign}{}", grouped(locale, value.unsigned_abs()))
}

/// A number with `digits` decimals and the locale's separators (`1,234.50`, `1.234,50`).
pub fn decimal(locale: Locale, value: f64, digits: usize) -> String {
    let (_, point, _) = separators(locale);
    let text = format!("{:.*}", digits, value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    let whole = grouped(locale, whole.parse().unwrap_or(0));
    if fraction.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}{point}{fraction}")
    }
}

/// The bundle's number formatter for the locale at index `L` of [`Locale::ALL`]: whole numbers
/// grouped, fractions with the locale's decimal mark.
pub(crate) fn fluent_number<M, const L: usize>(value: &FluentValue, _: &M) -> Option<String> {
    let FluentValue::Number(number) = value else {
        return None;
    };
    let locale = Locale::ALL[L];
    let digits = number.options.minimum_fraction_digits.unwrap_or(0);
    if number.value.fract() == 0.0 && digits == 0 {
        Some(self::number(locale, number.value as i64))
    } else {
        Some(decimal(locale, number.value, digits.max(1)))
    }
}

const MONTHS: [[&str; 12]; 5] = [
    [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ],
    [
        "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.",
        "Dez.",
    ],
    [
        "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic",
    ],
    [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ],
    [
        "jan.", "fev.", "mar.", "abr.", "mai.", "jun.", "jul.", "ago.", "set.", "out.", "nov.",
        "dez.",
    ],
];

fn moment(ms: i64) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).ok()
}

/// A day as the locale writes it (`Dec 4, 2026`, `4. Dez. 2026`, `4 de dez. de 2026`).
pub fn date(locale: Locale, ms: i64) -> String {
    let Some(moment) = moment(ms) else {
        return "?".into();
    };
    let index = Locale::ALL.iter().position(|l| *l == locale).unwrap_or(0);
    let month = MONTHS[index][usize::from(u8::from(moment.month())) - 1];
    let (day, year) = (moment.day(), moment.year());
    match locale {
        Locale::En => format!("{month} {day}, {year}"),
        Locale::De => format!("{day}. {month} {year}"),
        Locale::Es | Locale::Fr => format!("{day} {month} {year}"),
        Locale::PtBr => format!("{day} de {month} de {year}"),
    }
}

/// A moment as the locale writes it, on the 24-hour clock in UTC (`Dec 4, 2026, 16:56 UTC`).
pub fn datetime(locale: Locale, ms: i64) -> String {
    let Some(moment) = moment(ms) else {
        return "?".into();
    };
    let clock = format!("{:02}:{:02} UTC", moment.hour(), moment.minute());
    match locale {
        Locale::En | Locale::De | Locale::Es => format!("{}, {clock}", date(locale, ms)),
        Locale::Fr => format!("{} à {clock}", date(locale, ms)),
        Locale::PtBr => format!("{} às {clock}", date(locale, ms)),
    }
}

/// How long ago `ms` was at `now_ms`, in the largest whole unit (`3 minutes ago`,
/// `vor 3 Minuten`); moments in the future read as now.
pub fn relative_time(locale: Locale, ms: i64, now_ms: i64) -> String {
    let seconds = (now_ms - ms).max(0) / 1000;
    let (key, count) = match seconds {
        0..=44 => return locale.t("time-just-now"),
        45..=3_599 => ("time-minutes-ago", (seconds + 30) / 60),
        3_600..=86_399 => ("time-hours-ago", seconds / 3_600),
        86_400..=2_591_999 => ("time-days-ago", seconds / 86_400),
        2_592_000..=31_535_999 => ("time-months-ago", seconds / 2_592_000),
        _ => ("time-years-ago", seconds / 31_536_000),
    };
    locale.message(key, &[("count", count.max(1).into())])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_use_each_locales_separators() {
        assert_eq!(number(Locale::En, 1_234_567), "1,234,567");
        assert_eq!(number(Locale::De, 1_234_567), "1.234.567");
        assert_eq!(number(Locale::Fr, 1234), "1\u{202f}234");
        assert_eq!(number(Locale::Es, 1234), "1234");
        assert_eq!(number(Locale::Es, 12_345), "12.345");
        assert_eq!(number(Locale::PtBr, -1000), "-1.000");
        assert_eq!(number(Locale::En, 999), "999");
        assert_eq!(decimal(Locale::De, 1234.5, 2), "1.234,50");
        assert_eq!(decimal(Locale::En, 0.125, 1), "0.1");
        assert_eq!(decimal(Locale::Fr, -2.0, 0), "-2");
    }

    #[test]
    fn dates_follow_each_locale() {
        // 2026-12-04 16:56 UTC
        let ms = 1_796_403_360_000;
        assert_eq!(datetime(Locale::En, ms), "Dec 4, 2026, 16:56 UTC");
        assert_eq!(datetime(Locale::De, ms), "4. Dez. 2026, 16:56 UTC");
        assert_eq!(datetime(Locale::Es, ms), "4 dic 2026, 16:56 UTC");
        assert_eq!(datetime(Locale::Fr, ms), "4 déc. 2026 à 16:56 UTC");
        assert_eq!(datetime(Locale::PtBr, ms), "4 de dez. de 2026 às 16:56 UTC");
    }

    #[test]
    fn relative_times_pick_a_unit_and_a_plural() {
        let now = 1_796_403_360_000;
        assert_eq!(
            relative_time(Locale::En, now - 3 * 60_000, now),
            "3 minutes ago"
        );
        assert_eq!(
            relative_time(Locale::En, now - 3_600_000, now),
            "1 hour ago"
        );
        assert_eq!(
            relative_time(Locale::De, now - 2 * 86_400_000, now),
            "vor 2 Tagen"
        );
        assert_eq!(
            relative_time(Locale::Fr, now - 1000, now),
            Locale::Fr.t("time-just-now")
        );
        assert_ne!(relative_time(Locale::Es, now - 400 * 86_400_000, now), "");
    }
}
