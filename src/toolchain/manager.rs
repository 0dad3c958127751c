//! Version managers (pyenv, nvm, asdf, …): recognising their paths and their shims.

use std::path::{Component, Path};

/// A version manager that put a program on PATH.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Manager {
    Pyenv,
    Nvm,
    Asdf,
    Volta,
    Nodenv,
    Fnm,
    Mise,
}

impl Manager {
    /// The manager whose directory holds `path`, judged by the directory names each uses.
    pub fn of(path: &Path) -> Option<Manager> {
        path.components().find_map(|component| {
            let Component::Normal(name) = component else {
                return None;
            };
            match name.to_str()? {
                ".pyenv" | "pyenv-win" => Some(Manager::Pyenv),
                ".nvm" | "nvm" => Some(Manager::Nvm),
                ".asdf" => Some(Manager::Asdf),
                ".volta" | "Volta" => Some(Manager::Volta),
                ".nodenv" => Some(Manager::Nodenv),
                ".fnm" | "fnm" | "fnm_multishells" => Some(Manager::Fnm),
                "mise" | ".mise" => Some(Manager::Mise),
                _ => None,
            }
        })
    }

    /// The name shown to people and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Manager::Pyenv => "pyenv",
            Manager::Nvm => "nvm",
            Manager::Asdf => "asdf",
            Manager::Volta => "volta",
            Manager::Nodenv => "nodenv",
            Manager::Fnm => "fnm",
            Manager::Mise => "mise",
        }
    }
}

/// Whether `path` is a manager's shim: a stand-in that picks the real program at run time,
/// per directory, so the path on PATH is not the program that runs.
pub fn is_shim_path(path: &Path) -> bool {
    let parent = path.parent().and_then(Path::file_name);
    parent.is_some_and(|name| name == "shims")
        || (Manager::of(path) == Some(Manager::Volta) && parent.is_some_and(|name| name == "bin"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managers_are_recognised_by_their_directories() {
        let shim = Path::new("/root/.pyenv/shims/python3");
        assert_eq!(Manager::of(shim), Some(Manager::Pyenv));
        assert!(is_shim_path(shim));
        let nvm = Path::new("/home/u/.nvm/versions/node/v20.11.0/bin/node");
        assert_eq!(Manager::of(nvm), Some(Manager::Nvm));
        assert!(!is_shim_path(nvm));
        assert!(is_shim_path(Path::new("/home/u/.asdf/shims/node")));
        assert!(is_shim_path(Path::new("/home/u/.volta/bin/node")));
        assert_eq!(Manager::of(Path::new("/usr/bin/node")), None);
        assert!(!is_shim_path(Path::new("/usr/bin/node")));
    }
}
