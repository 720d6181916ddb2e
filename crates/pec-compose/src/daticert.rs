//! Writing `daticert.xml` the way providers do (PEC rules §4).

/// The fields of a daticert, as strings, so tests can also write values the rules do not allow.
#[derive(Debug, Clone, Default)]
pub struct DaticertSpec {
    pub tipo: String,
    pub errore: String,
    pub mittente: String,
    pub destinatari: Vec<(String, &'static str)>,
    pub risposte: String,
    pub oggetto: Option<String>,
    pub gestore: String,
    pub giorno: String,
    pub ora: String,
    pub zona: String,
    pub identificativo: String,
    /// Without brackets; written escaped as `&lt;…&gt;`.
    pub msgid: Option<String>,
    pub ricevuta: Option<String>,
    pub consegna: Option<String>,
    pub ricezione: Vec<String>,
    pub errore_esteso: Option<String>,
}

impl DaticertSpec {
    /// The XML text, UTF-8, as Aruba writes it (declaration, four-space indentation, LF).
    pub fn to_xml(&self) -> String {
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x += &format!(
            "<postacert tipo=\"{}\" errore=\"{}\">\n    <intestazione>\n",
            esc(&self.tipo),
            esc(&self.errore)
        );
        x += &format!("        <mittente>{}</mittente>\n", esc(&self.mittente));
        for (address, tipo) in &self.destinatari {
            x += &format!(
                "        <destinatari tipo=\"{tipo}\">{}</destinatari>\n",
                esc(address)
            );
        }
        x += &format!("        <risposte>{}</risposte>\n", esc(&self.risposte));
        if let Some(o) = &self.oggetto {
            x += &format!("        <oggetto>{}</oggetto>\n", esc(o));
        }
        x += "    </intestazione>\n    <dati>\n";
        x += &format!(
            "        <gestore-emittente>{}</gestore-emittente>\n",
            esc(&self.gestore)
        );
        x += &format!(
            "        <data zona=\"{}\">\n            <giorno>{}</giorno>\n            <ora>{}</ora>\n        </data>\n",
            esc(&self.zona),
            esc(&self.giorno),
            esc(&self.ora)
        );
        x += &format!(
            "        <identificativo>{}</identificativo>\n",
            esc(&self.identificativo)
        );
        if let Some(m) = &self.msgid {
            x += &format!("        <msgid>{}</msgid>\n", esc(&format!("<{m}>")));
        }
        if let Some(r) = &self.ricevuta {
            x += &format!("        <ricevuta tipo=\"{}\" />\n", esc(r));
        }
        if let Some(c) = &self.consegna {
            x += &format!("        <consegna>{}</consegna>\n", esc(c));
        }
        for r in &self.ricezione {
            x += &format!("        <ricezione>{}</ricezione>\n", esc(r));
        }
        if let Some(e) = &self.errore_esteso {
            x += &format!("        <errore-esteso>{}</errore-esteso>\n", esc(e));
        }
        x += "    </dati>\n</postacert>\n";
        x
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
