CREATE TABLE "accountable_leads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"role" text NOT NULL,
	"name" text NOT NULL,
	"role_title" text NOT NULL,
	"contact_email" text,
	"contact_url" text,
	"confirmed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "directory_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"uploaded_by" uuid,
	"filename" text NOT NULL,
	"content" text NOT NULL,
	"sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "organisation_identifiers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"scheme" text NOT NULL,
	"value" text NOT NULL,
	"org_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "public_body_type" text;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "govuk_type" text;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "parent_id" uuid;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "parent_slugs" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "nation" text;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "region" text;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "govuk_slug" text;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "gss_code" text;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "ods_code" text;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "status" text DEFAULT 'live' NOT NULL;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "local_authority_gss" text;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "income_band" text;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "areas_of_work" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "source" text;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "leads_reminded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english', coalesce(name, '')), 'A') || setweight(to_tsvector('simple', coalesce(name, '')), 'A') || setweight(to_tsvector('simple', coalesce(govuk_slug, '') || ' ' || coalesce(gss_code, '') || ' ' || coalesce(ods_code, '')), 'B')) STORED;--> statement-breakpoint
ALTER TABLE "accountable_leads" ADD CONSTRAINT "accountable_leads_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_identifiers" ADD CONSTRAINT "organisation_identifiers_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accountable_leads_role_idx" ON "accountable_leads" USING btree ("organisation_id","role");--> statement-breakpoint
CREATE UNIQUE INDEX "organisation_identifiers_org_id_idx" ON "organisation_identifiers" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "organisation_identifiers_organisation_idx" ON "organisation_identifiers" USING btree ("organisation_id");--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_parent_id_organisations_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."organisations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_govuk_slug_idx" ON "organisations" USING btree ("govuk_slug");--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_gss_code_idx" ON "organisations" USING btree ("gss_code");--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_ods_code_idx" ON "organisations" USING btree ("ods_code");--> statement-breakpoint
CREATE INDEX "organisations_search_idx" ON "organisations" USING gin ("search");--> statement-breakpoint
CREATE INDEX "organisations_name_prefix_idx" ON "organisations" USING btree (lower("name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "organisations_kind_name_idx" ON "organisations" USING btree ("kind","name");--> statement-breakpoint
CREATE INDEX "organisations_parent_idx" ON "organisations" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "organisations_areas_idx" ON "organisations" USING gin ("areas_of_work");