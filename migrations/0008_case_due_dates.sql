CREATE TABLE "case_category_deadlines" (
	"category" text PRIMARY KEY NOT NULL,
	"acknowledge_within_days" integer NOT NULL,
	"respond_within_days" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "acknowledge_within_days" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "respond_within_days" integer DEFAULT 20 NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "acknowledge_due_on" date;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "respond_due_on" date;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "next_due_on" date GENERATED ALWAYS AS (least(acknowledge_due_on, respond_due_on)) STORED;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "due_dates_stale" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "case_category_deadlines" ADD CONSTRAINT "case_category_deadlines_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cases_body_due_idx" ON "cases" USING btree ("body_id","next_due_on") WHERE next_due_on is not null;--> statement-breakpoint
CREATE INDEX "cases_due_idx" ON "cases" USING btree ("next_due_on") WHERE next_due_on is not null;--> statement-breakpoint
CREATE INDEX "cases_due_stale_idx" ON "cases" USING btree ("id") WHERE due_dates_stale;--> statement-breakpoint
-- Backfill: the working days existing cases were read with until now (the body's category rule, else its
-- general rule, else 5 and 20). Their due dates are worked out at start-up (every row starts stale).
UPDATE "cases" c SET
  "acknowledge_within_days" = coalesce(
    (SELECT r.acknowledge_within_days FROM routing_rules r WHERE r.body_id = c.body_id AND r.category = c.category AND coalesce(r.nation, '') = '' AND r.area_gss IS NULL AND r.acknowledge_within_days IS NOT NULL ORDER BY r.created_at LIMIT 1),
    (SELECT r.acknowledge_within_days FROM routing_rules r WHERE r.body_id = c.body_id AND r.category IS NULL AND coalesce(r.nation, '') = '' AND r.area_gss IS NULL AND r.acknowledge_within_days IS NOT NULL ORDER BY r.created_at LIMIT 1),
    5),
  "respond_within_days" = coalesce(
    (SELECT r.respond_within_days FROM routing_rules r WHERE r.body_id = c.body_id AND r.category = c.category AND coalesce(r.nation, '') = '' AND r.area_gss IS NULL AND r.respond_within_days IS NOT NULL ORDER BY r.created_at LIMIT 1),
    (SELECT r.respond_within_days FROM routing_rules r WHERE r.body_id = c.body_id AND r.category IS NULL AND coalesce(r.nation, '') = '' AND r.area_gss IS NULL AND r.respond_within_days IS NOT NULL ORDER BY r.created_at LIMIT 1),
    20)
WHERE c.body_id IS NOT NULL;
