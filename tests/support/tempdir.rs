//! A temporary directory removed when dropped (sockets, work files of one test).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// A fresh directory under the system's temp dir, unique per process, tag and moment; removed
/// (with everything in it) on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    /// Create `<tmp>/<prefix>-<tag>-<pid>-<nanos>`.
    pub fn new(prefix: &str, tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "{prefix}-{tag}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default()
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
