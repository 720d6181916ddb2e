//! The claimed signingTime against the independent times (issue 13 §4; the rule is `docs/time.md`).
//!
//! The attack: a forger who holds an expired (or not yet valid) provider key writes a signingTime
//! inside the certificate's validity, and the path checks out "at signing time". The claim is compared
//! with what the signer cannot choose: the caller's clock, the IMAP INTERNALDATE (a point: PEC mail
//! arrives seconds after it is signed), the archive's first sight (only a bound: the signature existed
//! then), the signed daticert. A signingTime in the future is refused (`invalid`); a signature
//! whose certificates are valid at the claimed time but not at the time the evidence bounds the
//! signature by is `untrusted` (`signing-time-contradicted`); other disagreements are warnings that
//! leave the verdict alone. Used by `verify.rs` after the path is judged.

use chrono::{DateTime, Duration, Utc};

use super::certificate::Certificate;
use super::findings::FindingCode;
use super::path::Problem;
use super::witnesses::TimeWitnesses;

/// Clocks disagree a little: a claimed time this much past `now` or the arrival is still accepted.
pub const CLOCK_SKEW: Duration = Duration::minutes(5);
/// The daticert `data` and the signingTime are written by the same provider in the same act.
pub const DATICERT_TOLERANCE: Duration = Duration::minutes(10);
/// An arrival this long after the signature is noted (information only: mail is held, imported late).
pub const LATE_ARRIVAL: Duration = Duration::days(2);

/// `t + d`, saturating: times come from hostile bytes and chrono's `+` panics on overflow.
fn plus(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    t.checked_add_signed(d).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// `t - d`, saturating.
fn minus(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    t.checked_sub_signed(d).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// The findings of comparing `signed_at` with `witnesses`. `path` is the judged path (signer first);
/// `path_valid_at_signing` says whether every certificate of it was valid at `signed_at`.
pub fn compare(
    signed_at: DateTime<Utc>,
    witnesses: &TimeWitnesses,
    path: &[&Certificate],
    path_valid_at_signing: bool,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    if signed_at > plus(witnesses.now, CLOCK_SKEW) {
        problems.push((
            FindingCode::SigningTimeInFuture,
            format!(
                "The signature claims to have been made on {}, which is later than now ({}).",
                stamp(signed_at),
                stamp(witnesses.now)
            ),
        ));
    }
    // Times the evidence places the signature at, other than the claimed one.
    let mut bounds: Vec<DateTime<Utc>> = Vec::new();
    // Held by someone else before the claimed time: the signature existed then, so the claim is false.
    if let Some(held) = witnesses.held_by()
        && signed_at > plus(held, CLOCK_SKEW)
    {
        problems.push((
            FindingCode::SigningTimeAfterArrival,
            format!(
                "The signature claims to have been made on {}, after the message had arrived ({}).",
                stamp(signed_at),
                stamp(held)
            ),
        ));
        bounds.push(held);
    }
    // A PEC message reaches the mailbox seconds after its provider signs it: the INTERNALDATE places
    // the signature there (the archive's first sight does not: a file may be imported years later).
    if let Some(received) = witnesses.received {
        if minus(received, CLOCK_SKEW) > signed_at {
            bounds.push(minus(received, CLOCK_SKEW));
        }
        if received > plus(signed_at, LATE_ARRIVAL) {
            problems.push((
                FindingCode::ReceivedLongAfterSigning,
                format!(
                    "The message arrived on {}, more than two days after it was signed ({}).",
                    stamp(received),
                    stamp(signed_at)
                ),
            ));
        }
    }
    if let Some(certified) = witnesses.daticert
        && (plus(certified, DATICERT_TOLERANCE) < signed_at
            || plus(signed_at, DATICERT_TOLERANCE) < certified)
    {
        problems.push((
            FindingCode::SigningTimeDisagreesWithDaticert,
            format!(
                "The signature claims {}, but the certified data of the message say {}.",
                stamp(signed_at),
                stamp(certified)
            ),
        ));
        bounds.push(certified);
    }
    if path_valid_at_signing
        && let Some((cert, when)) = bounds
            .iter()
            .find_map(|&t| path.iter().find(|c| !c.valid_at(t)).map(|c| (c, t)))
    {
        problems.push((
            FindingCode::SigningTimeContradicted,
            format!(
                "The certificate \"{}\" holds only at the time the signer claims ({}); independent \
                 evidence places the signature at {}, when the certificate was not valid.",
                cert.subject(),
                stamp(signed_at),
                stamp(when)
            ),
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_at_the_ends_of_the_calendar_never_panic() {
        let (max, min) = (DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MIN_UTC);
        let w = TimeWitnesses::at(min)
            .received(Some(min))
            .first_seen(Some(max))
            .daticert(Some(max));
        let codes: Vec<FindingCode> = compare(max, &w, &[], true)
            .into_iter()
            .map(|(c, _)| c)
            .collect();
        assert!(codes.contains(&FindingCode::SigningTimeInFuture));
        let w = TimeWitnesses::at(max)
            .received(Some(max))
            .daticert(Some(max));
        let codes: Vec<FindingCode> = compare(min, &w, &[], true)
            .into_iter()
            .map(|(c, _)| c)
            .collect();
        assert!(codes.contains(&FindingCode::SigningTimeDisagreesWithDaticert));
    }
}
