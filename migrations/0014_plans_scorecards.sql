CREATE TABLE "action_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"body_id" uuid NOT NULL,
	"title" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"summary" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"returned_reason" text,
	"submitted_at" timestamp with time zone,
	"submitted_by" uuid,
	"signed_off_at" timestamp with time zone,
	"signed_off_by" uuid,
	"published_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "plan_actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"ref" text NOT NULL,
	"commitment_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"owner" text NOT NULL,
	"due_on" date NOT NULL,
	"status" text DEFAULT 'not_started' NOT NULL,
	"progress_override" integer,
	"weight" integer DEFAULT 1 NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "plan_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"action_id" uuid,
	"author_user_id" uuid,
	"author_part" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_evidence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"action_id" uuid NOT NULL,
	"title" text NOT NULL,
	"url" text NOT NULL,
	"added_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_milestones" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"action_id" uuid NOT NULL,
	"title" text NOT NULL,
	"due_on" date NOT NULL,
	"completed_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_update_items" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"update_id" uuid NOT NULL,
	"action_id" uuid NOT NULL,
	"from_status" text NOT NULL,
	"to_status" text NOT NULL,
	"from_progress" integer,
	"to_progress" integer,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "plan_updates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"quarter" text NOT NULL,
	"summary" text,
	"source" text NOT NULL,
	"total_progress" real,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scorecard_case_facts" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"body_id" uuid,
	"year" integer NOT NULL,
	"commitment_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"acknowledge" text NOT NULL,
	"acknowledge_due" date,
	"respond" text NOT NULL,
	"respond_due" date,
	"upheld" boolean,
	"escalated" boolean NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scorecard_facts" (
	"scope" text NOT NULL,
	"scope_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"cases" integer DEFAULT 0 NOT NULL,
	"acknowledged_on_time" integer DEFAULT 0 NOT NULL,
	"acknowledge_decided" integer DEFAULT 0 NOT NULL,
	"answered_on_time" integer DEFAULT 0 NOT NULL,
	"answer_decided" integer DEFAULT 0 NOT NULL,
	"upheld" integer DEFAULT 0 NOT NULL,
	"outcomes_decided" integer DEFAULT 0 NOT NULL,
	"escalated" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "scorecard_facts_scope_scope_id_year_pk" PRIMARY KEY("scope","scope_id","year")
);
--> statement-breakpoint
CREATE TABLE "scorecard_state" (
	"key" text PRIMARY KEY NOT NULL,
	"value" bigint NOT NULL,
	"updated_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "action_plans" ADD CONSTRAINT "action_plans_body_id_organisations_id_fk" FOREIGN KEY ("body_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plans" ADD CONSTRAINT "action_plans_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plans" ADD CONSTRAINT "action_plans_signed_off_by_users_id_fk" FOREIGN KEY ("signed_off_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plans" ADD CONSTRAINT "action_plans_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_actions" ADD CONSTRAINT "plan_actions_plan_id_action_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."action_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_actions" ADD CONSTRAINT "plan_actions_commitment_id_covenant_commitments_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."covenant_commitments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_comments" ADD CONSTRAINT "plan_comments_plan_id_action_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."action_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_comments" ADD CONSTRAINT "plan_comments_action_id_plan_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."plan_actions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_comments" ADD CONSTRAINT "plan_comments_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_evidence" ADD CONSTRAINT "plan_evidence_action_id_plan_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."plan_actions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_evidence" ADD CONSTRAINT "plan_evidence_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_milestones" ADD CONSTRAINT "plan_milestones_action_id_plan_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."plan_actions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_update_items" ADD CONSTRAINT "plan_update_items_update_id_plan_updates_id_fk" FOREIGN KEY ("update_id") REFERENCES "public"."plan_updates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_update_items" ADD CONSTRAINT "plan_update_items_action_id_plan_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."plan_actions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_updates" ADD CONSTRAINT "plan_updates_plan_id_action_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."action_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_updates" ADD CONSTRAINT "plan_updates_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorecard_case_facts" ADD CONSTRAINT "scorecard_case_facts_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "action_plans_body_idx" ON "action_plans" USING btree ("body_id","starts_on");--> statement-breakpoint
CREATE UNIQUE INDEX "plan_actions_ref_idx" ON "plan_actions" USING btree ("plan_id","ref");--> statement-breakpoint
CREATE INDEX "plan_actions_commitment_idx" ON "plan_actions" USING btree ("commitment_id");--> statement-breakpoint
CREATE INDEX "plan_comments_plan_idx" ON "plan_comments" USING btree ("plan_id","created_at");--> statement-breakpoint
CREATE INDEX "plan_evidence_action_idx" ON "plan_evidence" USING btree ("action_id");--> statement-breakpoint
CREATE INDEX "plan_milestones_action_idx" ON "plan_milestones" USING btree ("action_id","due_on");--> statement-breakpoint
CREATE INDEX "plan_update_items_update_idx" ON "plan_update_items" USING btree ("update_id");--> statement-breakpoint
CREATE INDEX "plan_updates_plan_idx" ON "plan_updates" USING btree ("plan_id","created_at");--> statement-breakpoint
CREATE INDEX "scorecard_case_facts_ack_pending_idx" ON "scorecard_case_facts" USING btree ("acknowledge_due") WHERE "scorecard_case_facts"."acknowledge" = 'pending';--> statement-breakpoint
CREATE INDEX "scorecard_case_facts_respond_pending_idx" ON "scorecard_case_facts" USING btree ("respond_due") WHERE "scorecard_case_facts"."respond" = 'pending';