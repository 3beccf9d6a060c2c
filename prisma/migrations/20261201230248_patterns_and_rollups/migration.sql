-- DropIndex
DROP INDEX "lessons_created_idx";

-- AlterTable
ALTER TABLE "lessons" ADD COLUMN "fingerprint" TEXT;
ALTER TABLE "lessons" ADD COLUMN "pattern_id" INTEGER;

-- CreateTable
CREATE TABLE "patterns" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "fingerprint" TEXT NOT NULL,
    "lesson_type" TEXT NOT NULL,
    "stage" TEXT,
    "root_cause" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "merged_into" INTEGER,
    "lessons" INTEGER NOT NULL DEFAULT 0,
    "occurrences" INTEGER NOT NULL DEFAULT 0,
    "work_items" INTEGER NOT NULL DEFAULT 0,
    "repos" INTEGER NOT NULL DEFAULT 0,
    "first_seen_at" DATETIME NOT NULL,
    "last_seen_at" DATETIME NOT NULL,
    "suggestion" TEXT,
    "suggested_at" DATETIME,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "pattern_days" (
    "pattern_id" INTEGER NOT NULL,
    "day" DATETIME NOT NULL,
    "lessons" INTEGER NOT NULL DEFAULT 0,
    "occurrences" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("pattern_id", "day")
);

-- CreateTable
CREATE TABLE "lesson_days" (
    "by_repo" BOOLEAN NOT NULL,
    "day" DATETIME NOT NULL,
    "lesson_type" TEXT NOT NULL,
    "stage_key" TEXT NOT NULL,
    "repo" TEXT NOT NULL,
    "lessons" INTEGER NOT NULL DEFAULT 0,
    "occurrences" INTEGER NOT NULL DEFAULT 0,
    "work_items" INTEGER NOT NULL DEFAULT 0,
    "last_members" INTEGER NOT NULL DEFAULT 0,
    "first_seen_at" DATETIME NOT NULL,
    "last_seen_at" DATETIME NOT NULL,

    PRIMARY KEY ("by_repo", "day", "lesson_type", "stage_key", "repo")
);

-- CreateTable
CREATE TABLE "lesson_members" (
    "by_repo" BOOLEAN NOT NULL,
    "lesson_type" TEXT NOT NULL,
    "stage_key" TEXT NOT NULL,
    "repo" TEXT NOT NULL,
    "work_item_id" TEXT NOT NULL,
    "last_at" DATETIME NOT NULL,

    PRIMARY KEY ("by_repo", "lesson_type", "stage_key", "repo", "work_item_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "patterns_fingerprint_key" ON "patterns"("fingerprint");

-- CreateIndex
CREATE INDEX "lesson_members_last_idx" ON "lesson_members"("by_repo", "last_at", "lesson_type", "stage_key", "repo");

-- CreateIndex
CREATE INDEX "lessons_created_idx" ON "lessons"("created_at", "id", "lesson_type", "stage", "repo", "occurrences", "last_seen_at", "work_item_id");

-- CreateIndex
CREATE INDEX "lessons_pattern_created_idx" ON "lessons"("pattern_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "lessons_pattern_work_item_idx" ON "lessons"("pattern_id", "work_item_id");

-- CreateIndex
CREATE INDEX "lessons_pattern_repo_idx" ON "lessons"("pattern_id", "repo");

-- CreateIndex
CREATE INDEX "lessons_fingerprint_idx" ON "lessons"("fingerprint");

-- Hand-written below (src/journal/rollup.ts reads these tables; the journal recomputes a
-- pattern from `lessons` when lessons move between patterns). Timestamps are epoch
-- milliseconds; a day is created_at rounded down to a multiple of 86400000 (UTC), as the
-- dialect's bucket computes it.
--
-- The rollup trigger, on every insert, in one statement with the insert:
-- 1. the lesson's pattern: created for the first lesson of its fingerprint, and the
--    lesson's pattern_id set (a merged pattern's fingerprint leads to the survivor), unless
--    the insert gave it (the journal looks it up in the insert itself);
-- 2. the pattern's counters: lessons, occurrences, work items and repos (distinct: a probe
--    for another lesson of the pattern with the same work item / repo), first and last
--    seen, the newest lesson's suggestion; and its day in pattern_days;
-- 3. for the key (lesson_type, stage) over every repo, then per repo: the day's cell in
--    lesson_days, and the work item's latest lesson in lesson_members. A work item is new
--    that day when its previous latest lesson is older than the day (or a probe finds no
--    lesson of it that day, for a lesson dated before its latest); its latest day moves
--    when this lesson is later than the previous latest.
CREATE TRIGGER "lessons_rollup_insert" AFTER INSERT ON "lessons" BEGIN
    INSERT INTO "patterns" ("fingerprint", "lesson_type", "stage", "root_cause", "first_seen_at", "last_seen_at", "created_at")
    SELECT NEW."fingerprint", NEW."lesson_type", NEW."stage", NEW."root_cause", NEW."created_at", NEW."last_seen_at", NEW."created_at"
    WHERE NEW."fingerprint" IS NOT NULL AND NEW."pattern_id" IS NULL
      AND NOT EXISTS (SELECT 1 FROM "patterns" WHERE "fingerprint" = NEW."fingerprint")
    ON CONFLICT ("fingerprint") DO NOTHING;
    UPDATE "lessons" SET "pattern_id" = (
        SELECT COALESCE("merged_into", "id") FROM "patterns" WHERE "fingerprint" = NEW."fingerprint")
    WHERE "id" = NEW."id" AND NEW."fingerprint" IS NOT NULL AND NEW."pattern_id" IS NULL;

    UPDATE "patterns" SET
        "lessons" = "lessons" + 1,
        "occurrences" = "occurrences" + NEW."occurrences",
        "work_items" = "work_items" + (NEW."work_item_id" IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM "lessons" AS l WHERE l."pattern_id" = "patterns"."id"
              AND l."work_item_id" = NEW."work_item_id" AND l."id" <> NEW."id")),
        "repos" = "repos" + (NEW."repo" IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM "lessons" AS l WHERE l."pattern_id" = "patterns"."id"
              AND l."repo" = NEW."repo" AND l."id" <> NEW."id")),
        -- A pattern left empty by re-grouping keeps no stale bounds.
        "first_seen_at" = CASE WHEN "lessons" = 0 THEN NEW."created_at" ELSE MIN("first_seen_at", NEW."created_at") END,
        "last_seen_at" = CASE WHEN "lessons" = 0 THEN NEW."last_seen_at" ELSE MAX("last_seen_at", NEW."last_seen_at") END,
        "suggestion" = CASE WHEN NEW."suggestion" IS NOT NULL
            AND ("suggested_at" IS NULL OR NEW."created_at" >= "suggested_at")
            THEN NEW."suggestion" ELSE "suggestion" END,
        "suggested_at" = CASE WHEN NEW."suggestion" IS NOT NULL
            AND ("suggested_at" IS NULL OR NEW."created_at" >= "suggested_at")
            THEN NEW."created_at" ELSE "suggested_at" END
    WHERE "id" = COALESCE(NEW."pattern_id", (SELECT "pattern_id" FROM "lessons" WHERE "id" = NEW."id"));
    INSERT INTO "pattern_days" ("pattern_id", "day", "lessons", "occurrences")
    SELECT "pattern_id", ("created_at" / 86400000) * 86400000, 1, "occurrences"
    FROM "lessons" WHERE "id" = NEW."id" AND "pattern_id" IS NOT NULL
    ON CONFLICT ("pattern_id", "day") DO UPDATE SET
        "lessons" = "lessons" + 1, "occurrences" = "occurrences" + excluded."occurrences";

    -- (lesson_type, stage) over every repo
    UPDATE "lesson_days" SET "last_members" = "last_members" - 1
    WHERE "by_repo" = 0 AND "lesson_type" = NEW."lesson_type"
      AND "stage_key" = CASE WHEN NEW."stage" IS NULL THEN '' ELSE '.' || NEW."stage" END AND "repo" = ''
      AND "day" = (SELECT (m."last_at" / 86400000) * 86400000 FROM "lesson_members" AS m
        WHERE m."by_repo" = 0 AND m."lesson_type" = NEW."lesson_type"
          AND m."stage_key" = CASE WHEN NEW."stage" IS NULL THEN '' ELSE '.' || NEW."stage" END AND m."repo" = ''
          AND m."work_item_id" = NEW."work_item_id" AND m."last_at" < NEW."created_at");
    INSERT INTO "lesson_days" ("by_repo", "day", "lesson_type", "stage_key", "repo", "lessons", "occurrences",
        "work_items", "last_members", "first_seen_at", "last_seen_at")
    SELECT 0, (NEW."created_at" / 86400000) * 86400000, NEW."lesson_type",
        CASE WHEN NEW."stage" IS NULL THEN '' ELSE '.' || NEW."stage" END, '', 1, NEW."occurrences",
        CASE WHEN NEW."work_item_id" IS NULL THEN 0
             WHEN COALESCE(prev.at, -1) < (NEW."created_at" / 86400000) * 86400000 THEN 1
             WHEN prev.at < (NEW."created_at" / 86400000) * 86400000 + 86400000 THEN 0
             ELSE NOT EXISTS (SELECT 1 FROM "lessons" AS l WHERE l."work_item_id" = NEW."work_item_id"
                AND l."lesson_type" = NEW."lesson_type" AND l."stage" IS NEW."stage"
                AND l."created_at" >= (NEW."created_at" / 86400000) * 86400000
                AND l."created_at" < (NEW."created_at" / 86400000) * 86400000 + 86400000
                AND l."id" <> NEW."id") END,
        NEW."work_item_id" IS NOT NULL AND COALESCE(prev.at, -1) < NEW."created_at",
        NEW."created_at", NEW."last_seen_at"
    FROM (SELECT (SELECT m."last_at" FROM "lesson_members" AS m
        WHERE m."by_repo" = 0 AND m."lesson_type" = NEW."lesson_type"
          AND m."stage_key" = CASE WHEN NEW."stage" IS NULL THEN '' ELSE '.' || NEW."stage" END AND m."repo" = ''
          AND m."work_item_id" = NEW."work_item_id") AS at) AS prev
    WHERE true
    ON CONFLICT ("by_repo", "day", "lesson_type", "stage_key", "repo") DO UPDATE SET
        "lessons" = "lessons" + 1,
        "occurrences" = "occurrences" + excluded."occurrences",
        "work_items" = "work_items" + excluded."work_items",
        "last_members" = "last_members" + excluded."last_members",
        "first_seen_at" = MIN("first_seen_at", excluded."first_seen_at"),
        "last_seen_at" = MAX("last_seen_at", excluded."last_seen_at");
    INSERT INTO "lesson_members" ("by_repo", "lesson_type", "stage_key", "repo", "work_item_id", "last_at")
    SELECT 0, NEW."lesson_type", CASE WHEN NEW."stage" IS NULL THEN '' ELSE '.' || NEW."stage" END, '',
        NEW."work_item_id", NEW."created_at"
    WHERE NEW."work_item_id" IS NOT NULL
    ON CONFLICT ("by_repo", "lesson_type", "stage_key", "repo", "work_item_id") DO UPDATE SET
        "last_at" = MAX("last_at", excluded."last_at");

    -- (lesson_type, stage) per repo: the same with the repo in the key
    UPDATE "lesson_days" SET "last_members" = "last_members" - 1
    WHERE "by_repo" = 1 AND "lesson_type" = NEW."lesson_type"
      AND "stage_key" = CASE WHEN NEW."stage" IS NULL THEN '' ELSE '.' || NEW."stage" END
      AND "repo" = COALESCE(NEW."repo", '')
      AND "day" = (SELECT (m."last_at" / 86400000) * 86400000 FROM "lesson_members" AS m
        WHERE m."by_repo" = 1 AND m."lesson_type" = NEW."lesson_type"
          AND m."stage_key" = CASE WHEN NEW."stage" IS NULL THEN '' ELSE '.' || NEW."stage" END
          AND m."repo" = COALESCE(NEW."repo", '')
          AND m."work_item_id" = NEW."work_item_id" AND m."last_at" < NEW."created_at");
    INSERT INTO "lesson_days" ("by_repo", "day", "lesson_type", "stage_key", "repo", "lessons", "occurrences",
        "work_items", "last_members", "first_seen_at", "last_seen_at")
    SELECT 1, (NEW."created_at" / 86400000) * 86400000, NEW."lesson_type",
        CASE WHEN NEW."stage" IS NULL THEN '' ELSE '.' || NEW."stage" END, COALESCE(NEW."repo", ''), 1, NEW."occurrences",
        CASE WHEN NEW."work_item_id" IS NULL THEN 0
             WHEN COALESCE(prev.at, -1) < (NEW."created_at" / 86400000) * 86400000 THEN 1
             WHEN prev.at < (NEW."created_at" / 86400000) * 86400000 + 86400000 THEN 0
             ELSE NOT EXISTS (SELECT 1 FROM "lessons" AS l WHERE l."work_item_id" = NEW."work_item_id"
                AND l."lesson_type" = NEW."lesson_type" AND l."stage" IS NEW."stage" AND l."repo" IS NEW."repo"
                AND l."created_at" >= (NEW."created_at" / 86400000) * 86400000
                AND l."created_at" < (NEW."created_at" / 86400000) * 86400000 + 86400000
                AND l."id" <> NEW."id") END,
        NEW."work_item_id" IS NOT NULL AND COALESCE(prev.at, -1) < NEW."created_at",
        NEW."created_at", NEW."last_seen_at"
    FROM (SELECT (SELECT m."last_at" FROM "lesson_members" AS m
        WHERE m."by_repo" = 1 AND m."lesson_type" = NEW."lesson_type"
          AND m."stage_key" = CASE WHEN NEW."stage" IS NULL THEN '' ELSE '.' || NEW."stage" END
          AND m."repo" = COALESCE(NEW."repo", '')
          AND m."work_item_id" = NEW."work_item_id") AS at) AS prev
    WHERE true
    ON CONFLICT ("by_repo", "day", "lesson_type", "stage_key", "repo") DO UPDATE SET
        "lessons" = "lessons" + 1,
        "occurrences" = "occurrences" + excluded."occurrences",
        "work_items" = "work_items" + excluded."work_items",
        "last_members" = "last_members" + excluded."last_members",
        "first_seen_at" = MIN("first_seen_at", excluded."first_seen_at"),
        "last_seen_at" = MAX("last_seen_at", excluded."last_seen_at");
    INSERT INTO "lesson_members" ("by_repo", "lesson_type", "stage_key", "repo", "work_item_id", "last_at")
    SELECT 1, NEW."lesson_type", CASE WHEN NEW."stage" IS NULL THEN '' ELSE '.' || NEW."stage" END,
        COALESCE(NEW."repo", ''), NEW."work_item_id", NEW."created_at"
    WHERE NEW."work_item_id" IS NOT NULL
    ON CONFLICT ("by_repo", "lesson_type", "stage_key", "repo", "work_item_id") DO UPDATE SET
        "last_at" = MAX("last_at", excluded."last_at");
END;

-- A dedup bump (occurrences + 1, last_seen_at now) adds to the same counters; it moves no
-- lesson, so nothing distinct changes.
CREATE TRIGGER "lessons_rollup_bump" AFTER UPDATE OF "occurrences", "last_seen_at" ON "lessons" BEGIN
    UPDATE "patterns" SET
        "occurrences" = "occurrences" + NEW."occurrences" - OLD."occurrences",
        "last_seen_at" = MAX("last_seen_at", NEW."last_seen_at")
    WHERE "id" = NEW."pattern_id";
    UPDATE "pattern_days" SET "occurrences" = "occurrences" + NEW."occurrences" - OLD."occurrences"
    WHERE "pattern_id" = NEW."pattern_id" AND "day" = (NEW."created_at" / 86400000) * 86400000;
    UPDATE "lesson_days" SET
        "occurrences" = "occurrences" + NEW."occurrences" - OLD."occurrences",
        "last_seen_at" = MAX("last_seen_at", NEW."last_seen_at")
    WHERE "by_repo" = 0 AND "day" = (NEW."created_at" / 86400000) * 86400000
      AND "lesson_type" = NEW."lesson_type"
      AND "stage_key" = CASE WHEN NEW."stage" IS NULL THEN '' ELSE '.' || NEW."stage" END AND "repo" = '';
    UPDATE "lesson_days" SET
        "occurrences" = "occurrences" + NEW."occurrences" - OLD."occurrences",
        "last_seen_at" = MAX("last_seen_at", NEW."last_seen_at")
    WHERE "by_repo" = 1 AND "day" = (NEW."created_at" / 86400000) * 86400000
      AND "lesson_type" = NEW."lesson_type"
      AND "stage_key" = CASE WHEN NEW."stage" IS NULL THEN '' ELSE '.' || NEW."stage" END
      AND "repo" = COALESCE(NEW."repo", '');
END;

-- The lessons recorded before this migration: their cells and latest lessons. (Their
-- fingerprints and patterns come from the journal's first open: the normalising of root
-- causes is the journal's, in TypeScript.)
INSERT INTO "lesson_members" ("by_repo", "lesson_type", "stage_key", "repo", "work_item_id", "last_at")
SELECT s."by_repo", l."lesson_type", CASE WHEN l."stage" IS NULL THEN '' ELSE '.' || l."stage" END,
    CASE WHEN s."by_repo" = 1 THEN COALESCE(l."repo", '') ELSE '' END, l."work_item_id", MAX(l."created_at")
FROM "lessons" AS l, (SELECT 0 AS "by_repo" UNION ALL SELECT 1) AS s
WHERE l."work_item_id" IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;
INSERT INTO "lesson_days" ("by_repo", "day", "lesson_type", "stage_key", "repo", "lessons", "occurrences",
    "work_items", "last_members", "first_seen_at", "last_seen_at")
SELECT s."by_repo", (l."created_at" / 86400000) * 86400000, l."lesson_type",
    CASE WHEN l."stage" IS NULL THEN '' ELSE '.' || l."stage" END,
    CASE WHEN s."by_repo" = 1 THEN COALESCE(l."repo", '') ELSE '' END,
    COUNT(*), SUM(l."occurrences"), COUNT(DISTINCT l."work_item_id"), 0, MIN(l."created_at"), MAX(l."last_seen_at")
FROM "lessons" AS l, (SELECT 0 AS "by_repo" UNION ALL SELECT 1) AS s
GROUP BY 1, 2, 3, 4, 5;
UPDATE "lesson_days" SET "last_members" = m."n"
FROM (SELECT "by_repo", ("last_at" / 86400000) * 86400000 AS "day", "lesson_type", "stage_key", "repo", COUNT(*) AS "n"
      FROM "lesson_members" GROUP BY 1, 2, 3, 4, 5) AS m
WHERE "lesson_days"."by_repo" = m."by_repo" AND "lesson_days"."day" = m."day"
  AND "lesson_days"."lesson_type" = m."lesson_type" AND "lesson_days"."stage_key" = m."stage_key"
  AND "lesson_days"."repo" = m."repo";
