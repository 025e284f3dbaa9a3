//! Files people exchange, as bytes in and values (or row problems) out — no I/O, no database.
//!
//! [`lists`] reads and writes the annual task lists (重点工作任务清单) as .xlsx and .csv.
//! Bulletins (.pdf/.docx) and SVG charts come with later issues.
#![forbid(unsafe_code)]

pub mod lists;
