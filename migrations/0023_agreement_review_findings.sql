CREATE TABLE "standards_review_findings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"review_id" uuid NOT NULL,
	"rule" text NOT NULL,
	"start" integer NOT NULL,
	"end" integer NOT NULL,
	"text" text NOT NULL,
	"why" text NOT NULL,
	"confirmed" boolean NOT NULL,
	"note" text
);
--> statement-breakpoint
ALTER TABLE "standards_agreement_reviews" ADD COLUMN "reference" text;--> statement-breakpoint
ALTER TABLE "standards_review_findings" ADD CONSTRAINT "standards_review_findings_review_id_standards_agreement_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."standards_agreement_reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "standards_review_findings_review_idx" ON "standards_review_findings" USING btree ("review_id","start");