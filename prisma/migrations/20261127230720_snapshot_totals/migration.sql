-- CreateTable
CREATE TABLE "lesson_totals" (
    "lesson_type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "target_domain" TEXT NOT NULL,
    "attribution" TEXT NOT NULL,
    "lessons" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("lesson_type", "status", "target_domain", "attribution")
);

-- The triggers of lesson_counts now keep lesson_totals too, in the same statement.
DROP TRIGGER "lessons_count_insert";
DROP TRIGGER "lessons_count_update";
DROP TRIGGER "lessons_count_delete";

CREATE TRIGGER "lessons_count_insert" AFTER INSERT ON "lessons" BEGIN
    INSERT INTO "lesson_counts" ("repo", "lesson_type", "status", "target_domain", "attribution", "lessons")
    VALUES (COALESCE(NEW."repo", ''), NEW."lesson_type", NEW."status", COALESCE(NEW."target_domain", ''), COALESCE(NEW."attribution", ''), 1)
    ON CONFLICT ("repo", "lesson_type", "status", "target_domain", "attribution") DO UPDATE SET "lessons" = "lessons" + 1;
    INSERT INTO "lesson_totals" ("lesson_type", "status", "target_domain", "attribution", "lessons")
    VALUES (NEW."lesson_type", NEW."status", COALESCE(NEW."target_domain", ''), COALESCE(NEW."attribution", ''), 1)
    ON CONFLICT ("lesson_type", "status", "target_domain", "attribution") DO UPDATE SET "lessons" = "lessons" + 1;
END;

CREATE TRIGGER "lessons_count_update" AFTER UPDATE OF "repo", "lesson_type", "status", "target_domain", "attribution" ON "lessons" BEGIN
    UPDATE "lesson_counts" SET "lessons" = "lessons" - 1
    WHERE "repo" = COALESCE(OLD."repo", '') AND "lesson_type" = OLD."lesson_type" AND "status" = OLD."status"
      AND "target_domain" = COALESCE(OLD."target_domain", '') AND "attribution" = COALESCE(OLD."attribution", '');
    UPDATE "lesson_totals" SET "lessons" = "lessons" - 1
    WHERE "lesson_type" = OLD."lesson_type" AND "status" = OLD."status"
      AND "target_domain" = COALESCE(OLD."target_domain", '') AND "attribution" = COALESCE(OLD."attribution", '');
    INSERT INTO "lesson_counts" ("repo", "lesson_type", "status", "target_domain", "attribution", "lessons")
    VALUES (COALESCE(NEW."repo", ''), NEW."lesson_type", NEW."status", COALESCE(NEW."target_domain", ''), COALESCE(NEW."attribution", ''), 1)
    ON CONFLICT ("repo", "lesson_type", "status", "target_domain", "attribution") DO UPDATE SET "lessons" = "lessons" + 1;
    INSERT INTO "lesson_totals" ("lesson_type", "status", "target_domain", "attribution", "lessons")
    VALUES (NEW."lesson_type", NEW."status", COALESCE(NEW."target_domain", ''), COALESCE(NEW."attribution", ''), 1)
    ON CONFLICT ("lesson_type", "status", "target_domain", "attribution") DO UPDATE SET "lessons" = "lessons" + 1;
END;

CREATE TRIGGER "lessons_count_delete" AFTER DELETE ON "lessons" BEGIN
    UPDATE "lesson_counts" SET "lessons" = "lessons" - 1
    WHERE "repo" = COALESCE(OLD."repo", '') AND "lesson_type" = OLD."lesson_type" AND "status" = OLD."status"
      AND "target_domain" = COALESCE(OLD."target_domain", '') AND "attribution" = COALESCE(OLD."attribution", '');
    UPDATE "lesson_totals" SET "lessons" = "lessons" - 1
    WHERE "lesson_type" = OLD."lesson_type" AND "status" = OLD."status"
      AND "target_domain" = COALESCE(OLD."target_domain", '') AND "attribution" = COALESCE(OLD."attribution", '');
END;

-- The lessons recorded before this migration.
INSERT INTO "lesson_totals" ("lesson_type", "status", "target_domain", "attribution", "lessons")
SELECT "lesson_type", "status", "target_domain", "attribution", SUM("lessons")
FROM "lesson_counts" GROUP BY 1, 2, 3, 4;
