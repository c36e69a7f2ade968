//! The values the schema language's data model and the database schema share: a default's
//! literal value and a foreign key's referential action. They live below both modules so that
//! the schema language does not depend on the database schema it is lowered to.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "type", content = "value")]
pub enum DefaultValue {
    String(String),
    /// A number as written; compared numerically by the differ.
    Number(String),
    Boolean(bool),
    List(Vec<DefaultValue>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReferentialAction {
    Cascade,
    Restrict,
    NoAction,
    SetNull,
    SetDefault,
}

impl ReferentialAction {
    pub fn sql(self) -> &'static str {
        match self {
            ReferentialAction::Cascade => "CASCADE",
            ReferentialAction::Restrict => "RESTRICT",
            ReferentialAction::NoAction => "NO ACTION",
            ReferentialAction::SetNull => "SET NULL",
            ReferentialAction::SetDefault => "SET DEFAULT",
        }
    }

    pub fn prisma_name(self) -> &'static str {
        match self {
            ReferentialAction::Cascade => "Cascade",
            ReferentialAction::Restrict => "Restrict",
            ReferentialAction::NoAction => "NoAction",
            ReferentialAction::SetNull => "SetNull",
            ReferentialAction::SetDefault => "SetDefault",
        }
    }

    pub fn from_prisma_name(name: &str) -> Option<ReferentialAction> {
        match name {
            "Cascade" => Some(ReferentialAction::Cascade),
            "Restrict" => Some(ReferentialAction::Restrict),
            "NoAction" => Some(ReferentialAction::NoAction),
            "SetNull" => Some(ReferentialAction::SetNull),
            "SetDefault" => Some(ReferentialAction::SetDefault),
            _ => None,
        }
    }
}
