DROP INDEX "consultation_comments_key_idx";--> statement-breakpoint
DROP INDEX "consultation_responses_status_idx";--> statement-breakpoint
CREATE INDEX "consultation_comments_key_idx" ON "consultation_comments" USING btree ("consultation_id","paragraph_key","created_at");--> statement-breakpoint
CREATE INDEX "consultation_responses_status_idx" ON "consultation_responses" USING btree ("consultation_id","status","submitted_at");