-- Full-text search (PostgreSQL): trigram indexes (pg_trgm) over the searchable text of tasks,
-- progress reports and cases. store::search asks `<the same expression> ILIKE '%word%'` per
-- word, which these GIN indexes answer for words of three or more characters (pg_trgm takes
-- CJK characters as word characters under a UTF-8 ctype such as C.UTF-8 or zh_CN.UTF-8); the
-- LIKE is rechecked on the row, so results never depend on the index. The expressions join
-- the columns with a space, which no query word contains, so a word never spans two columns.
-- pg_trgm is a trusted extension: a database owner may create it without superuser rights.
-- SQLite uses FTS5 tables with the trigram tokenizer for the same columns.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX tasks_search_idx ON tasks
    USING gin ((title || ' ' || content || ' ' || remark) gin_trgm_ops);
CREATE INDEX progress_reports_search_idx ON progress_reports
    USING gin ((progress_text || ' ' || problems || ' ' || next_steps || ' ' || coordination) gin_trgm_ops);
CREATE INDEX cases_search_idx ON cases
    USING gin ((title || ' ' || content) gin_trgm_ops);
