-- DropIndex
DROP INDEX "lessons_created_idx";

-- AlterTable
ALTER TABLE "lessons" ADD COLUMN     "fingerprint" TEXT,
ADD COLUMN     "pattern_id" INTEGER;

-- CreateTable
CREATE TABLE "patterns" (
    "id" SERIAL NOT NULL,
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
    "first_seen_at" TIMESTAMP(3) NOT NULL,
    "last_seen_at" TIMESTAMP(3) NOT NULL,
    "suggestion" TEXT,
    "suggested_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "patterns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pattern_days" (
    "pattern_id" INTEGER NOT NULL,
    "day" TIMESTAMP(3) NOT NULL,
    "lessons" INTEGER NOT NULL DEFAULT 0,
    "occurrences" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "pattern_days_pkey" PRIMARY KEY ("pattern_id","day")
);

-- CreateTable
CREATE TABLE "lesson_days" (
    "by_repo" BOOLEAN NOT NULL,
    "day" TIMESTAMP(3) NOT NULL,
    "lesson_type" TEXT NOT NULL,
    "stage_key" TEXT NOT NULL,
    "repo" TEXT NOT NULL,
    "lessons" INTEGER NOT NULL DEFAULT 0,
    "occurrences" INTEGER NOT NULL DEFAULT 0,
    "work_items" INTEGER NOT NULL DEFAULT 0,
    "last_members" INTEGER NOT NULL DEFAULT 0,
    "first_seen_at" TIMESTAMP(3) NOT NULL,
    "last_seen_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "lesson_days_pkey" PRIMARY KEY ("by_repo","day","lesson_type","stage_key","repo")
);

-- CreateTable
CREATE TABLE "lesson_members" (
    "by_repo" BOOLEAN NOT NULL,
    "lesson_type" TEXT NOT NULL,
    "stage_key" TEXT NOT NULL,
    "repo" TEXT NOT NULL,
    "work_item_id" TEXT NOT NULL,
    "last_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "lesson_members_pkey" PRIMARY KEY ("by_repo","lesson_type","stage_key","repo","work_item_id")
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

-- Hand-written below: the same rollup as SQLite's trigger (see the SQLite migration of the
-- same name for what each step keeps), in PL/pgSQL. A day is date_trunc('day', created_at).
--
-- Concurrency (several replicas write at once, READ COMMITTED): every probe runs after
-- the row lock or advisory lock that serialises the writers it must see, so that it sees
-- what they committed (each statement of a PL/pgSQL trigger takes a fresh snapshot):
-- - the lessons of one pattern, on the pattern's row (its fingerprint's row and, when
--   merged, the survivor's, both locked in the BEFORE trigger);
-- - the lessons of one (lesson_type, stage), on a transaction-scoped advisory lock, which
--   covers its cells, per repo or not, and its work items' latest lessons.
-- Locks are taken in that order (pattern, then key), so two writers cannot wait on each
-- other in a cycle.
CREATE FUNCTION "lessons_pattern_assign"() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    IF NEW."fingerprint" IS NULL THEN
        RETURN NEW;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM "patterns" WHERE "fingerprint" = NEW."fingerprint") THEN
        INSERT INTO "patterns" ("fingerprint", "lesson_type", "stage", "root_cause", "first_seen_at", "last_seen_at", "created_at")
        VALUES (NEW."fingerprint", NEW."lesson_type", NEW."stage", NEW."root_cause", NEW."created_at", NEW."last_seen_at", NEW."created_at")
        ON CONFLICT ("fingerprint") DO NOTHING;
    END IF;
    SELECT COALESCE("merged_into", "id") INTO NEW."pattern_id"
    FROM "patterns" WHERE "fingerprint" = NEW."fingerprint" FOR UPDATE;
    -- A merged fingerprint's survivor is a row of its own: hold it too, before the
    -- counters' probes (in the AFTER trigger) take their snapshot.
    PERFORM 1 FROM "patterns" WHERE "id" = NEW."pattern_id" AND "fingerprint" <> NEW."fingerprint" FOR UPDATE;
    RETURN NEW;
END
$$;

CREATE TRIGGER "lessons_pattern_assign" BEFORE INSERT ON "lessons"
FOR EACH ROW EXECUTE FUNCTION "lessons_pattern_assign"();

CREATE FUNCTION "lessons_rollup_change"() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
DECLARE
    v_day timestamp(3) := date_trunc('day', NEW."created_at");
    v_stage_key text := CASE WHEN NEW."stage" IS NULL THEN '' ELSE '.' || NEW."stage" END;
    v_by_repo boolean;
    v_repo text;
    v_prev timestamp(3);
BEGIN
    IF TG_OP = 'UPDATE' THEN
        -- A dedup bump: the same counters grow; nothing distinct changes.
        UPDATE "patterns" SET
            "occurrences" = "occurrences" + NEW."occurrences" - OLD."occurrences",
            "last_seen_at" = GREATEST("last_seen_at", NEW."last_seen_at")
        WHERE "id" = NEW."pattern_id";
        UPDATE "pattern_days" SET "occurrences" = "occurrences" + NEW."occurrences" - OLD."occurrences"
        WHERE "pattern_id" = NEW."pattern_id" AND "day" = v_day;
        UPDATE "lesson_days" SET
            "occurrences" = "occurrences" + NEW."occurrences" - OLD."occurrences",
            "last_seen_at" = GREATEST("last_seen_at", NEW."last_seen_at")
        WHERE "by_repo" = false AND "day" = v_day AND "lesson_type" = NEW."lesson_type"
          AND "stage_key" = v_stage_key AND "repo" = '';
        UPDATE "lesson_days" SET
            "occurrences" = "occurrences" + NEW."occurrences" - OLD."occurrences",
            "last_seen_at" = GREATEST("last_seen_at", NEW."last_seen_at")
        WHERE "by_repo" = true AND "day" = v_day AND "lesson_type" = NEW."lesson_type"
          AND "stage_key" = v_stage_key AND "repo" = COALESCE(NEW."repo", '');
        RETURN NULL;
    END IF;

    IF NEW."pattern_id" IS NOT NULL THEN
        -- The pattern's row is ours since the BEFORE trigger: this statement's snapshot
        -- sees every lesson of the pattern committed before it.
        UPDATE "patterns" SET
            "lessons" = "lessons" + 1,
            "occurrences" = "occurrences" + NEW."occurrences",
            "work_items" = "work_items" + (NEW."work_item_id" IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM "lessons" AS l WHERE l."pattern_id" = NEW."pattern_id"
                  AND l."work_item_id" = NEW."work_item_id" AND l."id" <> NEW."id"))::int,
            "repos" = "repos" + (NEW."repo" IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM "lessons" AS l WHERE l."pattern_id" = NEW."pattern_id"
                  AND l."repo" = NEW."repo" AND l."id" <> NEW."id"))::int,
            -- A pattern left empty by re-grouping keeps no stale bounds.
        "first_seen_at" = CASE WHEN "lessons" = 0 THEN NEW."created_at" ELSE LEAST("first_seen_at", NEW."created_at") END,
            "last_seen_at" = CASE WHEN "lessons" = 0 THEN NEW."last_seen_at" ELSE GREATEST("last_seen_at", NEW."last_seen_at") END,
            "suggestion" = CASE WHEN NEW."suggestion" IS NOT NULL
                AND ("suggested_at" IS NULL OR NEW."created_at" >= "suggested_at")
                THEN NEW."suggestion" ELSE "suggestion" END,
            "suggested_at" = CASE WHEN NEW."suggestion" IS NOT NULL
                AND ("suggested_at" IS NULL OR NEW."created_at" >= "suggested_at")
                THEN NEW."created_at" ELSE "suggested_at" END
        WHERE "id" = NEW."pattern_id";
        INSERT INTO "pattern_days" ("pattern_id", "day", "lessons", "occurrences")
        VALUES (NEW."pattern_id", v_day, 1, NEW."occurrences")
        ON CONFLICT ("pattern_id", "day") DO UPDATE SET
            "lessons" = "pattern_days"."lessons" + 1,
            "occurrences" = "pattern_days"."occurrences" + excluded."occurrences";
    END IF;

    PERFORM pg_advisory_xact_lock(hashtextextended('lesson_days' || chr(31) || NEW."lesson_type" || chr(31) || v_stage_key, 0));
    FOREACH v_by_repo IN ARRAY ARRAY[false, true] LOOP
        v_repo := CASE WHEN v_by_repo THEN COALESCE(NEW."repo", '') ELSE '' END;
        v_prev := NULL;
        IF NEW."work_item_id" IS NOT NULL THEN
            SELECT "last_at" INTO v_prev FROM "lesson_members"
            WHERE "by_repo" = v_by_repo AND "lesson_type" = NEW."lesson_type" AND "stage_key" = v_stage_key
              AND "repo" = v_repo AND "work_item_id" = NEW."work_item_id";
            IF v_prev < NEW."created_at" THEN
                UPDATE "lesson_days" SET "last_members" = "last_members" - 1
                WHERE "by_repo" = v_by_repo AND "day" = date_trunc('day', v_prev)
                  AND "lesson_type" = NEW."lesson_type" AND "stage_key" = v_stage_key AND "repo" = v_repo;
            END IF;
        END IF;
        INSERT INTO "lesson_days" ("by_repo", "day", "lesson_type", "stage_key", "repo", "lessons", "occurrences",
            "work_items", "last_members", "first_seen_at", "last_seen_at")
        VALUES (v_by_repo, v_day, NEW."lesson_type", v_stage_key, v_repo, 1, NEW."occurrences",
            CASE WHEN NEW."work_item_id" IS NULL THEN 0
                 WHEN v_prev IS NULL OR v_prev < v_day THEN 1
                 WHEN v_prev < v_day + interval '1 day' THEN 0
                 WHEN EXISTS (SELECT 1 FROM "lessons" AS l WHERE l."work_item_id" = NEW."work_item_id"
                    AND l."lesson_type" = NEW."lesson_type" AND l."stage" IS NOT DISTINCT FROM NEW."stage"
                    AND (NOT v_by_repo OR l."repo" IS NOT DISTINCT FROM NEW."repo")
                    AND l."created_at" >= v_day AND l."created_at" < v_day + interval '1 day'
                    AND l."id" <> NEW."id") THEN 0
                 ELSE 1 END,
            CASE WHEN NEW."work_item_id" IS NOT NULL AND (v_prev IS NULL OR v_prev < NEW."created_at") THEN 1 ELSE 0 END,
            NEW."created_at", NEW."last_seen_at")
        ON CONFLICT ("by_repo", "day", "lesson_type", "stage_key", "repo") DO UPDATE SET
            "lessons" = "lesson_days"."lessons" + 1,
            "occurrences" = "lesson_days"."occurrences" + excluded."occurrences",
            "work_items" = "lesson_days"."work_items" + excluded."work_items",
            "last_members" = "lesson_days"."last_members" + excluded."last_members",
            "first_seen_at" = LEAST("lesson_days"."first_seen_at", excluded."first_seen_at"),
            "last_seen_at" = GREATEST("lesson_days"."last_seen_at", excluded."last_seen_at");
        IF NEW."work_item_id" IS NOT NULL THEN
            INSERT INTO "lesson_members" ("by_repo", "lesson_type", "stage_key", "repo", "work_item_id", "last_at")
            VALUES (v_by_repo, NEW."lesson_type", v_stage_key, v_repo, NEW."work_item_id", NEW."created_at")
            ON CONFLICT ("by_repo", "lesson_type", "stage_key", "repo", "work_item_id") DO UPDATE SET
                "last_at" = GREATEST("lesson_members"."last_at", excluded."last_at");
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

CREATE TRIGGER "lessons_rollup_insert" AFTER INSERT ON "lessons"
FOR EACH ROW EXECUTE FUNCTION "lessons_rollup_change"();
CREATE TRIGGER "lessons_rollup_bump" AFTER UPDATE OF "occurrences", "last_seen_at" ON "lessons"
FOR EACH ROW EXECUTE FUNCTION "lessons_rollup_change"();

-- The lessons recorded before this migration: their cells and latest lessons. (Their
-- fingerprints and patterns come from the journal's first open.)
INSERT INTO "lesson_members" ("by_repo", "lesson_type", "stage_key", "repo", "work_item_id", "last_at")
SELECT s."by_repo", l."lesson_type", CASE WHEN l."stage" IS NULL THEN '' ELSE '.' || l."stage" END,
    CASE WHEN s."by_repo" THEN COALESCE(l."repo", '') ELSE '' END, l."work_item_id", MAX(l."created_at")
FROM "lessons" AS l, (VALUES (false), (true)) AS s ("by_repo")
WHERE l."work_item_id" IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;
INSERT INTO "lesson_days" ("by_repo", "day", "lesson_type", "stage_key", "repo", "lessons", "occurrences",
    "work_items", "last_members", "first_seen_at", "last_seen_at")
SELECT s."by_repo", date_trunc('day', l."created_at"), l."lesson_type",
    CASE WHEN l."stage" IS NULL THEN '' ELSE '.' || l."stage" END,
    CASE WHEN s."by_repo" THEN COALESCE(l."repo", '') ELSE '' END,
    COUNT(*), SUM(l."occurrences"), COUNT(DISTINCT l."work_item_id"), 0, MIN(l."created_at"), MAX(l."last_seen_at")
FROM "lessons" AS l, (VALUES (false), (true)) AS s ("by_repo")
GROUP BY 1, 2, 3, 4, 5;
UPDATE "lesson_days" SET "last_members" = m."n"
FROM (SELECT "by_repo", date_trunc('day', "last_at") AS "day", "lesson_type", "stage_key", "repo", COUNT(*) AS "n"
      FROM "lesson_members" GROUP BY 1, 2, 3, 4, 5) AS m
WHERE "lesson_days"."by_repo" = m."by_repo" AND "lesson_days"."day" = m."day"
  AND "lesson_days"."lesson_type" = m."lesson_type" AND "lesson_days"."stage_key" = m."stage_key"
  AND "lesson_days"."repo" = m."repo";
