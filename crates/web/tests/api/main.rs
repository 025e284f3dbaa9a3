//! Black-box tests: the real server on 127.0.0.1:0 over a fresh database, driven over HTTP.
//! Every test runs on SQLite; with `DUBAN_TEST_DATABASE_URL=postgres://…` each test also gets
//! its own fresh PostgreSQL database.

mod assessment;
mod attachments;
mod bulletins;
mod cases;
mod clock;
mod commitments;
mod counts;
mod county;
mod edges;
mod evidence;
mod helpers;
mod joint_figures;
mod joint_settings;
mod ledger;
mod lists;
mod matrix;
mod messages;
mod no_change;
mod nodes;
mod notify;
mod open311;
mod openapi;
mod org;
mod portal;
mod portal_commitments;
mod progress;
mod proposal_dashboard;
mod proposal_import;
mod proposal_pages;
mod proposal_portal;
mod proposal_rate_counts;
mod proposal_search;
mod proposals;
mod search;
mod sessions;
mod shares;
mod sheet_limits;
mod sheets_roundtrip;
mod showcase;
mod showcase_results;
mod statements;
mod transparency;
