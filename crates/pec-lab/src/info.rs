//! `DIR/lab.json`, the lab's description for its clients (crate `pec-lab-info`, which reads it), as the
//! lab writes it: atomically, readable by the owner only (it holds passwords).

pub use pec_lab_info::{
    AccountInfo, Endpoint, LAB_INFO_VERSION, LabInfo, LabInfoError, LabService, ProviderInfo,
    Security,
};

use crate::LabError;

/// Writes `info.dir/lab.json` atomically (a reader never sees half a file), mode 0600.
pub fn save(info: &LabInfo) -> Result<(), LabError> {
    let path = LabInfo::path(&info.dir);
    let text = serde_json::to_string_pretty(info).map_err(|e| LabError::Info {
        path: path.clone(),
        message: e.to_string(),
    })?;
    crate::process::write_private(&path, text.as_bytes())
}

impl From<LabInfoError> for LabError {
    fn from(e: LabInfoError) -> LabError {
        match e {
            LabInfoError::Read { path, source } => LabError::Io {
                action: "read",
                path,
                source,
            },
            LabInfoError::Invalid { path, message } => LabError::Info { path, message },
        }
    }
}
