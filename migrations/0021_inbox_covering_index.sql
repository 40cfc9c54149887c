-- The body inbox (issue 4): its default and "oldest" orders within a body and its filtered counts. The
-- index carries the columns the inbox filters on, so a busy body's count under a filter (state, category,
-- assignee, deadline, reference) is an index-only scan rather than one heap page per case, and a page of
-- results reads only the 25 rows it shows. Ascending, so a backward scan gives "newest first".
-- Hand-written because drizzle cannot declare INCLUDE (see cases.tables.ts).
CREATE INDEX IF NOT EXISTS "cases_inbox_cover_idx" ON "cases" USING btree ("body_id", "submitted_at", "id")
  INCLUDE ("state", "category", "assignee_user_id", "clock_nation", "next_due_on", "reference");
--> statement-breakpoint
-- A body's cases are assigned to that body's own staff, so body and assignee are far from independent:
-- without these statistics PostgreSQL guesses "my cases" in a busy body at a few dozen rows and picks a
-- bitmap plan that reads every one of the body's heap pages.
CREATE STATISTICS IF NOT EXISTS "cases_body_assignee_stats" (dependencies, ndistinct) ON "body_id", "assignee_user_id" FROM "cases";
