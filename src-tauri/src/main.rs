//! The `attesta-app` binary: the desktop window (see the library, `attesta_app`).

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    attesta_app::run();
}
