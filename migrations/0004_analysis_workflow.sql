CREATE TABLE "analysis_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"set_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analysis_codings" (
	"item_id" uuid NOT NULL,
	"code_id" uuid NOT NULL,
	"analyst_id" uuid NOT NULL,
	"source" text NOT NULL,
	"confidence" real,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "analysis_codings_item_id_code_id_analyst_id_pk" PRIMARY KEY("item_id","code_id","analyst_id")
);
--> statement-breakpoint
CREATE TABLE "analysis_item_themes" (
	"run_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"theme_id" uuid NOT NULL,
	"rank" integer NOT NULL,
	"confidence" real,
	CONSTRAINT "analysis_item_themes_item_id_theme_id_pk" PRIMARY KEY("item_id","theme_id")
);
--> statement-breakpoint
CREATE TABLE "analysis_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"set_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"position" integer NOT NULL,
	"text" text NOT NULL,
	"sentiment" real,
	"language" text
);
--> statement-breakpoint
CREATE TABLE "analysis_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"set_id" uuid NOT NULL,
	"k" integer,
	"seed" integer NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"k_chosen" integer,
	"k_chosen_by" text,
	"engine_version" text NOT NULL,
	"requested_by" uuid,
	"queued_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"duration_ms" integer,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "analysis_sets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"source" text NOT NULL,
	"source_ref" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analysis_themes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"engine_id" text,
	"kind" text NOT NULL,
	"label" text NOT NULL,
	"renamed" boolean DEFAULT false NOT NULL,
	"key_phrases" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"quote_item_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"position" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "analysis_codes" ADD CONSTRAINT "analysis_codes_set_id_analysis_sets_id_fk" FOREIGN KEY ("set_id") REFERENCES "public"."analysis_sets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_codings" ADD CONSTRAINT "analysis_codings_item_id_analysis_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."analysis_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_codings" ADD CONSTRAINT "analysis_codings_code_id_analysis_codes_id_fk" FOREIGN KEY ("code_id") REFERENCES "public"."analysis_codes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_codings" ADD CONSTRAINT "analysis_codings_analyst_id_users_id_fk" FOREIGN KEY ("analyst_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_item_themes" ADD CONSTRAINT "analysis_item_themes_run_id_analysis_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."analysis_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_item_themes" ADD CONSTRAINT "analysis_item_themes_item_id_analysis_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."analysis_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_item_themes" ADD CONSTRAINT "analysis_item_themes_theme_id_analysis_themes_id_fk" FOREIGN KEY ("theme_id") REFERENCES "public"."analysis_themes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_items" ADD CONSTRAINT "analysis_items_set_id_analysis_sets_id_fk" FOREIGN KEY ("set_id") REFERENCES "public"."analysis_sets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_runs" ADD CONSTRAINT "analysis_runs_set_id_analysis_sets_id_fk" FOREIGN KEY ("set_id") REFERENCES "public"."analysis_sets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_runs" ADD CONSTRAINT "analysis_runs_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_sets" ADD CONSTRAINT "analysis_sets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_themes" ADD CONSTRAINT "analysis_themes_run_id_analysis_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."analysis_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "analysis_codes_name_idx" ON "analysis_codes" USING btree ("set_id",lower("name"));--> statement-breakpoint
CREATE INDEX "analysis_codings_analyst_idx" ON "analysis_codings" USING btree ("analyst_id","item_id");--> statement-breakpoint
CREATE INDEX "analysis_codings_code_idx" ON "analysis_codings" USING btree ("code_id");--> statement-breakpoint
CREATE INDEX "analysis_item_themes_theme_idx" ON "analysis_item_themes" USING btree ("theme_id");--> statement-breakpoint
CREATE INDEX "analysis_item_themes_run_idx" ON "analysis_item_themes" USING btree ("run_id","item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "analysis_items_external_idx" ON "analysis_items" USING btree ("set_id","external_id");--> statement-breakpoint
CREATE INDEX "analysis_items_position_idx" ON "analysis_items" USING btree ("set_id","position");--> statement-breakpoint
CREATE INDEX "analysis_runs_set_idx" ON "analysis_runs" USING btree ("set_id","queued_at");--> statement-breakpoint
CREATE INDEX "analysis_runs_status_idx" ON "analysis_runs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "analysis_sets_source_idx" ON "analysis_sets" USING btree ("source","source_ref");--> statement-breakpoint
CREATE INDEX "analysis_themes_run_idx" ON "analysis_themes" USING btree ("run_id","position");