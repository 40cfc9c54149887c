CREATE TABLE "consultation_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"consultation_id" uuid NOT NULL,
	"response_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"paragraph_key" text NOT NULL,
	"stance" text NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"suggested_text" text,
	"moderation" text DEFAULT 'pending' NOT NULL,
	"published_comment" text,
	"published_suggested_text" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consultation_principle_views" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"response_id" uuid NOT NULL,
	"principle_id" uuid NOT NULL,
	"view" text NOT NULL,
	"comment" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consultation_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"consultation_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"reference" text NOT NULL,
	"respondent_type" text,
	"organisation_name" text,
	"organisation_type" text,
	"organisation_size" text,
	"respondent_name" text,
	"respondent_email" text,
	"respondent_user_id" uuid,
	"consent" text,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"resume_token_hash" text,
	"moderation" text DEFAULT 'pending' NOT NULL,
	"moderation_note" text,
	"moderated_by" uuid,
	"moderated_at" timestamp with time zone,
	"published_text" jsonb,
	"search" "tsvector",
	"submitted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consultations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"how_responses_used" text NOT NULL,
	"version_id" uuid NOT NULL,
	"sub_covenant_id" uuid,
	"opens_on" date NOT NULL,
	"closes_on" date NOT NULL,
	"short_period_reason" text,
	"questions" jsonb DEFAULT '{"sections":[]}'::jsonb NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"response_published_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "consultation_comments" ADD CONSTRAINT "consultation_comments_consultation_id_consultations_id_fk" FOREIGN KEY ("consultation_id") REFERENCES "public"."consultations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_comments" ADD CONSTRAINT "consultation_comments_response_id_consultation_responses_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."consultation_responses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_comments" ADD CONSTRAINT "consultation_comments_version_id_covenant_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."covenant_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_principle_views" ADD CONSTRAINT "consultation_principle_views_response_id_consultation_responses_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."consultation_responses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_principle_views" ADD CONSTRAINT "consultation_principle_views_principle_id_covenant_principles_id_fk" FOREIGN KEY ("principle_id") REFERENCES "public"."covenant_principles"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_responses" ADD CONSTRAINT "consultation_responses_consultation_id_consultations_id_fk" FOREIGN KEY ("consultation_id") REFERENCES "public"."consultations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_responses" ADD CONSTRAINT "consultation_responses_respondent_user_id_users_id_fk" FOREIGN KEY ("respondent_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_responses" ADD CONSTRAINT "consultation_responses_moderated_by_users_id_fk" FOREIGN KEY ("moderated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_version_id_covenant_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."covenant_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_sub_covenant_id_sub_covenants_id_fk" FOREIGN KEY ("sub_covenant_id") REFERENCES "public"."sub_covenants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "consultation_comments_response_key_idx" ON "consultation_comments" USING btree ("response_id","paragraph_key");--> statement-breakpoint
CREATE INDEX "consultation_comments_key_idx" ON "consultation_comments" USING btree ("consultation_id","paragraph_key");--> statement-breakpoint
CREATE UNIQUE INDEX "consultation_principle_views_idx" ON "consultation_principle_views" USING btree ("response_id","principle_id");--> statement-breakpoint
CREATE INDEX "consultation_responses_status_idx" ON "consultation_responses" USING btree ("consultation_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "consultation_responses_reference_idx" ON "consultation_responses" USING btree ("reference");--> statement-breakpoint
CREATE UNIQUE INDEX "consultation_responses_token_idx" ON "consultation_responses" USING btree ("resume_token_hash");--> statement-breakpoint
CREATE INDEX "consultation_responses_public_idx" ON "consultation_responses" USING btree ("consultation_id","submitted_at") WHERE moderation = 'published' and consent <> 'none' and status = 'submitted';--> statement-breakpoint
CREATE INDEX "consultation_responses_search_idx" ON "consultation_responses" USING gin ("search") WHERE moderation = 'published' and consent <> 'none' and status = 'submitted';--> statement-breakpoint
CREATE INDEX "consultation_responses_moderation_idx" ON "consultation_responses" USING btree ("consultation_id","moderation","submitted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "consultations_slug_idx" ON "consultations" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "consultations_status_idx" ON "consultations" USING btree ("status","closes_on");