CREATE TABLE "consultation_analysis_counts" (
	"consultation_id" uuid NOT NULL,
	"dimension" text NOT NULL,
	"key" text NOT NULL,
	"bucket" text DEFAULT '' NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "consultation_analysis_counts_consultation_id_dimension_key_bucket_pk" PRIMARY KEY("consultation_id","dimension","key","bucket")
);
--> statement-breakpoint
CREATE TABLE "consultation_analysis_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"consultation_id" uuid NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"requested_by" uuid,
	"queued_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"responses" integer,
	"comments" integer,
	"duration_ms" integer,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "consultation_government_responses" (
	"consultation_id" uuid PRIMARY KEY NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"next_version_id" uuid,
	"published_at" timestamp with time zone,
	"published_by" uuid,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consultation_response_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"consultation_id" uuid NOT NULL,
	"paragraph_key" text,
	"theme_id" uuid,
	"theme_label" text,
	"heard" text NOT NULL,
	"changed" text NOT NULL,
	"new_text" text,
	"position" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consultation_tags" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"consultation_id" uuid NOT NULL,
	"response_id" uuid NOT NULL,
	"tag" text NOT NULL,
	"tagged_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consultation_theme_members" (
	"theme_id" uuid NOT NULL,
	"response_id" uuid NOT NULL,
	"comment_id" uuid,
	"position" integer NOT NULL,
	CONSTRAINT "consultation_theme_members_theme_id_position_pk" PRIMARY KEY("theme_id","position")
);
--> statement-breakpoint
CREATE TABLE "consultation_themes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"consultation_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"scope" text NOT NULL,
	"scope_key" text NOT NULL,
	"label" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"kind" text DEFAULT 'topic' NOT NULL,
	"size" integer NOT NULL,
	"quotes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"position" integer NOT NULL,
	"run_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "consultation_analysis_counts" ADD CONSTRAINT "consultation_analysis_counts_consultation_id_consultations_id_fk" FOREIGN KEY ("consultation_id") REFERENCES "public"."consultations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_analysis_runs" ADD CONSTRAINT "consultation_analysis_runs_consultation_id_consultations_id_fk" FOREIGN KEY ("consultation_id") REFERENCES "public"."consultations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_analysis_runs" ADD CONSTRAINT "consultation_analysis_runs_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_government_responses" ADD CONSTRAINT "consultation_government_responses_consultation_id_consultations_id_fk" FOREIGN KEY ("consultation_id") REFERENCES "public"."consultations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_government_responses" ADD CONSTRAINT "consultation_government_responses_next_version_id_covenant_versions_id_fk" FOREIGN KEY ("next_version_id") REFERENCES "public"."covenant_versions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_government_responses" ADD CONSTRAINT "consultation_government_responses_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_response_entries" ADD CONSTRAINT "consultation_response_entries_consultation_id_consultations_id_fk" FOREIGN KEY ("consultation_id") REFERENCES "public"."consultations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_response_entries" ADD CONSTRAINT "consultation_response_entries_theme_id_consultation_themes_id_fk" FOREIGN KEY ("theme_id") REFERENCES "public"."consultation_themes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_tags" ADD CONSTRAINT "consultation_tags_consultation_id_consultations_id_fk" FOREIGN KEY ("consultation_id") REFERENCES "public"."consultations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_tags" ADD CONSTRAINT "consultation_tags_response_id_consultation_responses_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."consultation_responses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_tags" ADD CONSTRAINT "consultation_tags_tagged_by_users_id_fk" FOREIGN KEY ("tagged_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_theme_members" ADD CONSTRAINT "consultation_theme_members_theme_id_consultation_themes_id_fk" FOREIGN KEY ("theme_id") REFERENCES "public"."consultation_themes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_themes" ADD CONSTRAINT "consultation_themes_consultation_id_consultations_id_fk" FOREIGN KEY ("consultation_id") REFERENCES "public"."consultations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_themes" ADD CONSTRAINT "consultation_themes_run_id_consultation_analysis_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."consultation_analysis_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consultation_analysis_runs_idx" ON "consultation_analysis_runs" USING btree ("consultation_id","queued_at");--> statement-breakpoint
CREATE INDEX "consultation_analysis_runs_status_idx" ON "consultation_analysis_runs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "consultation_response_entries_idx" ON "consultation_response_entries" USING btree ("consultation_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "consultation_tags_response_tag_idx" ON "consultation_tags" USING btree ("response_id","tag");--> statement-breakpoint
CREATE INDEX "consultation_tags_tag_idx" ON "consultation_tags" USING btree ("consultation_id","tag");--> statement-breakpoint
CREATE INDEX "consultation_themes_scope_idx" ON "consultation_themes" USING btree ("consultation_id","scope","scope_key","position");