//! One spelling per closed set (issue 16 §1): every closed set the archive stores, the pack writes or the
//! window shows is declared with [`closed_set!`], which writes each value's spelling once and derives
//! from it the serde name (hence the TypeScript type, with the `specta` feature of the declaring crate),
//! `as_str`, `FromStr`, `Display` and the list of every value. Used by pec-core (re-exported as
//! `pec_core::closed_set!`), pec-invoice (which does not depend on pec-core), pec-archive (stored
//! columns, SQL lists), pec-pack (manifest, words) and the shell (bindings). A declaring crate needs
//! `serde` (with `derive`) among its dependencies.
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

/// A closed set declared with [`closed_set!`](crate::closed_set!): its values and their one spelling.
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
            type Err = $crate::UnknownSpelling;

            /// The value spelled exactly `text`.
            fn from_str(text: &str) -> ::core::result::Result<$name, Self::Err> {
                match text {
                    $( $spelling => Ok($name::$variant), )+
                    _ => Err($crate::UnknownSpelling {
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

        impl $crate::ClosedSet for $name {
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
}
