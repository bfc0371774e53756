//! The operator's money settings: what is sold at which price, the platform's cut and when
//! each cut took effect, donation limits and the processor's fee estimate.

use serde::{Deserialize, Serialize};

/// Prices in integer cents of [`PaymentsConfig::currency`], per month for subscriptions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prices {
    pub supporter_cents: i64,
    pub founder_cents: i64,
    pub channel_cents: i64,
}

impl Default for Prices {
    fn default() -> Self {
        Self {
            supporter_cents: 500,
            founder_cents: 2500,
            channel_cents: 500,
        }
    }
}

/// A change of the platform's cut of channel subscriptions: from `from` (a date,
/// `YYYY-MM-DD`, UTC midnight) on, the platform keeps `percent_bp` hundredths of a percent.
/// Older changes stay listed, so that the history can be read; each payable keeps the rate it
/// was split with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CutChange {
    pub from: String,
    pub percent_bp: i64,
}

/// The `[payments]` section of the configuration (without the processor's keys, which only
/// the processor client sees).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PaymentsConfig {
    /// Off by default: an instance without processor keys shows no money features.
    pub enabled: bool,
    /// ISO currency code, lower case, of every price.
    pub currency: String,
    pub prices: Prices,
    /// The platform's cut of channel subscriptions over time (see [`CutChange`]).
    pub platform_cut: Vec<CutChange>,
    pub donation_min_cents: i64,
    pub donation_max_cents: i64,
    /// The processor's fee recorded on each payment: hundredths of a percent plus a fixed
    /// part (Stripe's standard card pricing by default). Channel subscriptions' fees are borne
    /// by the platform; donations' by the streamer.
    pub fee_percent_bp: i64,
    pub fee_fixed_cents: i64,
    /// Tries per processor event before it is left failed for staff.
    pub event_attempts: i64,
    /// The wait before the first retry; each later one waits four times longer (at most an
    /// hour).
    pub event_retry_secs: u64,
    /// Days between two paydays, each prepared on its own and approved by staff.
    pub payday_interval_days: i64,
}

impl Default for PaymentsConfig {
    fn default() -> Self {
        Self {
            enabled: false,
            currency: "usd".into(),
            prices: Prices::default(),
            platform_cut: vec![CutChange {
                from: "2020-01-01".into(),
                percent_bp: 1000,
            }],
            donation_min_cents: 100,
            donation_max_cents: 10_000,
            fee_percent_bp: 290,
            fee_fixed_cents: 30,
            event_attempts: 6,
            event_retry_secs: 10,
            payday_interval_days: 7,
        }
    }
}

impl PaymentsConfig {
    /// Checks the settings once at start-up, with a message that names the key.
    pub fn validate(&self) -> Result<(), String> {
        if self.currency.len() != 3 || !self.currency.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(format!(
                "payments.currency must be a three-letter lower-case ISO code such as \"usd\", not {:?}",
                self.currency
            ));
        }
        for (key, cents) in [
            (
                "payments.prices.supporter_cents",
                self.prices.supporter_cents,
            ),
            ("payments.prices.founder_cents", self.prices.founder_cents),
            ("payments.prices.channel_cents", self.prices.channel_cents),
            ("payments.donation_min_cents", self.donation_min_cents),
        ] {
            if !(50..=1_000_000).contains(&cents) {
                return Err(format!(
                    "{key} must be between 50 and 1000000 cents, not {cents}"
                ));
            }
        }
        if self.donation_max_cents < self.donation_min_cents || self.donation_max_cents > 1_000_000
        {
            return Err("payments.donation_max_cents must be at least donation_min_cents and at most 1000000".into());
        }
        if !(0..=5000).contains(&self.fee_percent_bp) || !(0..=1000).contains(&self.fee_fixed_cents)
        {
            return Err(
                "payments.fee_percent_bp must be 0 to 5000 and fee_fixed_cents 0 to 1000".into(),
            );
        }
        if !(1..=20).contains(&self.event_attempts) || !(1..=3600).contains(&self.event_retry_secs)
        {
            return Err(
                "payments.event_attempts must be 1 to 20 and event_retry_secs 1 to 3600".into(),
            );
        }
        if !(1..=31).contains(&self.payday_interval_days) {
            return Err("payments.payday_interval_days must be 1 to 31".into());
        }
        if self.platform_cut.is_empty() {
            return Err("payments.platform_cut needs at least one entry".into());
        }
        for change in &self.platform_cut {
            if date_start_ms(&change.from).is_none() {
                return Err(format!(
                    "payments.platform_cut: {:?} is not a date like 2026-01-31",
                    change.from
                ));
            }
            if !(0..=10_000).contains(&change.percent_bp) {
                return Err(format!(
                    "payments.platform_cut: percent_bp {} is not between 0 and 10000",
                    change.percent_bp
                ));
            }
        }
        Ok(())
    }

    /// The platform's cut in force at `at_ms`: the latest change that started by then (the
    /// earliest one for times before every change).
    pub fn cut_at(&self, at_ms: i64) -> i64 {
        let mut changes: Vec<(i64, i64)> = self
            .platform_cut
            .iter()
            .filter_map(|change| Some((date_start_ms(&change.from)?, change.percent_bp)))
            .collect();
        changes.sort();
        changes
            .iter()
            .rev()
            .find(|(from, _)| *from <= at_ms)
            .or(changes.first())
            .map_or(0, |(_, bp)| *bp)
    }

    /// The processor's fee on a payment of `gross_cents`, rounded half up.
    pub fn fee_for(&self, gross_cents: i64) -> i64 {
        let percent = (gross_cents * self.fee_percent_bp + 5_000) / 10_000;
        (percent + self.fee_fixed_cents).min(gross_cents)
    }
}

/// UTC midnight of a `YYYY-MM-DD` date, in milliseconds since the epoch.
fn date_start_ms(date: &str) -> Option<i64> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let day = time::Date::parse(date, &format).ok()?;
    Some(day.midnight().assume_utc().unix_timestamp() * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(changes: &[(&str, i64)]) -> PaymentsConfig {
        PaymentsConfig {
            platform_cut: changes
                .iter()
                .map(|(from, bp)| CutChange {
                    from: (*from).into(),
                    percent_bp: *bp,
                })
                .collect(),
            ..PaymentsConfig::default()
        }
    }

    #[test]
    fn the_cut_in_force_is_the_latest_started_change() {
        let config = config(&[
            ("2021-11-01", 4000),
            ("2020-01-01", 5000),
            ("2023-05-31", 1000),
        ]);
        assert!(config.validate().is_ok());
        let day = |date: &str| date_start_ms(date).unwrap();
        assert_eq!(config.cut_at(day("2020-06-01")), 5000);
        assert_eq!(config.cut_at(day("2021-11-01")), 4000);
        assert_eq!(config.cut_at(day("2021-11-01") - 1), 5000);
        assert_eq!(config.cut_at(day("2026-01-01")), 1000);
        assert_eq!(
            config.cut_at(day("2019-01-01")),
            5000,
            "before every change: the first"
        );
    }

    #[test]
    fn bad_settings_are_refused_by_key() {
        let bad_date = config(&[("31/01/2026", 1000)]);
        assert!(bad_date.validate().unwrap_err().contains("not a date"));
        let bad_currency = PaymentsConfig {
            currency: "USD".into(),
            ..PaymentsConfig::default()
        };
        assert!(bad_currency
            .validate()
            .unwrap_err()
            .contains("payments.currency"));
        let tiny = PaymentsConfig {
            prices: Prices {
                channel_cents: 10,
                ..Prices::default()
            },
            ..PaymentsConfig::default()
        };
        assert!(tiny.validate().unwrap_err().contains("channel_cents"));
    }

    #[test]
    fn the_fee_estimate_rounds_half_up_and_never_exceeds_the_payment() {
        let config = PaymentsConfig::default();
        assert_eq!(
            config.fee_for(500),
            45,
            "2.9 % of 500 is 14.5, rounded to 15, plus 30"
        );
        assert_eq!(config.fee_for(2500), 103, "72.5 -> 73, plus 30");
        assert_eq!(config.fee_for(20), 20);
    }
}
