//! Who did something (issue 18 §3): the named person of the firm a desktop acts as (`attesta user`),
//! recorded in every journal entry it writes and on the origin of every message it submits.
//!
//! A person is free text — a name as the firm writes it (`Avv. Maria Rossi`) and an optional e-mail —
//! and claims nothing by itself: it is what the desktop was configured to say. What makes it worth
//! something is where it is written: inside the hash chain, beside what the person did.

use serde::{Deserialize, Serialize};

/// The longest name kept, in characters.
pub const NAME_MAX: usize = 200;
/// The longest e-mail address kept, in bytes (RFC 5321 §4.5.3.1.3's path limit).
pub const EMAIL_MAX: usize = 254;

/// A person of the firm, as configured on a desktop.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Person {
    /// `Avv. Maria Rossi`.
    pub name: String,
    /// `maria.rossi@studio.example`, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

pec_core::closed_set! {
    /// Why a name or e-mail given for a person is refused.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum PersonProblem {
        /// The name is empty (or only spaces).
        NameEmpty = "name-empty",
        /// The name is longer than [`NAME_MAX`] characters.
        NameTooLong = "name-too-long",
        /// The name holds a line break, a control or an invisible direction character: it would
        /// print as something other than it reads.
        NameHasControl = "name-has-control",
        /// The e-mail is not one address (`someone@domain`, no spaces, at most [`EMAIL_MAX`] bytes).
        EmailInvalid = "email-invalid",
    }
}

impl Person {
    /// A person from what someone typed: both trimmed; an empty e-mail is none.
    pub fn new(name: &str, email: Option<&str>) -> Result<Person, PersonProblem> {
        let name = name.trim();
        if name.is_empty() {
            return Err(PersonProblem::NameEmpty);
        }
        if name.chars().count() > NAME_MAX {
            return Err(PersonProblem::NameTooLong);
        }
        if name.chars().any(hidden) {
            return Err(PersonProblem::NameHasControl);
        }
        let email = email.map(str::trim).filter(|e| !e.is_empty());
        if let Some(e) = email
            && !one_address(e)
        {
            return Err(PersonProblem::EmailInvalid);
        }
        Ok(Person {
            name: name.to_owned(),
            email: email.map(str::to_owned),
        })
    }

    /// `Avv. Maria Rossi <maria.rossi@studio.example>`, or the name alone.
    pub fn describe(&self) -> String {
        match &self.email {
            Some(e) => format!("{} <{e}>", self.name),
            None => self.name.clone(),
        }
    }
}

impl std::fmt::Display for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// A character that does not print as itself: controls (line breaks included) and the Unicode
/// direction and invisible formatting characters a name could hide behind.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// One plain address: a local part, `@`, a domain with a dot; nothing that would need quoting.
fn one_address(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    e.len() <= EMAIL_MAX
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e.chars().any(|c| {
            c.is_whitespace() || hidden(c) || matches!(c, '<' | '>' | '"' | ',' | ';' | '(' | ')')
        })
        && !domain.contains('@')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_and_an_email_are_trimmed_and_an_empty_email_is_none() {
        let p = Person::new("  Avv. Maria Rossi ", Some(" maria.rossi@studio.example ")).unwrap();
        assert_eq!(p.name, "Avv. Maria Rossi");
        assert_eq!(p.email.as_deref(), Some("maria.rossi@studio.example"));
        assert_eq!(
            p.describe(),
            "Avv. Maria Rossi <maria.rossi@studio.example>"
        );
        assert_eq!(Person::new("Luca", Some("  ")).unwrap().email, None);
        assert_eq!(Person::new("Luca", None).unwrap().describe(), "Luca");
    }

    #[test]
    fn a_name_that_would_print_as_something_else_is_refused() {
        assert_eq!(Person::new("  ", None), Err(PersonProblem::NameEmpty));
        assert_eq!(
            Person::new("Maria\nRossi", None),
            Err(PersonProblem::NameHasControl)
        );
        assert_eq!(
            Person::new("Maria \u{202E}issoR", None),
            Err(PersonProblem::NameHasControl)
        );
        assert_eq!(
            Person::new(&"a".repeat(NAME_MAX + 1), None),
            Err(PersonProblem::NameTooLong)
        );
        assert!(Person::new("Avv. Núria D'Àlvaro-Ñúñez", None).is_ok());
    }

    #[test]
    fn an_email_must_be_one_plain_address() {
        for bad in [
            "maria",
            "maria@studio",
            "@studio.example",
            "maria rossi@studio.example",
            "Maria <maria@studio.example>",
            "a@b.example, c@d.example",
            "a@b@c.example",
        ] {
            assert_eq!(
                Person::new("Maria", Some(bad)),
                Err(PersonProblem::EmailInvalid),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_person_without_an_email_is_written_without_one() {
        let p = Person::new("Maria", None).unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), r#"{"name":"Maria"}"#);
    }
}
