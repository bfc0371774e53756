//! The payable arithmetic: how a payment's gross splits into the processor's fee, the
//! platform's cut, tax withholding and the streamer's payout. Integer cents, no floats.

use shimmer_store::NewPayable;

/// Who bears the processor's fee on a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeeBorneBy {
    /// Subscriptions: the platform pays the fee out of its cut; the streamer's share is
    /// figured on the gross.
    Platform,
    /// Donations: the fee comes off the donation before withholding.
    Streamer,
}

/// Splits `gross_cents`.
///
/// - platform cut = gross × cut, truncated (the streamer never gets less than the rate says);
/// - the streamer's base = gross − cut, less the fee when the streamer bears it;
/// - withholding = base × the streamer's withholding rate, rounded half up;
/// - payout = base − withholding, never below zero.
///
/// Rates are in hundredths of a percent (basis points).
pub fn split(
    streamer_id: i64,
    gross_cents: i64,
    fee_cents: i64,
    cut_bp: i64,
    withholding_bp: i64,
    fee_borne_by: FeeBorneBy,
) -> NewPayable {
    let platform_cut_cents = gross_cents * cut_bp / 10_000;
    let mut base = gross_cents - platform_cut_cents;
    if fee_borne_by == FeeBorneBy::Streamer {
        base -= fee_cents;
    }
    let base = base.max(0);
    let withholding_cents = (base * withholding_bp + 5_000) / 10_000;
    NewPayable {
        streamer_id,
        gross_cents,
        fee_cents,
        platform_cut_bp: cut_bp,
        platform_cut_cents,
        withholding_bp,
        withholding_cents,
        payout_cents: base - withholding_cents,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each case worked by hand: (gross, fee, cut bp, withholding bp, borne by) ->
    /// (cut, withholding, payout).
    #[test]
    fn hand_computed_splits() {
        let cases = [
            // A $5.00 channel subscription at a 10 % cut, no withholding: 50 cut, 450 paid.
            ((500, 45, 1000, 0, FeeBorneBy::Platform), (50, 0, 450)),
            // At 40 %: 200 cut, 300 paid.
            ((500, 45, 4000, 0, FeeBorneBy::Platform), (200, 0, 300)),
            // 10 % cut and 30 % withholding: base 450, withheld 135, paid 315.
            ((500, 45, 1000, 3000, FeeBorneBy::Platform), (50, 135, 315)),
            // A $4.99 price at 33.33 %: 499 × 0.3333 = 166.3167, truncated to 166; base 333;
            // 24 % withholding = 79.92, rounded to 80; paid 253.
            ((499, 44, 3333, 2400, FeeBorneBy::Platform), (166, 80, 253)),
            // Half a cent rounds up: 0.01 % of 5000 is 0.5, withheld 1.
            ((5000, 175, 0, 1, FeeBorneBy::Platform), (0, 1, 4999)),
            // A $10.00 donation, no cut, fee 59 borne by the streamer: base 941, paid 941.
            ((1000, 59, 0, 0, FeeBorneBy::Streamer), (0, 0, 941)),
            // The same with 30 % withholding: 282.3 -> 282; paid 659.
            ((1000, 59, 0, 3000, FeeBorneBy::Streamer), (0, 282, 659)),
            // A fee above what is left never makes a negative payout.
            ((40, 31, 5000, 0, FeeBorneBy::Streamer), (20, 0, 0)),
        ];
        for ((gross, fee, cut, withholding, borne), (want_cut, want_withheld, want_paid)) in cases {
            let payable = split(7, gross, fee, cut, withholding, borne);
            assert_eq!(
                (
                    payable.platform_cut_cents,
                    payable.withholding_cents,
                    payable.payout_cents
                ),
                (want_cut, want_withheld, want_paid),
                "gross {gross}, fee {fee}, cut {cut} bp, withholding {withholding} bp, {borne:?}"
            );
            assert_eq!(payable.streamer_id, 7);
            assert_eq!(payable.platform_cut_bp, cut);
            assert_eq!(payable.withholding_bp, withholding);
        }
    }

    #[test]
    fn every_cent_is_accounted_for() {
        for gross in [50, 99, 100, 333, 500, 2500, 9999, 1_000_000] {
            for cut in [0, 1, 1000, 3333, 5000, 10_000] {
                for withholding in [0, 1, 2400, 3000, 10_000] {
                    let payable = split(1, gross, 30, cut, withholding, FeeBorneBy::Platform);
                    assert_eq!(
                        payable.platform_cut_cents
                            + payable.withholding_cents
                            + payable.payout_cents,
                        gross
                    );
                    assert!(payable.payout_cents >= 0);
                }
            }
        }
    }
}
