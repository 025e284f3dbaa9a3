-- Full-text search (SQLite): FTS5 indexes over the searchable text of tasks, progress reports
-- and cases. The `trigram` tokenizer indexes every run of three characters, so a word matches
-- anywhere inside the text, Chinese needing no spaces (`工业用地` in `低效工业用地整治`).
-- The tables are external-content (`content=`): they keep only the index and read the text
-- from the base table; the triggers below keep them in step with every insert, update of a
-- searched column, and delete. Words of one or two characters have no trigram and are matched
-- with LIKE by store::search instead. PostgreSQL uses pg_trgm indexes for the same columns.

CREATE VIRTUAL TABLE search_tasks USING fts5 (
    title, content, remark,
    content = 'tasks', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER search_tasks_insert AFTER INSERT ON tasks BEGIN
    INSERT INTO search_tasks (rowid, title, content, remark)
    VALUES (new.id, new.title, new.content, new.remark);
END;
CREATE TRIGGER search_tasks_update AFTER UPDATE OF title, content, remark ON tasks BEGIN
    INSERT INTO search_tasks (search_tasks, rowid, title, content, remark)
    VALUES ('delete', old.id, old.title, old.content, old.remark);
    INSERT INTO search_tasks (rowid, title, content, remark)
    VALUES (new.id, new.title, new.content, new.remark);
END;
CREATE TRIGGER search_tasks_delete AFTER DELETE ON tasks BEGIN
    INSERT INTO search_tasks (search_tasks, rowid, title, content, remark)
    VALUES ('delete', old.id, old.title, old.content, old.remark);
END;
INSERT INTO search_tasks (search_tasks) VALUES ('rebuild');

CREATE VIRTUAL TABLE search_reports USING fts5 (
    progress_text, problems, next_steps, coordination,
    content = 'progress_reports', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER search_reports_insert AFTER INSERT ON progress_reports BEGIN
    INSERT INTO search_reports (rowid, progress_text, problems, next_steps, coordination)
    VALUES (new.id, new.progress_text, new.problems, new.next_steps, new.coordination);
END;
CREATE TRIGGER search_reports_update
AFTER UPDATE OF progress_text, problems, next_steps, coordination ON progress_reports BEGIN
    INSERT INTO search_reports (search_reports, rowid, progress_text, problems, next_steps, coordination)
    VALUES ('delete', old.id, old.progress_text, old.problems, old.next_steps, old.coordination);
    INSERT INTO search_reports (rowid, progress_text, problems, next_steps, coordination)
    VALUES (new.id, new.progress_text, new.problems, new.next_steps, new.coordination);
END;
CREATE TRIGGER search_reports_delete AFTER DELETE ON progress_reports BEGIN
    INSERT INTO search_reports (search_reports, rowid, progress_text, problems, next_steps, coordination)
    VALUES ('delete', old.id, old.progress_text, old.problems, old.next_steps, old.coordination);
END;
INSERT INTO search_reports (search_reports) VALUES ('rebuild');

CREATE VIRTUAL TABLE search_cases USING fts5 (
    title, content,
    content = 'cases', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER search_cases_insert AFTER INSERT ON cases BEGIN
    INSERT INTO search_cases (rowid, title, content) VALUES (new.id, new.title, new.content);
END;
CREATE TRIGGER search_cases_update AFTER UPDATE OF title, content ON cases BEGIN
    INSERT INTO search_cases (search_cases, rowid, title, content)
    VALUES ('delete', old.id, old.title, old.content);
    INSERT INTO search_cases (rowid, title, content) VALUES (new.id, new.title, new.content);
END;
CREATE TRIGGER search_cases_delete AFTER DELETE ON cases BEGIN
    INSERT INTO search_cases (search_cases, rowid, title, content)
    VALUES ('delete', old.id, old.title, old.content);
END;
INSERT INTO search_cases (search_cases) VALUES ('rebuild');
