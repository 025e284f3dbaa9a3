//! The lifecycle of a showcase and of each presenter's scoring window.
//!
//! Event: 草稿 `Draft` → (open) 进行中 `Live` → (lock) 已锁定 `Locked` → (publish) 已公布
//! `Published`. Set-up changes only in `Draft`; cards are written only while `Live` and the
//! presenter's scoring is `Open`; nothing changes after `Locked` except publishing.
//!
//! Presenter: `Waiting` → (open scoring) `Open` → (close scoring) `Closed`, only while the
//! event is `Live`. The office may open the next presenter while the previous one is still
//! open (judges finish late cards).

use serde::{Deserialize, Serialize};

/// Where an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventState {
    Draft,
    Live,
    Locked,
    Published,
}

/// Where one presenter's scoring is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoringState {
    Waiting,
    Open,
    Closed,
}

/// What the office does to an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventCommand {
    /// Start the day: scoring may now be opened per presenter.
    Open,
    /// Close every scoring window and freeze the results.
    Lock,
    /// Make the results visible to everyone signed in.
    Publish,
}

/// What the office does to a presenter's scoring window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoringCommand {
    Open,
    Close,
}

/// A move that the lifecycle does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StateError {
    #[error("this cannot be done while the showcase is {state}")]
    Event { state: EventState },
    #[error("scoring for this presenter is {state} already")]
    Scoring { state: ScoringState },
}

impl EventState {
    pub const ALL: [EventState; 4] = [
        EventState::Draft,
        EventState::Live,
        EventState::Locked,
        EventState::Published,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventState::Draft => "draft",
            EventState::Live => "live",
            EventState::Locked => "locked",
            EventState::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Option<EventState> {
        EventState::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// Whether the set-up (criteria, panel, presenters) may still change.
    pub fn editable(self) -> bool {
        self == EventState::Draft
    }

    /// Whether the results are final (no card can change them any more).
    pub fn is_final(self) -> bool {
        matches!(self, EventState::Locked | EventState::Published)
    }

    /// The next state, or a refusal.
    pub fn apply(self, command: EventCommand) -> Result<EventState, StateError> {
        match (self, command) {
            (EventState::Draft, EventCommand::Open) => Ok(EventState::Live),
            (EventState::Live, EventCommand::Lock) => Ok(EventState::Locked),
            (EventState::Locked, EventCommand::Publish) => Ok(EventState::Published),
            (state, _) => Err(StateError::Event { state }),
        }
    }
}

impl std::fmt::Display for EventState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ScoringState {
    pub const ALL: [ScoringState; 3] = [
        ScoringState::Waiting,
        ScoringState::Open,
        ScoringState::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ScoringState::Waiting => "waiting",
            ScoringState::Open => "open",
            ScoringState::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<ScoringState> {
        ScoringState::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// The next scoring state while the event is `event`, or a refusal.
    pub fn apply(self, event: EventState, command: ScoringCommand) -> Result<Self, StateError> {
        if event != EventState::Live {
            return Err(StateError::Event { state: event });
        }
        match (self, command) {
            (ScoringState::Waiting, ScoringCommand::Open) => Ok(ScoringState::Open),
            (ScoringState::Open, ScoringCommand::Close) => Ok(ScoringState::Closed),
            (state, _) => Err(StateError::Scoring { state }),
        }
    }
}

impl std::fmt::Display for ScoringState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_goes_draft_live_locked_published_and_never_back() {
        let s = EventState::Draft.apply(EventCommand::Open).unwrap();
        assert_eq!(s, EventState::Live);
        let s = s.apply(EventCommand::Lock).unwrap();
        assert_eq!(s, EventState::Locked);
        assert!(s.apply(EventCommand::Open).is_err());
        let s = s.apply(EventCommand::Publish).unwrap();
        assert_eq!(s, EventState::Published);
        for c in [
            EventCommand::Open,
            EventCommand::Lock,
            EventCommand::Publish,
        ] {
            assert!(s.apply(c).is_err());
        }
        assert!(EventState::Draft.apply(EventCommand::Publish).is_err());
    }

    #[test]
    fn scoring_opens_and_closes_once_and_only_while_the_event_is_live() {
        let open = ScoringState::Waiting
            .apply(EventState::Live, ScoringCommand::Open)
            .unwrap();
        assert_eq!(open, ScoringState::Open);
        let closed = open.apply(EventState::Live, ScoringCommand::Close).unwrap();
        assert_eq!(closed, ScoringState::Closed);
        assert_eq!(
            closed.apply(EventState::Live, ScoringCommand::Open),
            Err(StateError::Scoring {
                state: ScoringState::Closed
            })
        );
        assert_eq!(
            ScoringState::Waiting.apply(EventState::Draft, ScoringCommand::Open),
            Err(StateError::Event {
                state: EventState::Draft
            })
        );
        assert!(
            ScoringState::Open
                .apply(EventState::Locked, ScoringCommand::Close)
                .is_err()
        );
    }

    #[test]
    fn states_round_trip_through_their_text() {
        for s in EventState::ALL {
            assert_eq!(EventState::parse(s.as_str()), Some(s));
        }
        for s in ScoringState::ALL {
            assert_eq!(ScoringState::parse(s.as_str()), Some(s));
        }
    }
}
