CREATE TABLE "register_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"reference" text NOT NULL,
	"body_id" uuid,
	"body_name" text NOT NULL,
	"body_slug" text,
	"commitment_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"commitments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"category" text NOT NULL,
	"outcome" text,
	"panel_outcome" text,
	"submitted_on" date NOT NULL,
	"closed_on" date NOT NULL,
	"year" integer NOT NULL,
	"timeline" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"draft" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"pub_title" text,
	"pub_summary" text,
	"pub_response" text,
	"pub_determination" text,
	"published_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"reason" text,
	"withdrawn_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('simple', coalesce(reference, '')), 'A') || setweight(to_tsvector('english', coalesce(pub_title, '')), 'A') || setweight(to_tsvector('english', coalesce(body_name, '') || ' ' || coalesce(pub_summary, '')), 'B') || setweight(to_tsvector('english', coalesce(pub_response, '') || ' ' || coalesce(pub_determination, '')), 'C')) STORED,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "register_entries" ADD CONSTRAINT "register_entries_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "register_entries" ADD CONSTRAINT "register_entries_body_id_organisations_id_fk" FOREIGN KEY ("body_id") REFERENCES "public"."organisations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "register_entries" ADD CONSTRAINT "register_entries_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "register_entries_case_idx" ON "register_entries" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "register_entries_search_idx" ON "register_entries" USING gin ("search") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "register_entries_published_idx" ON "register_entries" USING btree ("published_at","id") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "register_entries_body_idx" ON "register_entries" USING btree ("body_slug","published_at") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "register_entries_commitments_idx" ON "register_entries" USING gin ("commitment_codes") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "register_entries_outcome_idx" ON "register_entries" USING btree ("outcome","published_at") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "register_entries_year_idx" ON "register_entries" USING btree ("year","published_at") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "register_entries_status_idx" ON "register_entries" USING btree ("status","created_at");