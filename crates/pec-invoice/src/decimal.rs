//! Exact decimal amounts, as FatturaPA writes them: `[-]digits[.digits]` (the schema's `Amount2DecimalType`,
//! `Amount8DecimalType`, `RateType`, `QuantitaType`: at most 2 to 8 decimals). Never an `f64`.
//!
//! A [`Decimal`] keeps the text as written (what the window shows) and its exact value as an integer
//! mantissa and a scale, so sums and comparisons are exact. It serialises as the text.

use std::cmp::Ordering;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Most significant digits read (an `i128` holds 38; FatturaPA needs at most 19).
const MAX_DIGITS: usize = 30;

/// An exact decimal number with the text it was read from.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "specta", derive(specta::Type), specta(type = String))]
pub struct Decimal {
    text: String,
    mantissa: i128,
    scale: u32,
}

impl Decimal {
    /// Reads `[+-]digits[.digits]` (surrounding whitespace ignored); `None` for anything else.
    pub fn parse(text: &str) -> Option<Decimal> {
        let t = text.trim();
        let (negative, digits) = match t.as_bytes().first()? {
            b'-' => (true, &t[1..]),
            b'+' => (false, &t[1..]),
            _ => (false, t),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if int.is_empty() && frac.is_empty()
            || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
            || int.len() + frac.len() > MAX_DIGITS
        {
            return None;
        }
        let mut mantissa: i128 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            mantissa = mantissa * 10 + i128::from(b - b'0');
        }
        Some(Decimal {
            text: t.to_owned(),
            mantissa: if negative { -mantissa } else { mantissa },
            scale: frac.len() as u32,
        })
    }

    /// The text as written (trimmed).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The exact value is `mantissa / 10^scale`.
    pub fn mantissa(&self) -> i128 {
        self.mantissa
    }

    pub fn scale(&self) -> u32 {
        self.scale
    }

    /// The value in hundredths (euro cents), when it is a whole number of them.
    pub fn cents(&self) -> Option<i128> {
        if self.scale <= 2 {
            return self.mantissa.checked_mul(10i128.pow(2 - self.scale));
        }
        let div = 10i128.checked_pow(self.scale - 2)?;
        (self.mantissa % div == 0).then_some(self.mantissa / div)
    }

    /// The exact sum, written with the larger scale; `None` on overflow.
    pub fn checked_add(&self, other: &Decimal) -> Option<Decimal> {
        let scale = self.scale.max(other.scale);
        let a = self
            .mantissa
            .checked_mul(10i128.checked_pow(scale - self.scale)?)?;
        let b = other
            .mantissa
            .checked_mul(10i128.checked_pow(scale - other.scale)?)?;
        let mantissa = a.checked_add(b)?;
        Some(Decimal {
            text: format_decimal(mantissa, scale),
            mantissa,
            scale,
        })
    }

    /// Zero, written `0`.
    pub fn zero() -> Decimal {
        Decimal {
            text: "0".into(),
            mantissa: 0,
            scale: 0,
        }
    }

    /// The two values' order (`1.50` equals `1.5`).
    pub fn cmp_value(&self, other: &Decimal) -> Ordering {
        let scale = self.scale.max(other.scale);
        let widen = |d: &Decimal| {
            10i128
                .checked_pow(scale - d.scale)
                .and_then(|f| d.mantissa.checked_mul(f))
        };
        match (widen(self), widen(other)) {
            (Some(a), Some(b)) => a.cmp(&b),
            // NOTE: only reachable past 38 digits, which `parse` never reads.
            _ => self.scale.cmp(&other.scale),
        }
    }
}

fn format_decimal(mantissa: i128, scale: u32) -> String {
    let digits = mantissa.unsigned_abs().to_string();
    let sign = if mantissa < 0 { "-" } else { "" };
    if scale == 0 {
        return format!("{sign}{digits}");
    }
    let scale = scale as usize;
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (int, frac) = padded.split_at(padded.len() - scale);
    format!("{sign}{int}.{frac}")
}

/// Equal values are equal decimals, whatever their writing (`1.50 == 1.5`).
impl PartialEq for Decimal {
    fn eq(&self, other: &Decimal) -> bool {
        self.cmp_value(other) == Ordering::Equal
    }
}

impl Eq for Decimal {}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let text = String::deserialize(d)?;
        Decimal::parse(&text).ok_or_else(|| serde::de::Error::custom("not a decimal"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn amounts_keep_their_text_and_their_exact_value() {
        let a = d(" 1234.50 ");
        assert_eq!(a.as_str(), "1234.50");
        assert_eq!((a.mantissa(), a.scale()), (123450, 2));
        assert_eq!(a.cents(), Some(123450));
        assert_eq!(d("-0.10").cents(), Some(-10));
        assert_eq!(d("7").cents(), Some(700));
    }

    #[test]
    fn eight_decimal_unit_prices_are_cents_only_when_whole() {
        assert_eq!(d("2.50000000").cents(), Some(250));
        assert_eq!(d("0.12345678").cents(), None);
    }

    #[test]
    fn sums_are_exact_where_floats_are_not() {
        let sum = d("0.1").checked_add(&d("0.2")).unwrap();
        assert_eq!(sum, d("0.30"));
        assert_eq!(sum.as_str(), "0.3");
        assert_eq!(d("-1.25").checked_add(&d("1")).unwrap().as_str(), "-0.25");
        assert_eq!(
            Decimal::zero().checked_add(&d("0.05")).unwrap().as_str(),
            "0.05"
        );
    }

    #[test]
    fn what_is_not_a_plain_decimal_is_refused() {
        for bad in [
            "",
            "-",
            ".",
            "1,50",
            "1e3",
            "NaN",
            "1.2.3",
            "１２",
            "--1",
            &"9".repeat(31),
        ] {
            assert!(Decimal::parse(bad).is_none(), "{bad:?}");
        }
        assert!(Decimal::parse(".5").is_some() && Decimal::parse("5.").is_some());
    }

    #[test]
    fn a_decimal_serialises_as_its_text() {
        assert_eq!(serde_json::to_string(&d("10.00")).unwrap(), "\"10.00\"");
        let back: Decimal = serde_json::from_str("\"10.0\"").unwrap();
        assert_eq!(back, d("10"));
    }
}
