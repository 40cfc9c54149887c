ALTER TABLE "community_events" ADD COLUMN "visibility" text DEFAULT 'public' NOT NULL;--> statement-breakpoint
ALTER TABLE "community_threads" ADD COLUMN "locked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "community_threads" ADD COLUMN "locked_by" uuid;--> statement-breakpoint
ALTER TABLE "community_threads" ADD CONSTRAINT "community_threads_locked_by_users_id_fk" FOREIGN KEY ("locked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;