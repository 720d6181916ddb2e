//! The person this data directory acts as (issue 18 §3, `attesta user`): a firm shares one PEC
//! mailbox and one archive among several people on several desktops, and each desktop names its person
//! — `Avv. Maria Rossi`, with an optional e-mail — in `config.toml`. Every archive handle the command
//! or the window opens for writing acts as that person ([`crate::shared_archive::open`],
//! [`pec_archive::Archive::acting_as`]), so the journal records who archived, sent, re-verified or
//! exported what.

use pec_archive::Person;

use crate::{DataDir, EngineConfig, EngineError};

/// The person `dir` acts as, if one is set.
pub fn user(dir: &DataDir) -> Result<Option<Person>, EngineError> {
    Ok(EngineConfig::load(dir)?.user)
}

/// Sets the person `dir` acts as from what someone typed (trimmed; an empty e-mail is none).
pub fn set_user(dir: &DataDir, name: &str, email: Option<&str>) -> Result<Person, EngineError> {
    let person = Person::new(name, email).map_err(EngineError::BadPerson)?;
    let mut config = EngineConfig::load(dir)?;
    config.user = Some(person.clone());
    config.save(dir)?;
    Ok(person)
}

/// Forgets the person: from now on `dir` writes as no one in particular. Returns who it was.
pub fn clear_user(dir: &DataDir) -> Result<Option<Person>, EngineError> {
    let mut config = EngineConfig::load(dir)?;
    let was = config.user.take();
    if was.is_some() {
        config.save(dir)?;
    }
    Ok(was)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared_archive::open as open_archive;

    #[test]
    fn issue_18_a_person_is_set_shown_and_cleared_and_the_archive_acts_as_them() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::resolve(Some(tmp.path())).unwrap();
        assert_eq!(user(&dir).unwrap(), None);
        let maria = set_user(
            &dir,
            " Avv. Maria Rossi ",
            Some("maria.rossi@studio.example"),
        )
        .unwrap();
        assert_eq!(maria.name, "Avv. Maria Rossi");
        assert_eq!(user(&dir).unwrap(), Some(maria.clone()));
        let archive = open_archive(&dir, &mut |_| {}).unwrap();
        assert_eq!(archive.actor(), Some(&maria));
        drop(archive);
        assert_eq!(clear_user(&dir).unwrap(), Some(maria));
        assert_eq!(user(&dir).unwrap(), None);
        assert_eq!(open_archive(&dir, &mut |_| {}).unwrap().actor(), None);
    }

    #[test]
    fn issue_18_a_person_that_cannot_be_recorded_is_refused_and_nothing_saved() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::resolve(Some(tmp.path())).unwrap();
        let err = set_user(&dir, "Maria\nRossi", None).unwrap_err();
        assert!(matches!(
            err,
            EngineError::BadPerson(pec_archive::PersonProblem::NameHasControl)
        ));
        assert!(err.to_string().contains("line break"), "{err}");
        assert_eq!(user(&dir).unwrap(), None);
        assert!(matches!(
            set_user(&dir, "Maria", Some("not an address")),
            Err(EngineError::BadPerson(
                pec_archive::PersonProblem::EmailInvalid
            ))
        ));
    }

    #[test]
    fn issue_18_a_person_edited_by_hand_into_the_configuration_is_held_to_the_same_rules() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::resolve(Some(tmp.path())).unwrap();
        dir.create().unwrap();
        std::fs::write(dir.config_file(), "[user]\nname = \"\"\n").unwrap();
        let err = user(&dir).unwrap_err();
        assert!(err.to_string().contains("the name is empty"), "{err}");
    }
}
