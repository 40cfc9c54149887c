CREATE TABLE "covenant_change_citations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version_id" uuid NOT NULL,
	"paragraph_key" text,
	"reference" text NOT NULL,
	"url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "covenant_commitments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"principle_id" uuid NOT NULL,
	"sub_covenant_id" uuid,
	"side" text NOT NULL,
	"text" text NOT NULL,
	"source" text NOT NULL,
	"unverified" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "covenant_paragraphs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version_id" uuid NOT NULL,
	"key" text NOT NULL,
	"position" integer NOT NULL,
	"kind" text DEFAULT 'text' NOT NULL,
	"text" text NOT NULL,
	"commitment_id" uuid
);
--> statement-breakpoint
CREATE TABLE "covenant_pledges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"side" text NOT NULL,
	"text" text NOT NULL,
	"commitment_id" uuid,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "covenant_principles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"purpose" text NOT NULL,
	"source" text NOT NULL,
	"unverified" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "covenant_signature_pledges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"signature_id" uuid NOT NULL,
	"pledge_id" uuid,
	"text" text NOT NULL,
	"position" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "covenant_signatures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"sub_covenant_id" uuid,
	"signed_by" uuid,
	"signatory_name" text NOT NULL,
	"signatory_role" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"review_due_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "covenant_standards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"principle_id" uuid NOT NULL,
	"commitment_id" uuid,
	"title" text NOT NULL,
	"rule" text NOT NULL,
	"threshold" real,
	"unit" text,
	"evaluation" text NOT NULL,
	"source" text NOT NULL,
	"unverified" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "covenant_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" integer NOT NULL,
	"title" text NOT NULL,
	"status" text NOT NULL,
	"is_current" boolean DEFAULT false NOT NULL,
	"based_on_id" uuid,
	"change_summary" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"published_at" timestamp with time zone,
	"published_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sub_covenant_officers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sub_covenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"contact_route" text NOT NULL,
	"organisation_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sub_covenants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"mission" text,
	"department" text,
	"area_name" text,
	"area_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "covenant_change_citations" ADD CONSTRAINT "covenant_change_citations_version_id_covenant_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."covenant_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "covenant_commitments" ADD CONSTRAINT "covenant_commitments_principle_id_covenant_principles_id_fk" FOREIGN KEY ("principle_id") REFERENCES "public"."covenant_principles"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "covenant_commitments" ADD CONSTRAINT "covenant_commitments_sub_covenant_id_sub_covenants_id_fk" FOREIGN KEY ("sub_covenant_id") REFERENCES "public"."sub_covenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "covenant_paragraphs" ADD CONSTRAINT "covenant_paragraphs_version_id_covenant_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."covenant_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "covenant_paragraphs" ADD CONSTRAINT "covenant_paragraphs_commitment_id_covenant_commitments_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."covenant_commitments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "covenant_pledges" ADD CONSTRAINT "covenant_pledges_commitment_id_covenant_commitments_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."covenant_commitments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "covenant_signature_pledges" ADD CONSTRAINT "covenant_signature_pledges_signature_id_covenant_signatures_id_fk" FOREIGN KEY ("signature_id") REFERENCES "public"."covenant_signatures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "covenant_signature_pledges" ADD CONSTRAINT "covenant_signature_pledges_pledge_id_covenant_pledges_id_fk" FOREIGN KEY ("pledge_id") REFERENCES "public"."covenant_pledges"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "covenant_signatures" ADD CONSTRAINT "covenant_signatures_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "covenant_signatures" ADD CONSTRAINT "covenant_signatures_sub_covenant_id_sub_covenants_id_fk" FOREIGN KEY ("sub_covenant_id") REFERENCES "public"."sub_covenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "covenant_signatures" ADD CONSTRAINT "covenant_signatures_signed_by_users_id_fk" FOREIGN KEY ("signed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "covenant_standards" ADD CONSTRAINT "covenant_standards_principle_id_covenant_principles_id_fk" FOREIGN KEY ("principle_id") REFERENCES "public"."covenant_principles"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "covenant_standards" ADD CONSTRAINT "covenant_standards_commitment_id_covenant_commitments_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."covenant_commitments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "covenant_versions" ADD CONSTRAINT "covenant_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "covenant_versions" ADD CONSTRAINT "covenant_versions_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sub_covenant_officers" ADD CONSTRAINT "sub_covenant_officers_sub_covenant_id_sub_covenants_id_fk" FOREIGN KEY ("sub_covenant_id") REFERENCES "public"."sub_covenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sub_covenant_officers" ADD CONSTRAINT "sub_covenant_officers_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "covenant_change_citations_version_idx" ON "covenant_change_citations" USING btree ("version_id");--> statement-breakpoint
CREATE UNIQUE INDEX "covenant_commitments_code_idx" ON "covenant_commitments" USING btree ("code");--> statement-breakpoint
CREATE INDEX "covenant_commitments_principle_idx" ON "covenant_commitments" USING btree ("principle_id");--> statement-breakpoint
CREATE INDEX "covenant_commitments_sub_idx" ON "covenant_commitments" USING btree ("sub_covenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "covenant_paragraphs_version_key_idx" ON "covenant_paragraphs" USING btree ("version_id","key");--> statement-breakpoint
CREATE INDEX "covenant_paragraphs_key_idx" ON "covenant_paragraphs" USING btree ("key");--> statement-breakpoint
CREATE UNIQUE INDEX "covenant_pledges_code_idx" ON "covenant_pledges" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "covenant_principles_slug_idx" ON "covenant_principles" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "covenant_signature_pledges_sig_idx" ON "covenant_signature_pledges" USING btree ("signature_id");--> statement-breakpoint
CREATE UNIQUE INDEX "covenant_signatures_national_idx" ON "covenant_signatures" USING btree ("organisation_id") WHERE "covenant_signatures"."sub_covenant_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "covenant_signatures_sub_idx" ON "covenant_signatures" USING btree ("organisation_id","sub_covenant_id") WHERE "covenant_signatures"."sub_covenant_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "covenant_standards_code_idx" ON "covenant_standards" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "covenant_versions_number_idx" ON "covenant_versions" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "covenant_versions_one_current_idx" ON "covenant_versions" USING btree ("is_current") WHERE "covenant_versions"."is_current";--> statement-breakpoint
CREATE UNIQUE INDEX "covenant_versions_one_draft_idx" ON "covenant_versions" USING btree ("status") WHERE "covenant_versions"."status" = 'draft';--> statement-breakpoint
CREATE INDEX "sub_covenant_officers_sub_idx" ON "sub_covenant_officers" USING btree ("sub_covenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sub_covenants_slug_idx" ON "sub_covenants" USING btree ("slug");