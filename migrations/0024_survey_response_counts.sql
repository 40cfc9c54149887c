CREATE TABLE "survey_response_counts" (
	"edition_id" uuid NOT NULL,
	"organisation_type" text NOT NULL,
	"income_band" text NOT NULL,
	"nation" text NOT NULL,
	"region" text NOT NULL,
	"role" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "survey_response_counts_pk" PRIMARY KEY("edition_id","organisation_type","income_band","nation","region","role")
);
--> statement-breakpoint
ALTER TABLE "survey_response_counts" ADD CONSTRAINT "survey_response_counts_edition_id_survey_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."survey_editions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Respondents already stored, counted once (later submissions add to these rows).
INSERT INTO "survey_response_counts" ("edition_id","organisation_type","income_band","nation","region","role","n")
SELECT "edition_id","organisation_type","income_band","nation","region","role",count(*)::int
FROM "survey_responses" GROUP BY 1, 2, 3, 4, 5, 6;
