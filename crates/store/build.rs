//! `sqlx::migrate!` embeds the migrations when `connect.rs` compiles; without this, a new
//! migration file would not rebuild the crate (sqlx's documented advice).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
