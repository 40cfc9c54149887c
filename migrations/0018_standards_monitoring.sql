CREATE TABLE "standards_agreement_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"body_id" uuid NOT NULL,
	"title" text NOT NULL,
	"text" text NOT NULL,
	"reviewed_on" date NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "standards_consultations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"body_id" uuid NOT NULL,
	"title" text NOT NULL,
	"url" text,
	"opens_on" date NOT NULL,
	"closes_on" date NOT NULL,
	"response_published_on" date,
	"short_reason" text,
	"late_response_reason" text,
	"source" text DEFAULT 'form' NOT NULL,
	"external_id" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "standards_funding_agreements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"funder_body_id" uuid NOT NULL,
	"title" text NOT NULL,
	"recipient_name" text NOT NULL,
	"recipient_identifier" text,
	"recipient_organisation_id" uuid,
	"amount_pence" bigint NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"multi_year_possible" boolean DEFAULT false NOT NULL,
	"overheads_allowed" boolean DEFAULT true NOT NULL,
	"payment_timing" text DEFAULT 'advance' NOT NULL,
	"advance_needed" boolean DEFAULT false NOT NULL,
	"source" text DEFAULT 'form' NOT NULL,
	"external_id" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "standards_funding_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agreement_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"notice_on" date NOT NULL,
	"effective_on" date NOT NULL,
	"reason" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "standards_agreement_reviews" ADD CONSTRAINT "standards_agreement_reviews_body_id_organisations_id_fk" FOREIGN KEY ("body_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "standards_agreement_reviews" ADD CONSTRAINT "standards_agreement_reviews_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "standards_consultations" ADD CONSTRAINT "standards_consultations_body_id_organisations_id_fk" FOREIGN KEY ("body_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "standards_consultations" ADD CONSTRAINT "standards_consultations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "standards_funding_agreements" ADD CONSTRAINT "standards_funding_agreements_funder_body_id_organisations_id_fk" FOREIGN KEY ("funder_body_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "standards_funding_agreements" ADD CONSTRAINT "standards_funding_agreements_recipient_organisation_id_organisations_id_fk" FOREIGN KEY ("recipient_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "standards_funding_agreements" ADD CONSTRAINT "standards_funding_agreements_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "standards_funding_changes" ADD CONSTRAINT "standards_funding_changes_agreement_id_standards_funding_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."standards_funding_agreements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "standards_funding_changes" ADD CONSTRAINT "standards_funding_changes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "standards_agreement_reviews_body_idx" ON "standards_agreement_reviews" USING btree ("body_id","reviewed_on");--> statement-breakpoint
CREATE INDEX "standards_consultations_body_idx" ON "standards_consultations" USING btree ("body_id","closes_on");--> statement-breakpoint
CREATE UNIQUE INDEX "standards_consultations_external_idx" ON "standards_consultations" USING btree ("body_id","external_id");--> statement-breakpoint
CREATE INDEX "standards_funding_funder_idx" ON "standards_funding_agreements" USING btree ("funder_body_id","starts_on");--> statement-breakpoint
CREATE UNIQUE INDEX "standards_funding_external_idx" ON "standards_funding_agreements" USING btree ("funder_body_id","external_id");--> statement-breakpoint
CREATE INDEX "standards_funding_changes_agreement_idx" ON "standards_funding_changes" USING btree ("agreement_id","notice_on");