CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL);
INSERT INTO t(name, score) VALUES ('alpha', 1.5), ('beta', 2.25), ('gamma', 3.125);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 2000)
INSERT INTO t(name, score) SELECT printf('row%04d', i), i * 0.5 FROM n;
CREATE INDEX t_name ON t(name);
SELECT count(*), sum(score), min(name), max(name) FROM t;
SELECT name, score FROM t WHERE name LIKE 'row19%' ORDER BY score DESC LIMIT 3;
UPDATE t SET score = score * 2 WHERE id % 7 = 0;
DELETE FROM t WHERE id % 11 = 0;
SELECT count(*), total(score) FROM t;
PRAGMA integrity_check;
.mode json
SELECT id, name, score FROM t ORDER BY id LIMIT 2;
.output /data/out.txt
SELECT group_concat(name, ',') FROM (SELECT name FROM t ORDER BY id LIMIT 10);
.output stdout
VACUUM;
