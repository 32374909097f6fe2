-- The IANA time zone a task's recurrence is evaluated in: the owner's zone
-- when the task was created, copied to every occurrence of its series.
-- Existing tasks keep the UTC clock they were evaluated on until now.

ALTER TABLE tasks ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC';
