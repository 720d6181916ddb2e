//! One spelling per closed set (issue 16 §1): every closed set the archive stores, the pack writes or the
//! window shows is declared with [`closed_set!`](crate::closed_set), which writes each value's spelling
//! once and derives from it the serde name (hence the TypeScript type, with the `specta` feature),
//! `as_str`, `FromStr`, `Display` and the list of every value. Used by pec-core, pec-archive (stored
//! columns, SQL lists), pec-pack (manifest, words) and the shell (bindings).
//!
//! Spellings are stable: archives and packs store them, so a shipped spelling is never renamed.

use std::fmt::Display;
use std::str::FromStr;

/// A text that spells no value of a closed set (a stored value out of its set, a bad argument).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a {set}")]
pub struct UnknownSpelling {
    /// The closed set's name (`PecKind`, `RecipientState`, …).
    pub set: &'static str,
    pub value: String,
}

/// A closed set declared with [`closed_set!`](crate::closed_set): its values and their one spelling.
pub trait ClosedSet:
    Copy + Eq + std::fmt::Debug + Display + FromStr<Err = UnknownSpelling> + 'static
{
    /// The set's name, for errors.
    const NAME: &'static str;
    /// Every value, in declaration order.
    fn values() -> &'static [Self];
    /// The value's spelling (as stored, serialised and shown to scripts).
    fn spelling(self) -> &'static str;
}

/// The SQL list `('a', 'b')` of `values`' spellings. Spellings are literals of the declaring crate and
/// never contain a quote (checked by [`assert_spellings_are_sound`]).
pub fn sql_list<T: ClosedSet>(values: &[T]) -> String {
    let names: Vec<String> = values
        .iter()
        .map(|v| format!("'{}'", v.spelling()))
        .collect();
    format!("({})", names.join(", "))
}

/// Checks a closed set's spellings: each value reads back as itself, no two values share a spelling,
/// none is empty or holds a quote, and a stranger's text is refused with the set's name. (serde's name
/// is the same literal by construction.) Every set's test calls it.
pub fn assert_spellings_are_sound<T: ClosedSet>() {
    let mut seen = std::collections::BTreeSet::new();
    for &value in T::values() {
        let s = value.spelling();
        assert!(
            !s.is_empty() && !s.contains('\''),
            "{} {value:?}: `{s}`",
            T::NAME
        );
        assert!(seen.insert(s), "{}: `{s}` spelled twice", T::NAME);
        assert_eq!(s.parse::<T>().ok(), Some(value), "{}: `{s}`", T::NAME);
        assert_eq!(value.to_string(), s);
    }
    let bad = "no such value";
    assert_eq!(
        bad.parse::<T>().err(),
        Some(UnknownSpelling {
            set: T::NAME,
            value: bad.into()
        })
    );
}

/// Declares a closed set: a fieldless enum whose every value is written `Variant = "spelling"`. The
/// spelling becomes the serde name (and so the TypeScript literal under the `specta` feature of the
/// declaring crate), `as_str`, `Display`, `FromStr` (exact) and `ALL`; the type implements
/// [`ClosedSet`]. Attributes before the enum (docs, derives other than serde's, a
/// `serde(rename = …)` of the container: its TypeScript name) are kept.
#[macro_export]
macro_rules! closed_set {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $spelling:literal ),+ $(,)?
        }
    ) => {
        #[derive(::serde::Serialize, ::serde::Deserialize)]
        #[cfg_attr(feature = "specta", derive(::specta::Type))]
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $spelling)] $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [$name; [$($spelling),+].len()] = [$($name::$variant),+];

            /// The one spelling of this value (as stored, serialised and printed).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $spelling, )+
                }
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = $crate::closed_set::UnknownSpelling;

            /// The value spelled exactly `text`.
            fn from_str(text: &str) -> ::core::result::Result<$name, Self::Err> {
                match text {
                    $( $spelling => Ok($name::$variant), )+
                    _ => Err($crate::closed_set::UnknownSpelling {
                        set: stringify!($name),
                        value: text.to_owned(),
                    }),
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::closed_set::ClosedSet for $name {
            const NAME: &'static str = stringify!($name);

            fn values() -> &'static [$name] {
                &$name::ALL
            }

            fn spelling(self) -> &'static str {
                self.as_str()
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    closed_set! {
        /// A set for this test.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum Colour {
            Red = "red",
            DarkBlue = "dark-blue",
        }
    }

    #[test]
    fn a_closed_set_has_one_spelling_everywhere() {
        assert_spellings_are_sound::<Colour>();
        assert_eq!(Colour::ALL, [Colour::Red, Colour::DarkBlue]);
        assert_eq!(sql_list(&Colour::ALL), "('red', 'dark-blue')");
        assert_eq!(
            "Red".parse::<Colour>().unwrap_err().to_string(),
            "`Red` is not a Colour"
        );
    }

    #[test]
    fn every_closed_set_of_pec_core_has_one_sound_spelling() {
        use crate::correlate::{
            EvidenceRole, LinkBasis, Overdue, RecipientState, SentFindingCode, SentSummary,
        };
        use crate::daticert::{Errore, ReceiptType, RecipientType, RepairKind};
        use crate::signature;
        assert_spellings_are_sound::<crate::PecKind>();
        assert_spellings_are_sound::<crate::Tipo>();
        assert_spellings_are_sound::<crate::FindingCode>();
        assert_spellings_are_sound::<crate::Severity>();
        assert_spellings_are_sound::<signature::FindingCode>();
        assert_spellings_are_sound::<signature::Severity>();
        assert_spellings_are_sound::<signature::SignatureStatus>();
        assert_spellings_are_sound::<RecipientState>();
        assert_spellings_are_sound::<SentSummary>();
        assert_spellings_are_sound::<SentFindingCode>();
        assert_spellings_are_sound::<Overdue>();
        assert_spellings_are_sound::<EvidenceRole>();
        assert_spellings_are_sound::<LinkBasis>();
        assert_spellings_are_sound::<RecipientType>();
        assert_spellings_are_sound::<ReceiptType>();
        assert_spellings_are_sound::<Errore>();
        assert_spellings_are_sound::<RepairKind>();
    }

    #[test]
    fn stored_spellings_are_those_archives_and_packs_already_hold() {
        // Spellings are never renamed: a sample of each set as archives of issue 15 store them.
        use crate::correlate::{Overdue, RecipientState};
        assert_eq!(
            crate::PecKind::DeliveryWarning12h.as_str(),
            "delivery-warning12h"
        );
        assert_eq!(RecipientState::TimedOut24h.as_str(), "timed-out-24h");
        assert_eq!(Overdue::After12h.as_str(), "12h");
        assert_eq!(
            crate::signature::FindingCode::LegacyKeyRsa1024.as_str(),
            "legacy-key-rsa-1024"
        );
        assert_eq!(
            crate::signature::FindingCode::IssuerNotACa.as_str(),
            "issuer-not-a-ca"
        );
    }
}
