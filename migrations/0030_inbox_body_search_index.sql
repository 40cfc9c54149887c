-- The body inbox's word search (issue 4). cases_search_idx answers "which cases contain these words" for
-- every body at once, so a search in one body's inbox read the words' whole posting lists (150,000 cases for
-- common words in a million) before keeping the body's few hundred. This index adds to each case's words a
-- lexeme naming its body ('b' and the body's id without dashes; 'bnone' in triage), so the query
-- "body & words" is answered inside the index, which skips through the longer lists guided by the shorter.
-- The expression must stay the same as bodySearchVector in src/modules/cases/cases.inbox.repository.ts.
CREATE INDEX IF NOT EXISTS "cases_body_search_idx" ON "cases" USING gin (
  ("search" || array_to_tsvector(array['b' || coalesce(replace("body_id"::text, '-', ''), 'none')]))
);
