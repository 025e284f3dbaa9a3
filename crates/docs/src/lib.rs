//! Files people exchange, as bytes in and values (or row problems) out — no I/O, no database.
//!
//! [`lists`] reads and writes the annual task lists (重点工作任务清单) as .xlsx and .csv;
//! [`cases`] the problem lists (问题清单 / 整改销号表) as .xlsx; [`notice`] writes the formal
//! 督办单 / 催办通知书 as .docx; [`progress`] reads and writes the monthly progress sheet
//! (月度进展报送表); [`chart`] draws the dashboards' SVG charts; [`attachments`] recognises
//! evidence files by content and makes photo thumbnails; [`ledger`] writes the audit ledger as
//! a sheet. [`FileError`] is why a file could not
//! be read or written at all. Bulletins (.pdf) come with a later issue.
#![forbid(unsafe_code)]

pub mod attachments;
pub mod bulletins;
pub mod cases;
pub mod chart;
pub mod duties;
pub mod ledger;
pub mod lists;
pub mod notice;
pub mod progress;
pub mod proposals;
pub mod public;
mod sheet;
pub mod showcase;

pub use lists::FileError;
pub use sheet::format::Found;
pub use sheet::limits::{Limit, Limits};
