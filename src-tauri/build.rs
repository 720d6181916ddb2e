//! Tauri's build step: the app's commands get permissions of their own (least privilege: the window's
//! capability names each command it may call), and the context (config, icons, UI assets) is generated.

fn main() {
    let commands: Vec<&str> = include_str!("commands.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(commands.leak())),
    )
    .expect("tauri build step");
}
