-- CreateTable
CREATE TABLE "lesson_totals" (
    "lesson_type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "target_domain" TEXT NOT NULL,
    "attribution" TEXT NOT NULL,
    "lessons" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "lesson_totals_pkey" PRIMARY KEY ("lesson_type","status","target_domain","attribution")
);

-- The trigger function of lesson_counts now keeps lesson_totals too, in the same statement.
CREATE OR REPLACE FUNCTION "lessons_count_change"() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE "lesson_counts" SET "lessons" = "lessons" - 1
        WHERE "repo" = COALESCE(OLD."repo", '') AND "lesson_type" = OLD."lesson_type" AND "status" = OLD."status"
          AND "target_domain" = COALESCE(OLD."target_domain", '') AND "attribution" = COALESCE(OLD."attribution", '');
        UPDATE "lesson_totals" SET "lessons" = "lessons" - 1
        WHERE "lesson_type" = OLD."lesson_type" AND "status" = OLD."status"
          AND "target_domain" = COALESCE(OLD."target_domain", '') AND "attribution" = COALESCE(OLD."attribution", '');
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO "lesson_counts" ("repo", "lesson_type", "status", "target_domain", "attribution", "lessons")
        VALUES (COALESCE(NEW."repo", ''), NEW."lesson_type", NEW."status", COALESCE(NEW."target_domain", ''), COALESCE(NEW."attribution", ''), 1)
        ON CONFLICT ("repo", "lesson_type", "status", "target_domain", "attribution")
        DO UPDATE SET "lessons" = "lesson_counts"."lessons" + 1;
        INSERT INTO "lesson_totals" ("lesson_type", "status", "target_domain", "attribution", "lessons")
        VALUES (NEW."lesson_type", NEW."status", COALESCE(NEW."target_domain", ''), COALESCE(NEW."attribution", ''), 1)
        ON CONFLICT ("lesson_type", "status", "target_domain", "attribution")
        DO UPDATE SET "lessons" = "lesson_totals"."lessons" + 1;
    END IF;
    RETURN NULL;
END
$$;

-- The lessons recorded before this migration.
INSERT INTO "lesson_totals" ("lesson_type", "status", "target_domain", "attribution", "lessons")
SELECT "lesson_type", "status", "target_domain", "attribution", SUM("lessons")
FROM "lesson_counts" GROUP BY 1, 2, 3, 4;
