-- One secret iCalendar feed URL per user (issue 17): the secret is the only
-- credential of GET /api/calendar/feeds/<secret>.ics, so calendar apps can
-- subscribe without a login. Rotating replaces it; the old URL then answers 404.

CREATE TABLE calendar_feeds (
  user_id uuid PRIMARY KEY REFERENCES users (id),
  secret text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL
);
