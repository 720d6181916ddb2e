//! One module per subcommand.

pub mod inspect;
pub mod lab;
pub mod trust;
pub mod verify;
