//! Files people exchange: .xlsx import and export of the four lists and progress sheets,
//! bulletins as .pdf/.docx, and server-side SVG charts. Empty in the foundation release; the
//! lists and tracking issues fill it. Bytes in, domain values (or row errors) out — no I/O.
#![forbid(unsafe_code)]
