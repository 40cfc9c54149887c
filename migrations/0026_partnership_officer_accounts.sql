ALTER TABLE "partnership_officers" ADD COLUMN "user_id" uuid;--> statement-breakpoint
ALTER TABLE "partnership_officers" ADD CONSTRAINT "partnership_officers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "partnership_officers_user_idx" ON "partnership_officers" USING btree ("user_id");