//! Replies on the public portal: a signed reply is public when its item's lead proposer, rating
//! it, agreed to publish it (同意公开, `proposal_ratings.publish`), and that rating is the lead
//! proposer's latest (a later reply rated without consent takes the item off the portal). The
//! rows carry what the public reads — number, title, the replying unit, the reply's class and
//! text, the day it was signed — and nothing about people: no proposer, co-signer, contact,
//! rating or comment.

use crate::{Param, Sql, StoreError, Tx, search};
use duban_core::proposals::kind::Kind;
use duban_core::search::Terms;
use jiff::civil::Date;

/// A published reply.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublishedRow {
    /// The item's id.
    pub id: i64,
    pub year: i64,
    pub kind: String,
    pub number: String,
    pub title: String,
    /// The unit that replied (the lead unit).
    pub unit_name: String,
    pub round: i64,
    /// The class in force: as reviewed, else as drafted.
    pub class: String,
    pub body: String,
    pub signed_on: jiff_sqlx::Date,
}

impl PublishedRow {
    pub fn signed(&self) -> Date {
        self.signed_on.to_jiff()
    }
}

/// Which published replies, newest first.
#[derive(Debug, Clone, Default)]
pub struct PublishedFilter {
    pub year: Option<i16>,
    pub kind: Option<Kind>,
    /// Only this item.
    pub id: Option<i64>,
    /// Only replies whose number, title or text hold every word (the portal's search). The
    /// proposals' search index (`proposal_texts`, migration 0026) narrows the items first;
    /// the words are then checked on the published round's own text only, so an unpublished
    /// round or the item's content never makes a reply match.
    pub terms: Option<Terms>,
    pub limit: i64,
    pub offset: i64,
}

const FROM: &str = "FROM proposals p
     JOIN proposal_ratings g ON g.proposal_id = p.id AND g.person_id = p.proposer_id
     JOIN proposal_replies r ON r.proposal_id = p.id AND r.round = g.round
     JOIN units u ON u.id = r.unit_id
     WHERE g.publish AND r.signed_on IS NOT NULL
       AND g.round = (SELECT MAX(g2.round) FROM proposal_ratings g2
                      WHERE g2.proposal_id = p.id AND g2.person_id = p.proposer_id)";

/// A page of published replies, the most recently signed first, and how many there are.
pub async fn list(
    tx: &mut Tx,
    f: &PublishedFilter,
) -> Result<(Vec<PublishedRow>, i64), StoreError> {
    let mut w = String::new();
    let mut params: Vec<Param> = Vec::new();
    if let Some(y) = f.year {
        params.push(i64::from(y).into());
        w.push_str(&format!(" AND p.year = ${}", params.len()));
    }
    if let Some(k) = f.kind {
        params.push(k.as_str().into());
        w.push_str(&format!(" AND p.kind = ${}", params.len()));
    }
    if let Some(id) = f.id {
        params.push(id.into());
        w.push_str(&format!(" AND p.id = ${}", params.len()));
    }
    if let Some(terms) = &f.terms {
        w.push_str(&search::proposals_holding(tx.backend(), terms, &mut params));
        let (like, escape) = search::like_operator(tx.backend());
        for word in terms.words() {
            params.push(search::like_pattern(word).into());
            w.push_str(&format!(
                " AND (p.number || ' ' || p.title || ' ' || r.body) {like} ${}{escape}",
                params.len()
            ));
        }
    }
    let n = params.len();
    let rows: Vec<PublishedRow> = Sql::with_params(
        format!(
            "SELECT p.id, p.year, p.kind, p.number, p.title, u.name AS unit_name, r.round,
                    COALESCE(r.reviewed_class, r.class) AS class, r.body, r.signed_on
             {FROM}{w}
             ORDER BY r.signed_on DESC, p.id DESC LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        ),
        params.clone(),
    )
    .bind(f.limit.max(1))
    .bind(f.offset.max(0))
    .fetch_all(tx)
    .await?;
    let (total,): (i64,) = Sql::with_params(format!("SELECT COUNT(*) {FROM}{w}"), params)
        .fetch_one(tx)
        .await?;
    Ok((rows, total))
}

/// One item's published reply, if it has one.
pub async fn get(tx: &mut Tx, id: i64) -> Result<Option<PublishedRow>, StoreError> {
    let f = PublishedFilter {
        id: Some(id),
        limit: 1,
        ..PublishedFilter::default()
    };
    Ok(list(tx, &f).await?.0.into_iter().next())
}
