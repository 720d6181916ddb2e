//! One spelling per closed set, as in pec-core's `closed_set!` (this crate does not depend on pec-core):
//! every closed set of the model is declared with [`closed_set!`](crate::closed_set), which writes each
//! value's spelling once and derives from it the serde name (hence the TypeScript literal with the
//! `specta` feature), `as_str`, `FromStr`, `Display` and `ALL`.
//!
//! Spellings are stable: the engine may store them, so a shipped spelling is never renamed.

/// A text that spells no value of a closed set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a {set}")]
pub struct UnknownSpelling {
    /// The closed set's name (`NotificationKind`, `InvoiceStatus`, …).
    pub set: &'static str,
    pub value: String,
}

/// Declares a closed set: a fieldless enum whose every value is written `Variant = "spelling"`.
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

            /// The one spelling of this value (as serialised and printed).
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
    };
}

/// Checks a closed set's spellings: each reads back as itself, none is spelled twice. Every set's test
/// calls it.
#[cfg(test)]
pub(crate) fn assert_sound<T>(all: &[T])
where
    T: Copy + Eq + std::fmt::Debug + std::fmt::Display + std::str::FromStr,
{
    let mut seen = std::collections::BTreeSet::new();
    for &value in all {
        let s = value.to_string();
        assert!(!s.is_empty(), "{value:?}");
        assert!(seen.insert(s.clone()), "`{s}` spelled twice");
        assert!(s.parse::<T>().ok() == Some(value), "`{s}`");
    }
    assert!("no such value".parse::<T>().is_err());
}
