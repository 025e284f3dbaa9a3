//! The red / yellow / green light (红黄绿灯, DOMAIN §3.1), shared by cases and tasks. Ordered
//! by severity, so the light of several rules is their maximum.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Light {
    Green,
    Yellow,
    Red,
}

impl Light {
    pub fn as_str(self) -> &'static str {
        match self {
            Light::Green => "green",
            Light::Yellow => "yellow",
            Light::Red => "red",
        }
    }

    pub fn parse(s: &str) -> Option<Light> {
        [Light::Green, Light::Yellow, Light::Red]
            .into_iter()
            .find(|l| l.as_str() == s)
    }
}
