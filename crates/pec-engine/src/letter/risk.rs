//! What opening an attachment could do to the computer, judged from its real extension and its
//! declared type (issue 13 §5). The reader's Open refuses anything but [`Risk::Safe`] until the person
//! confirms, naming the real extension; Save is always allowed (saving runs nothing).
//!
//! The attack: a PEC from a known sender with `fattura.pdf.exe`, `atto.js`, a `.lnk` or `.desktop`
//! launcher, or a `.docm` with macros, one click from running. The sender picks the name and the
//! declared type, so either one being risky makes the file risky. Signed wrappers (`.p7m`, `.m7m`,
//! `.tsd`) are judged by what they wrap: `virus.exe.p7m` is an executable in an envelope.

use super::name::AttachmentName;

pec_core::closed_set! {
    /// What opening a file could do, worst first when several apply.
    #[serde(rename = "AttachmentRisk")] // the TypeScript name (`Risk` alone says too little)
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Risk {
        /// A document, an image, an archive: opened by a viewer.
        Safe = "safe",
        /// Pages that run script when opened in a browser (HTML, SVG, help files).
        ActiveContent = "active-content",
        /// Office documents that carry macros.
        Macro = "macro",
        /// Launchers and settings files that run whatever they point at (`.lnk`, `.desktop`, `.reg`).
        Shortcut = "shortcut",
        /// Scripts run by an interpreter (`.sh`, `.js`, `.vbs`, `.ps1`, `.bat`).
        Script = "script",
        /// Programs, installers and disk images.
        Executable = "executable",
    }
}

/// Extensions of signed or timestamped envelopes around another file (CAdES, time stamps).
const WRAPPERS: &[&str] = &["p7m", "m7m", "tsd", "p7s"];

fn by_extension(ext: &str) -> Risk {
    match ext {
        "exe" | "com" | "scr" | "pif" | "msi" | "msp" | "mst" | "msix" | "msixbundle" | "appx"
        | "appxbundle" | "dll" | "cpl" | "ocx" | "sys" | "drv" | "gadget" | "apk" | "xapk"
        | "aab" | "ipa" | "appimage" | "flatpakref" | "snap" | "run" | "bin" | "elf" | "deb"
        | "rpm" | "pkg" | "mpkg" | "dmg" | "app" | "jar" | "jnlp" | "iso" | "img" | "vhd"
        | "vhdx" | "xll" | "wll" | "application" | "appref-ms" | "msc" => Risk::Executable,
        "sh" | "bash" | "zsh" | "csh" | "ksh" | "fish" | "command" | "js" | "jse" | "mjs"
        | "cjs" | "vbs" | "vbe" | "wsf" | "wsh" | "wsc" | "ws" | "sct" | "ps1" | "psm1"
        | "psd1" | "ps1xml" | "psc1" | "bat" | "cmd" | "hta" | "py" | "pyw" | "pyc" | "pl"
        | "rb" | "php" | "lua" | "tcl" | "applescript" | "scpt" | "workflow" | "ahk" | "au3" => {
            Risk::Script
        }
        "lnk" | "url" | "desktop" | "scf" | "inf" | "reg" | "library-ms" | "searchms"
        | "search-ms" | "settingcontent-ms" | "webloc" | "inetloc" | "fileloc" | "diagcab"
        | "theme" | "themepack" | "rdp" | "website" => Risk::Shortcut,
        "docm" | "dotm" | "xlsm" | "xltm" | "xlsb" | "xlam" | "xla" | "pptm" | "potm" | "ppam"
        | "ppsm" | "sldm" | "accdb" | "accde" | "mdb" | "mde" | "odb" => Risk::Macro,
        "html" | "htm" | "xhtml" | "shtml" | "mht" | "mhtml" | "svg" | "svgz" | "xht" | "chm"
        | "hlp" | "xsl" | "xslt" => Risk::ActiveContent,
        _ => Risk::Safe,
    }
}

fn by_content_type(content_type: &str) -> Risk {
    let t = content_type.to_ascii_lowercase();
    let t = t.split(';').next().unwrap_or_default().trim();
    match t {
        "application/x-msdownload"
        | "application/x-msdos-program"
        | "application/x-ms-installer"
        | "application/x-msi"
        | "application/x-ms-shortcut"
        | "application/vnd.microsoft.portable-executable"
        | "application/x-executable"
        | "application/x-elf"
        | "application/x-sharedlib"
        | "application/x-mach-binary"
        | "application/x-apple-diskimage"
        | "application/vnd.android.package-archive"
        | "application/java-archive"
        | "application/x-java-archive"
        | "application/x-java-jnlp-file"
        | "application/x-iso9660-image"
        | "application/x-appimage"
        | "application/vnd.debian.binary-package"
        | "application/x-rpm" => Risk::Executable,
        "application/x-sh"
        | "application/x-shellscript"
        | "text/x-shellscript"
        | "application/javascript"
        | "application/x-javascript"
        | "text/javascript"
        | "application/ecmascript"
        | "text/vbscript"
        | "application/x-vbscript"
        | "application/x-bat"
        | "application/x-powershell"
        | "application/hta"
        | "application/x-python-code"
        | "text/x-python"
        | "application/x-perl"
        | "application/x-php" => Risk::Script,
        "application/x-desktop" | "application/x-mswinurl" => Risk::Shortcut,
        "text/html"
        | "application/xhtml+xml"
        | "image/svg+xml"
        | "message/rfc822-html"
        | "multipart/related-html"
        | "application/x-mimearchive" => Risk::ActiveContent,
        _ if t.contains("macroenabled") => Risk::Macro,
        _ => Risk::Safe,
    }
}

impl Risk {
    /// The risk of opening a file named `name` declared as `content_type`.
    pub fn of(name: &AttachmentName, content_type: &str) -> Risk {
        let mut by_name = Risk::Safe;
        for ext in name.extensions() {
            by_name = by_extension(&ext);
            if !WRAPPERS.contains(&ext.as_str()) {
                break;
            }
        }
        by_name.max(by_content_type(content_type))
    }

    /// Opening it needs the person's say-so.
    pub fn needs_confirmation(self) -> bool {
        self != Risk::Safe
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn risk(name: &str, content_type: &str) -> Risk {
        Risk::of(&AttachmentName::clean(Some(name), 0), content_type)
    }

    #[test]
    fn documents_open_with_one_click() {
        for name in [
            "atto.pdf",
            "atto.pdf.p7m",
            "daticert.xml",
            "foto.JPG",
            "lettera.docx",
            "conti.xlsx",
            "fascicolo.zip",
            "README",
        ] {
            assert_eq!(risk(name, "application/octet-stream"), Risk::Safe, "{name}");
        }
        assert!(!Risk::Safe.needs_confirmation());
    }

    #[test]
    fn programs_and_scripts_need_confirmation_whatever_they_pretend_to_be_issue_13() {
        for (name, expected) in [
            ("fattura.pdf.exe", Risk::Executable),
            ("fattura\u{202E}fdp.exe", Risk::Executable),
            ("Setup.MSI", Risk::Executable),
            ("app.apk", Risk::Executable),
            ("tool.AppImage", Risk::Executable),
            ("libro.jar", Risk::Executable),
            ("disco.iso", Risk::Executable),
            ("salvaschermo.scr", Risk::Executable),
            ("virus.exe.p7m", Risk::Executable),
            ("installa.sh", Risk::Script),
            ("fattura.pdf.js", Risk::Script),
            ("avviso.vbs", Risk::Script),
            ("pulizia.ps1", Risk::Script),
            ("avvio.bat", Risk::Script),
            ("avvio.cmd", Risk::Script),
            ("documento.lnk", Risk::Shortcut),
            ("apri.desktop", Risk::Shortcut),
            ("fattura.docm", Risk::Macro),
            ("bilancio.xlsm", Risk::Macro),
            ("pagina.html", Risk::ActiveContent),
            ("logo.svg", Risk::ActiveContent),
        ] {
            let got = risk(name, "application/pdf");
            assert_eq!(got, expected, "{name}");
            assert!(got.needs_confirmation(), "{name}");
        }
    }

    #[test]
    fn a_risky_declared_type_counts_even_under_a_harmless_name_issue_13() {
        assert_eq!(
            risk("fattura.pdf", "application/x-msdownload"),
            Risk::Executable
        );
        assert_eq!(
            risk("nota.txt", "text/html; charset=utf-8"),
            Risk::ActiveContent
        );
        assert_eq!(
            risk(
                "lettera.docx",
                "application/vnd.ms-word.document.macroEnabled.12"
            ),
            Risk::Macro
        );
        assert_eq!(risk("atto.pdf", "application/pdf"), Risk::Safe);
    }
}
