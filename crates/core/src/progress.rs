//! Progress of the four lists' tasks, the pure rules of the visual tracking (DOMAIN §3.1,
//! §3.2): the time-proportional target (序时进度) and 时间过半、任务过半 in [`schedule`], a
//! task's light with the reasons behind it in [`light`], and the completion date projected
//! from accepted progress in [`forecast`], reporting periods and their due days in [`period`],
//! and the report's lifecycle (draft → unit review → submitted → accepted / returned) with the
//! repair of a past red in [`report`], what a "无变化" report carries and when a lower
//! percentage needs a reason in [`carry`], which tasks count and which report figures of their
//! own (decomposed work counts once) in [`counting`], and who is reminded of a report when in
//! [`remind`].

pub mod carry;
pub mod counting;
pub mod forecast;
pub mod light;
pub mod period;
pub mod remind;
pub mod report;
pub mod schedule;
