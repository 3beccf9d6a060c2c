-- CreateTable
CREATE TABLE "lesson_counts" (
    "repo" TEXT NOT NULL,
    "lesson_type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "target_domain" TEXT NOT NULL,
    "attribution" TEXT NOT NULL,
    "lessons" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("repo", "lesson_type", "status", "target_domain", "attribution")
);

-- CreateIndex
CREATE INDEX "lessons_type_stage_created_idx" ON "lessons"("lesson_type", "stage", "created_at", "repo", "occurrences", "last_seen_at", "work_item_id");

-- Keep lesson_counts exact: every insert, re-classification and delete of a lesson moves
-- its count, inside the statement that changes the lesson. '' stands for null.
CREATE TRIGGER "lessons_count_insert" AFTER INSERT ON "lessons" BEGIN
    INSERT INTO "lesson_counts" ("repo", "lesson_type", "status", "target_domain", "attribution", "lessons")
    VALUES (COALESCE(NEW."repo", ''), NEW."lesson_type", NEW."status", COALESCE(NEW."target_domain", ''), COALESCE(NEW."attribution", ''), 1)
    ON CONFLICT ("repo", "lesson_type", "status", "target_domain", "attribution") DO UPDATE SET "lessons" = "lessons" + 1;
END;

CREATE TRIGGER "lessons_count_update" AFTER UPDATE OF "repo", "lesson_type", "status", "target_domain", "attribution" ON "lessons" BEGIN
    UPDATE "lesson_counts" SET "lessons" = "lessons" - 1
    WHERE "repo" = COALESCE(OLD."repo", '') AND "lesson_type" = OLD."lesson_type" AND "status" = OLD."status"
      AND "target_domain" = COALESCE(OLD."target_domain", '') AND "attribution" = COALESCE(OLD."attribution", '');
    INSERT INTO "lesson_counts" ("repo", "lesson_type", "status", "target_domain", "attribution", "lessons")
    VALUES (COALESCE(NEW."repo", ''), NEW."lesson_type", NEW."status", COALESCE(NEW."target_domain", ''), COALESCE(NEW."attribution", ''), 1)
    ON CONFLICT ("repo", "lesson_type", "status", "target_domain", "attribution") DO UPDATE SET "lessons" = "lessons" + 1;
END;

CREATE TRIGGER "lessons_count_delete" AFTER DELETE ON "lessons" BEGIN
    UPDATE "lesson_counts" SET "lessons" = "lessons" - 1
    WHERE "repo" = COALESCE(OLD."repo", '') AND "lesson_type" = OLD."lesson_type" AND "status" = OLD."status"
      AND "target_domain" = COALESCE(OLD."target_domain", '') AND "attribution" = COALESCE(OLD."attribution", '');
END;

-- The lessons recorded before this migration.
INSERT INTO "lesson_counts" ("repo", "lesson_type", "status", "target_domain", "attribution", "lessons")
SELECT COALESCE("repo", ''), "lesson_type", "status", COALESCE("target_domain", ''), COALESCE("attribution", ''), COUNT(*)
FROM "lessons" GROUP BY 1, 2, 3, 4, 5;
