//! `duban user add` and `duban user reset-password`: account administration from the shell,
//! needed at least once to create the first administrator.

use crate::config::{Config, Db};
use anyhow::{Context, anyhow, bail};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use duban_core::org::PersonId;
use duban_core::role::Role;
use duban_store::accounts::{self, NewUser};
use duban_store::{Audit, StoreError};
use duban_web::password::{self, Weak};
use rand::Rng;
use std::io::IsTerminal;
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Create an account
    #[command(long_about = "Create an account.\n\n\
        Without --password-stdin a random 16-character password is generated and printed once; \
        the user must choose their own at first sign-in. With --password-stdin the first line \
        of standard input is the password (at least 8 characters, two kinds of character), \
        e.g. `printf '%s\\n' \"$PW\" | duban user add --admin alice --password-stdin`.\n\n\
        Creates and migrates the database if needed, so the first administrator can be added \
        before the first `duban serve`.")]
    Add(AddArgs),

    /// Give an account a new random password, shown once
    #[command(
        long_about = "Give an account a new random password, print it once, and make \
        the user choose their own at the next sign-in. The account's sessions end and its \
        API tokens are revoked."
    )]
    ResetPassword(ResetPasswordArgs),
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("role_choice").required(true).args(["admin", "role"])))]
pub struct AddArgs {
    /// Sign-in name: 3 to 32 letters, digits, '.', '_' or '-' (kept in lower case)
    pub username: String,

    /// Make the account an administrator (the same as --role admin)
    #[arg(long)]
    pub admin: bool,

    /// The account's role
    #[arg(long, value_name = "ROLE", value_parser = role_parser())]
    pub role: Option<Role>,

    /// Read the password from the first line of standard input instead of generating one
    #[arg(long)]
    pub password_stdin: bool,

    /// Link the account to this person of the organisation (their numeric id)
    #[arg(long, value_name = "N")]
    pub person_id: Option<i64>,
}

#[derive(Debug, clap::Args)]
pub struct ResetPasswordArgs {
    /// The account's user name (or the person's mobile number)
    pub username: String,
}

fn role_parser() -> impl TypedValueParser<Value = Role> {
    PossibleValuesParser::new(Role::ALL.map(Role::as_str))
        .map(|name| Role::parse(&name).expect("the parser only lets listed role names through"))
}

pub async fn run(config: &Config, command: &UserCommand) -> anyhow::Result<ExitCode> {
    match command {
        UserCommand::Add(args) => add(config, args).await,
        UserCommand::ResetPassword(args) => reset_password(config, args).await,
    }
}

async fn add(config: &Config, args: &AddArgs) -> anyhow::Result<ExitCode> {
    let username = duban_core::org::parse_username(&args.username)
        .map_err(|e| anyhow!("the user name {:?} {e}", args.username))?;
    // clap lets exactly one of --admin and --role through.
    let role = args.role.unwrap_or(Role::Admin);
    let generated = !args.password_stdin;
    let password = if generated {
        generate_password()
    } else {
        read_password_line()?
    };
    password::check_strength(&password)
        .map_err(|weak| anyhow!("the password {}", explain(weak)))?;
    let password_hash = password::hash(&password);

    let store = super::open_and_migrate(config, &config.database(Db::Main)).await?;
    let mut tx = store
        .begin_write()
        .await
        .context("could not start a transaction")?;
    let person_id = args.person_id.map(PersonId);
    if let Some(person) = person_id {
        match duban_store::people::get_person(&mut tx, person).await {
            Ok(_) => {}
            Err(StoreError::NotFound) => bail!("there is no person with id {person}"),
            Err(e) => return Err(e).context("could not look up the person"),
        }
    }
    let new = NewUser {
        person_id,
        username: &username,
        password_hash: &password_hash,
        role,
        must_change_password: generated,
    };
    let audit = Audit::system(config.now());
    match accounts::insert_user(&mut tx, &audit, &new).await {
        Ok(_) => {}
        Err(StoreError::Conflict { constraint }) if constraint == "users_username_key" => {
            bail!("user name {username} is already taken")
        }
        Err(StoreError::Conflict { constraint }) if constraint == "users_person_id_key" => {
            bail!("that person already has an account")
        }
        Err(e) => return Err(e).context("could not create the account"),
    }
    tx.commit().await.context("could not save the account")?;
    store.close().await;

    tracing::info!(user.name = %username, user.role = %role, "account created");
    println!("Created the {role} account {username}.");
    if generated {
        print_password_once(&username, &password);
    }
    Ok(ExitCode::SUCCESS)
}

async fn reset_password(config: &Config, args: &ResetPasswordArgs) -> anyhow::Result<ExitCode> {
    let password = generate_password();
    let password_hash = password::hash(&password);

    let store = super::open_and_migrate(config, &config.database(Db::Main)).await?;
    let mut tx = store
        .begin_write()
        .await
        .context("could not start a transaction")?;
    let user = accounts::find_user_for_login(&mut tx, args.username.trim())
        .await
        .context("could not look up the account")?
        .ok_or_else(|| anyhow!("there is no user named {}", args.username.trim()))?;
    let audit = Audit::system(config.now());
    let ended = accounts::set_password(&mut tx, &audit, user.user_id(), &password_hash, true, None)
        .await
        .context("could not set the password")?;
    tx.commit().await.context("could not save the password")?;
    store.close().await;

    tracing::info!(user.id = %user.user_id(), user.name = %user.username, "password reset");
    print_password_once(&user.username, &password);
    println!(
        "Signed out {} session(s) and revoked {} API token(s) of {}.",
        ended.sessions_ended, ended.tokens_revoked, user.username
    );
    Ok(ExitCode::SUCCESS)
}

fn print_password_once(username: &str, password: &str) {
    println!("Password for {username}: {password}");
    println!(
        "It is shown only this once; {username} must choose a new password at the next sign-in."
    );
}

/// 16 characters from letters and digits without look-alikes (0/O, 1/l/I), so a password can
/// be read out over the phone; about 94 bits of entropy.
fn generate_password() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut rng = rand::rng();
    loop {
        let candidate: String = (0..16)
            .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
            .collect();
        // A draw of letters only (about 1 in 16) would fail the two-kinds rule: draw again.
        if password::check_strength(&candidate).is_ok() {
            return candidate;
        }
    }
}

/// One line from standard input, without its line ending.
fn read_password_line() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!("Type the password and press Enter (it is shown as you type):");
    }
    let mut line = String::new();
    stdin
        .read_line(&mut line)
        .context("could not read the password from standard input")?;
    let password = line.strip_suffix('\n').unwrap_or(&line);
    let password = password.strip_suffix('\r').unwrap_or(password);
    if password.is_empty() {
        bail!("no password on standard input (--password-stdin reads its first line)");
    }
    Ok(password.to_string())
}

fn explain(weak: Weak) -> &'static str {
    match weak {
        Weak::TooShort => "is too short: use at least 8 characters",
        Weak::TooLong => "is too long: use at most 128 characters",
        Weak::OneKind => "needs at least two kinds of character: letters, digits, other characters",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_are_16_characters_and_strong_enough() {
        for _ in 0..200 {
            let p = generate_password();
            assert_eq!(p.chars().count(), 16);
            assert_eq!(password::check_strength(&p), Ok(()));
            assert!(!p.contains(['0', 'O', '1', 'l', 'I']));
        }
    }
}
