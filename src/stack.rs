//! The stacks stackgen can generate, and the facts about each that other modules share.

use std::fmt;

/// A backend stack stackgen scaffolds.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Stack {
    /// A plain Node.js `node:http` server with zero npm dependencies.
    Node,
    /// A Flask application with an app factory.
    Flask,
}

impl Stack {
    /// Every stack, in the order they are listed to users.
    pub const ALL: [Stack; 2] = [Stack::Node, Stack::Flask];

    /// The identifier used on the command line, in JSON and in answers files.
    pub fn id(self) -> &'static str {
        match self {
            Stack::Node => "node",
            Stack::Flask => "flask",
        }
    }

    /// The name shown to people.
    pub fn display_name(self) -> &'static str {
        match self {
            Stack::Node => "Node.js",
            Stack::Flask => "Python/Flask",
        }
    }

    /// The port the generated server listens on when neither `--port` nor `PORT` says otherwise
    /// (the article's defaults: Node's example uses 3000, Flask's own default is 5000).
    pub fn default_port(self) -> u16 {
        match self {
            Stack::Node => 3000,
            Stack::Flask => 5000,
        }
    }
}

/// The stack to generate, or `auto` to take the recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum StackChoice {
    /// Take the recommendation.
    #[default]
    Auto,
    /// A plain Node.js `node:http` server.
    Node,
    /// A Flask application.
    Flask,
}

impl StackChoice {
    /// The stack this choice names, if any (`auto` names none).
    pub fn stack(self) -> Option<Stack> {
        match self {
            StackChoice::Node => Some(Stack::Node),
            StackChoice::Flask => Some(Stack::Flask),
            StackChoice::Auto => None,
        }
    }
}

/// The language of a Node.js project's code.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// JavaScript (ES modules).
    #[default]
    Js,
    /// TypeScript, run as is by Node.js's type stripping (Node.js 22.18 or later).
    Ts,
}

impl fmt::Display for Stack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl std::str::FromStr for Stack {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Stack::ALL
            .into_iter()
            .find(|stack| stack.id() == s)
            .ok_or_else(|| format!("unknown stack `{s}`; expected one of: node, flask"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for stack in Stack::ALL {
            assert_eq!(stack.id().parse::<Stack>(), Ok(stack));
        }
        assert!("django".parse::<Stack>().is_err());
    }
}
