DROP INDEX "cases_body_submitted_idx";--> statement-breakpoint
CREATE INDEX "cases_body_submitted_idx" ON "cases" USING btree ("body_id","submitted_at","id");