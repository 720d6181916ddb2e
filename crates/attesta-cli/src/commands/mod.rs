//! One module per subcommand.

pub mod inspect;
pub mod trust;
pub mod verify;
