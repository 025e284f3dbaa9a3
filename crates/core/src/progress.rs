//! Progress of the four lists' tasks, the pure rules of the visual tracking (DOMAIN §3.1,
//! §3.2): the time-proportional target (序时进度) and 时间过半、任务过半 in [`schedule`], a
//! task's light with the reasons behind it in [`light`], and the completion date projected
//! from accepted progress in [`forecast`]. Reports, storage and dashboards come with issue 4.

pub mod forecast;
pub mod light;
pub mod schedule;
