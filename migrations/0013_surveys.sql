CREATE TABLE "survey_answer_counts" (
	"edition_id" uuid NOT NULL,
	"question_id" uuid NOT NULL,
	"question_key" text NOT NULL,
	"option" text NOT NULL,
	"body_key" text NOT NULL,
	"organisation_type" text NOT NULL,
	"income_band" text NOT NULL,
	"nation" text NOT NULL,
	"region" text NOT NULL,
	"role" text NOT NULL,
	"n" integer NOT NULL,
	"sum_value" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "survey_answer_counts_pk" PRIMARY KEY("question_id","body_key","option","organisation_type","income_band","nation","region","role")
);
--> statement-breakpoint
CREATE TABLE "survey_answers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"response_id" uuid NOT NULL,
	"edition_id" uuid NOT NULL,
	"question_id" uuid NOT NULL,
	"question_key" text NOT NULL,
	"choice" text,
	"body_id" uuid,
	"rating" smallint,
	"number_value" double precision,
	"text_value" text
);
--> statement-breakpoint
CREATE TABLE "survey_drafts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"edition_id" uuid NOT NULL,
	"invitation_id" uuid,
	"resume_token_hash" text NOT NULL,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"visited" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_editions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"year" integer NOT NULL,
	"title" text NOT NULL,
	"intro" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"published_at" timestamp with time zone,
	"results_published_at" timestamp with time zone,
	"results_summary" text DEFAULT '' NOT NULL,
	"open_link" boolean DEFAULT true NOT NULL,
	"copied_from_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"edition_id" uuid NOT NULL,
	"email" text NOT NULL,
	"token_hash" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"reminder_count" integer DEFAULT 0 NOT NULL,
	"last_reminded_at" timestamp with time zone,
	"used_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_published_figures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"edition_id" uuid NOT NULL,
	"question_key" text NOT NULL,
	"breakdown" text NOT NULL,
	"group_value" text NOT NULL,
	"option" text NOT NULL,
	"n" integer,
	"base" integer,
	"suppressed" text NOT NULL,
	"percent" double precision,
	"lower" double precision,
	"upper" double precision,
	"position" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_questions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"edition_id" uuid NOT NULL,
	"section_id" uuid NOT NULL,
	"key" text NOT NULL,
	"position" integer NOT NULL,
	"type" text NOT NULL,
	"text" text NOT NULL,
	"help" text,
	"required" boolean DEFAULT false NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"show_if" jsonb,
	"principle_id" uuid,
	"sign_key" text,
	"retired_at" timestamp with time zone,
	"replaces_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"edition_id" uuid NOT NULL,
	"organisation_type" text NOT NULL,
	"income_band" text NOT NULL,
	"nation" text NOT NULL,
	"region" text NOT NULL,
	"role" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_sections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"edition_id" uuid NOT NULL,
	"key" text NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"intro" text,
	"show_if" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "survey_answer_counts" ADD CONSTRAINT "survey_answer_counts_question_id_survey_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."survey_questions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_response_id_survey_responses_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."survey_responses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_question_id_survey_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."survey_questions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_body_id_organisations_id_fk" FOREIGN KEY ("body_id") REFERENCES "public"."organisations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_drafts" ADD CONSTRAINT "survey_drafts_edition_id_survey_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."survey_editions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_drafts" ADD CONSTRAINT "survey_drafts_invitation_id_survey_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."survey_invitations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_invitations" ADD CONSTRAINT "survey_invitations_edition_id_survey_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."survey_editions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_invitations" ADD CONSTRAINT "survey_invitations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_published_figures" ADD CONSTRAINT "survey_published_figures_edition_id_survey_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."survey_editions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_questions" ADD CONSTRAINT "survey_questions_edition_id_survey_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."survey_editions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_questions" ADD CONSTRAINT "survey_questions_section_id_survey_sections_id_fk" FOREIGN KEY ("section_id") REFERENCES "public"."survey_sections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_questions" ADD CONSTRAINT "survey_questions_principle_id_covenant_principles_id_fk" FOREIGN KEY ("principle_id") REFERENCES "public"."covenant_principles"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_edition_id_survey_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."survey_editions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_sections" ADD CONSTRAINT "survey_sections_edition_id_survey_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."survey_editions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "survey_answer_counts_key_idx" ON "survey_answer_counts" USING btree ("question_key");--> statement-breakpoint
CREATE INDEX "survey_answers_question_idx" ON "survey_answers" USING btree ("question_id");--> statement-breakpoint
CREATE INDEX "survey_answers_response_idx" ON "survey_answers" USING btree ("response_id");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_drafts_token_idx" ON "survey_drafts" USING btree ("resume_token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_drafts_invitation_idx" ON "survey_drafts" USING btree ("invitation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_editions_year_idx" ON "survey_editions" USING btree ("year");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_invitations_token_idx" ON "survey_invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_invitations_email_idx" ON "survey_invitations" USING btree ("edition_id",lower("email"));--> statement-breakpoint
CREATE INDEX "survey_invitations_pending_idx" ON "survey_invitations" USING btree ("edition_id","status");--> statement-breakpoint
CREATE INDEX "survey_published_figures_edition_idx" ON "survey_published_figures" USING btree ("edition_id","question_key");--> statement-breakpoint
CREATE INDEX "survey_published_figures_body_idx" ON "survey_published_figures" USING btree ("breakdown","group_value");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_questions_key_idx" ON "survey_questions" USING btree ("edition_id","key");--> statement-breakpoint
CREATE INDEX "survey_questions_section_idx" ON "survey_questions" USING btree ("section_id");--> statement-breakpoint
CREATE INDEX "survey_responses_edition_idx" ON "survey_responses" USING btree ("edition_id");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_sections_key_idx" ON "survey_sections" USING btree ("edition_id","key");