-- Claims only keep a redelivered activity from running twice within minutes (the records carry
-- their activity ids as well, and the reminders' claims are records in the sent-log): they need no
-- write-ahead log. Unlogged, a claim costs no WAL flush, which was a turn's second fsync; after a
-- crash of the database server the table starts empty, as it would after its claims expired.
ALTER TABLE claims SET UNLOGGED;
