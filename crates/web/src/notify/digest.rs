//! The daily digest: for a person who prefers it, one e-mail a day listing their unread
//! notifications since the last digest, grouped by what they are about, instead of one
//! message per event. [`group`] and [`text`] are pure; [`run`] is the `digest` job and
//! [`schedule`] adds today's jobs (the runner calls it on every tick; it is idempotent).

use crate::i18n::Lang;
use crate::jobs::JobFailure;
use crate::state::AppState;
use duban_core::org::PersonId;
use duban_store::Tx;
use duban_store::jobs::Job;
use duban_store::notifications::{self, Notification, NotificationId};
use jiff::Timestamp;

/// Notifications under one heading, in the order they came.
#[derive(Debug, Clone)]
pub struct Group<'a> {
    pub heading: String,
    pub items: Vec<&'a Notification>,
}

/// Groups notifications by their heading (`heading` maps a kind to it), headings in order of
/// first appearance.
pub fn group<'a>(items: &'a [Notification], heading: impl Fn(&str) -> String) -> Vec<Group<'a>> {
    let mut groups: Vec<Group<'a>> = Vec::new();
    for n in items {
        let h = heading(&n.kind);
        match groups.iter_mut().find(|g| g.heading == h) {
            Some(g) => g.items.push(n),
            None => groups.push(Group {
                heading: h,
                items: vec![n],
            }),
        }
    }
    groups
}

/// The digest's text: an introduction, then each heading with its count and one line per
/// notification (subject, and the link made absolute by `absolute`).
pub fn text(intro: &str, groups: &[Group<'_>], absolute: impl Fn(&str) -> String) -> String {
    let mut out = String::from(intro);
    for g in groups {
        out.push_str(&format!("\n\n■ {}（{}）", g.heading, g.items.len()));
        for n in &g.items {
            out.push_str(&format!("\n· {}", n.subject));
            if !n.link.is_empty() {
                out.push_str(&format!("  {}", absolute(&n.link)));
            }
        }
    }
    out
}

/// Runs a `digest` job (payload `{"person": id, "day": "…"}`) in the runner's transaction:
/// queues one e-mail with the person's waiting unread notifications and takes them out of
/// the digest queue. Nothing waiting, or no address any more: no e-mail.
pub async fn run(
    state: &AppState,
    tx: &mut Tx,
    job: &Job,
    now: Timestamp,
) -> Result<(), JobFailure> {
    let person = job
        .payload
        .get("person")
        .and_then(serde_json::Value::as_i64)
        .map(PersonId)
        .ok_or_else(|| JobFailure::permanent("the job names no person"))?;
    let items = notifications::digest_items(tx, person).await?;
    let Some(last) = items.last() else {
        // Only read ones (if any) wait: they need no e-mail.
        notifications::clear_digest(tx, person, None).await?;
        return Ok(());
    };
    let upto = NotificationId(last.id);
    let r = notifications::get_recipient(tx, person).await?;
    let address = r.email.as_deref().filter(|a| !a.is_empty());
    if let (Some(address), true) = (address, state.channels().email && r.email_on) {
        let lang = r
            .locale
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_default();
        let catalog = state.catalogs.get(lang);
        let heading = |kind: &str| {
            let key = format!("inbox.kind.{kind}");
            match catalog.get(&key) {
                label if label == key => catalog.get("inbox.kind_other").to_string(),
                label => label.to_string(),
            }
        };
        let groups = group(&items, heading);
        let count = items.len().to_string();
        let subject = catalog.get("inbox.digest_subject").replace("{n}", &count);
        let intro = catalog.get("inbox.digest_intro").replace("{n}", &count);
        let body = text(&intro, &groups, |l| state.config.notify.absolute(l));
        let payload = serde_json::json!({
            "kind": "digest", "subject": subject, "body": body, "link": "/inbox",
        });
        notifications::queue_delivery(tx, now, None, "email", address, &payload).await?;
    }
    notifications::clear_digest(tx, person, Some(upto)).await?;
    Ok(())
}

/// Adds today's digest job (due at `digest_hour` local time, or at once if that has passed)
/// for everyone who wants one.
pub async fn schedule(state: &AppState, now: Timestamp) -> Result<u64, duban_store::StoreError> {
    let zone = state.config.timezone.clone();
    let day = now.to_zoned(zone.clone()).date();
    let hour = state.config.notify.digest_hour.clamp(0, 23);
    let due = day
        .at(hour, 0, 0, 0)
        .to_zoned(zone)
        .map(|z| z.timestamp())
        .unwrap_or(now);
    let mut tx = state.store.begin_write().await?;
    let n = notifications::schedule_digests(&mut tx, day, due, now).await?;
    tx.commit().await?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(id: i64, kind: &str, subject: &str, link: &str) -> Notification {
        Notification {
            id,
            person_id: 1,
            kind: kind.into(),
            subject: subject.into(),
            body: String::new(),
            link: link.into(),
            case_id: None,
            created_at: jiff::Timestamp::UNIX_EPOCH.into(),
            read_at: None,
        }
    }

    fn heading(kind: &str) -> String {
        match kind {
            "case.assign" => "交办".into(),
            "case.remind" | "case.urge" => "提醒与催办".into(),
            _ => "其他通知".into(),
        }
    }

    #[test]
    fn notifications_are_grouped_by_heading_in_order_of_first_appearance() {
        let items = [
            n(1, "case.remind", "A 到期", "/cases/1"),
            n(2, "case.assign", "B 交办", "/cases/2"),
            n(3, "case.urge", "A 催办", "/cases/1"),
            n(4, "something.new", "C", ""),
        ];
        let groups = group(&items, heading);
        let shape: Vec<(&str, Vec<i64>)> = groups
            .iter()
            .map(|g| (g.heading.as_str(), g.items.iter().map(|n| n.id).collect()))
            .collect();
        assert_eq!(
            shape,
            [
                ("提醒与催办", vec![1, 3]),
                ("交办", vec![2]),
                ("其他通知", vec![4])
            ]
        );
    }

    #[test]
    fn the_digest_lists_each_heading_with_its_count_and_absolute_links() {
        let items = [
            n(1, "case.remind", "A 到期", "/cases/1"),
            n(2, "case.urge", "A 催办", "/cases/1"),
            n(3, "other", "C", ""),
        ];
        let body = text(
            "您有 3 条未读通知：",
            &group(&items, heading),
            |l| format!("https://d.example{l}"),
        );
        assert_eq!(
            body,
            "您有 3 条未读通知：\n\n■ 提醒与催办（2）\n· A 到期  https://d.example/cases/1\n· A 催办  https://d.example/cases/1\n\n■ 其他通知（1）\n· C"
        );
    }

    #[test]
    fn nothing_to_group_is_no_group() {
        assert!(group(&[], heading).is_empty());
    }
}
