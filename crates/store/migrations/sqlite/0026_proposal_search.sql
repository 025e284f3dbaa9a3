-- Suggestions and proposals in the global search (store::search): every word of a query must
-- occur in the item's number, title, content or the text of one of its replies. Replies are
-- rows of their own, so the searched text of an item is kept whole in `proposal_texts` (number,
-- title, content and every reply's body by round, joined by spaces — no query word holds a
-- space, so none spans two parts). store::proposals rewrites the row in the transaction that
-- registers the item or writes a reply draft; this migration fills it for the items already
-- there. As for tasks and cases, an external-content FTS5 trigram table narrows the rows the
-- LIKE is checked on (words of three or more characters), kept current by triggers.
-- PostgreSQL indexes the same column with pg_trgm.

CREATE TABLE proposal_texts (
    proposal_id  INTEGER PRIMARY KEY REFERENCES proposals (id),
    body         TEXT NOT NULL
);

INSERT INTO proposal_texts (proposal_id, body)
SELECT p.id,
       p.number || ' ' || p.title || ' ' || p.content || COALESCE(
           (SELECT ' ' || group_concat(r.body, ' ')
              FROM proposal_replies r WHERE r.proposal_id = p.id),
           '')
FROM proposals p;

CREATE VIRTUAL TABLE search_proposals USING fts5 (
    body,
    content = 'proposal_texts', content_rowid = 'proposal_id', tokenize = 'trigram'
);
CREATE TRIGGER search_proposals_insert AFTER INSERT ON proposal_texts BEGIN
    INSERT INTO search_proposals (rowid, body) VALUES (new.proposal_id, new.body);
END;
CREATE TRIGGER search_proposals_update AFTER UPDATE OF body ON proposal_texts BEGIN
    INSERT INTO search_proposals (search_proposals, rowid, body)
    VALUES ('delete', old.proposal_id, old.body);
    INSERT INTO search_proposals (rowid, body) VALUES (new.proposal_id, new.body);
END;
CREATE TRIGGER search_proposals_delete AFTER DELETE ON proposal_texts BEGIN
    INSERT INTO search_proposals (search_proposals, rowid, body)
    VALUES ('delete', old.proposal_id, old.body);
END;
INSERT INTO search_proposals (search_proposals) VALUES ('rebuild');
