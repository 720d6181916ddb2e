//! The language of a pack's report and file names: Italian by default (the packs are filed in Italian
//! courts), English on request.

use serde::{Deserialize, Serialize};

/// A language a report can be written in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    It,
    En,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::It, Language::En];

    /// The ISO 639-1 code (`it`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Language::It => "it",
            Language::En => "en",
        }
    }

    /// The BCP 47 tag written into the PDF (`it-IT`, `en`).
    pub fn tag(self) -> &'static str {
        match self {
            Language::It => "it-IT",
            Language::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Language> {
        Language::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_italian_is_the_default() {
        for l in Language::ALL {
            assert_eq!(Language::parse(l.code()), Some(l));
        }
        assert_eq!(Language::parse(" EN "), Some(Language::En));
        assert_eq!(Language::parse("fr"), None);
        assert_eq!(Language::default(), Language::It);
    }
}
