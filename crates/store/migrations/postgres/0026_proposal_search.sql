-- Suggestions and proposals in the global search (store::search): every word of a query must
-- occur in the item's number, title, content or the text of one of its replies. Replies are
-- rows of their own, so the searched text of an item is kept whole in `proposal_texts` (number,
-- title, content and every reply's body by round, joined by spaces — no query word holds a
-- space, so none spans two parts). store::proposals rewrites the row in the transaction that
-- registers the item or writes a reply draft; this migration fills it for the items already
-- there. A pg_trgm GIN index answers the ILIKE for words of three or more characters, as for
-- tasks and cases (migration 0007). SQLite keeps an FTS5 trigram table over the same column.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE proposal_texts (
    proposal_id  BIGINT PRIMARY KEY REFERENCES proposals (id),
    body         TEXT NOT NULL
);

INSERT INTO proposal_texts (proposal_id, body)
SELECT p.id,
       p.number || ' ' || p.title || ' ' || p.content || COALESCE(
           (SELECT ' ' || string_agg(r.body, ' ' ORDER BY r.round)
              FROM proposal_replies r WHERE r.proposal_id = p.id),
           '')
FROM proposals p;

CREATE INDEX proposal_texts_search_idx ON proposal_texts USING gin (body gin_trgm_ops);
