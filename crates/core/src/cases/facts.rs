//! What a case is about: its kind, where it came from, how urgent it is (DOMAIN §2.1, §2.3).

macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|x| x.as_str() == s)
            }
        }
    };
}
pub(crate) use text_enum;

text_enum! {
    /// 督办事项 (a supervision item, typically from a leader or a meeting) or 问题 (a problem
    /// found by an inspection, a hotline, a deputy or the public).
    CaseKind {
        Item = "item",
        Problem = "problem",
    }
}

text_enum! {
    /// Where the case came from.
    Source {
        /// 领导批示
        Instruction = "instruction",
        /// 会议议定 (日会商、周例会)
        Meeting = "meeting",
        /// 督查检查
        Inspection = "inspection",
        /// 专班 / 指挥部
        TaskForce = "task_force",
        /// 12345 热线
        Hotline = "hotline",
        /// 人大代表 / 政协委员
        Deputy = "deputy",
        /// 群众反映
        Public = "public",
    }
}

text_enum! {
    Urgency {
        Urgent = "urgent",
        Normal = "normal",
    }
}

impl Source {
    /// Cases from these sources are followed by the person who raised them, who rates the
    /// feedback (满意 / 基本满意 / 不满意).
    pub fn raiser_rates(self) -> bool {
        matches!(self, Source::Deputy | Source::Public | Source::Hotline)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_enums_round_trip_through_their_text() {
        for k in CaseKind::ALL {
            assert_eq!(CaseKind::parse(k.as_str()), Some(*k));
        }
        for s in Source::ALL {
            assert_eq!(Source::parse(s.as_str()), Some(*s));
        }
        for u in Urgency::ALL {
            assert_eq!(Urgency::parse(u.as_str()), Some(*u));
        }
        assert_eq!(Source::parse("rumour"), None);
    }
}
