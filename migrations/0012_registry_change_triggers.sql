-- Public pages of the directory and the Covenant registry are cached in memory (src/platform/http/page-cache.ts).
-- Every statement that changes one of their tables adds one to registry_changes.version in the same
-- transaction, whichever module writes, so every process sees the change when it commits.
INSERT INTO "registry_changes" ("id", "version", "changed_at") VALUES (1, 0, now()) ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION registry_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "registry_changes" SET "version" = "version" + 1, "changed_at" = now() WHERE "id" = 1;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "organisations_registry_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "organisations" FOR EACH STATEMENT EXECUTE FUNCTION registry_changed();
--> statement-breakpoint
CREATE TRIGGER "organisation_identifiers_registry_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "organisation_identifiers" FOR EACH STATEMENT EXECUTE FUNCTION registry_changed();
--> statement-breakpoint
CREATE TRIGGER "accountable_leads_registry_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "accountable_leads" FOR EACH STATEMENT EXECUTE FUNCTION registry_changed();
--> statement-breakpoint
CREATE TRIGGER "covenant_principles_registry_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "covenant_principles" FOR EACH STATEMENT EXECUTE FUNCTION registry_changed();
--> statement-breakpoint
CREATE TRIGGER "sub_covenants_registry_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "sub_covenants" FOR EACH STATEMENT EXECUTE FUNCTION registry_changed();
--> statement-breakpoint
CREATE TRIGGER "covenant_commitments_registry_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "covenant_commitments" FOR EACH STATEMENT EXECUTE FUNCTION registry_changed();
--> statement-breakpoint
CREATE TRIGGER "covenant_standards_registry_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "covenant_standards" FOR EACH STATEMENT EXECUTE FUNCTION registry_changed();
--> statement-breakpoint
CREATE TRIGGER "covenant_versions_registry_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "covenant_versions" FOR EACH STATEMENT EXECUTE FUNCTION registry_changed();
--> statement-breakpoint
CREATE TRIGGER "covenant_paragraphs_registry_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "covenant_paragraphs" FOR EACH STATEMENT EXECUTE FUNCTION registry_changed();
--> statement-breakpoint
CREATE TRIGGER "covenant_change_citations_registry_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "covenant_change_citations" FOR EACH STATEMENT EXECUTE FUNCTION registry_changed();
--> statement-breakpoint
CREATE TRIGGER "sub_covenant_officers_registry_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "sub_covenant_officers" FOR EACH STATEMENT EXECUTE FUNCTION registry_changed();
--> statement-breakpoint
CREATE TRIGGER "covenant_pledges_registry_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "covenant_pledges" FOR EACH STATEMENT EXECUTE FUNCTION registry_changed();
--> statement-breakpoint
CREATE TRIGGER "covenant_signatures_registry_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "covenant_signatures" FOR EACH STATEMENT EXECUTE FUNCTION registry_changed();
--> statement-breakpoint
CREATE TRIGGER "covenant_signature_pledges_registry_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "covenant_signature_pledges" FOR EACH STATEMENT EXECUTE FUNCTION registry_changed();
