-- PostgreSQL only, hand-written: the same rollups as 20261201230248_patterns_and_rollups
-- (what each counter keeps is described there, and the concurrency rules are the same),
-- in four statements per recorded lesson instead of seventeen, and three per dedup bump
-- instead of four: each statement of a PL/pgSQL trigger costs its own executor start,
-- snapshot and locks, on the record's path.
--
-- A pattern's counters and its day are one statement; the cells over every repo and per
-- repo, the work item's move out of an earlier day's cell and its latest lesson are
-- another. Within one statement the parts of a WITH run in no fixed order, so no statement
-- changes a row twice (a work item's latest lesson moving within a day changes that day's
-- cell once, not "minus one, then plus one"), and cells are only changed under the key's
-- advisory lock (a bump now takes it too, after the pattern's row), so two writers never
-- lock two cells in opposite orders.

CREATE OR REPLACE FUNCTION "lessons_pattern_assign"() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
DECLARE
    v_id integer;
    v_merged integer;
BEGIN
    IF NEW."fingerprint" IS NULL THEN
        RETURN NEW;
    END IF;
    -- The usual case, a fingerprint seen before: one statement.
    SELECT "id", "merged_into" INTO v_id, v_merged
    FROM "patterns" WHERE "fingerprint" = NEW."fingerprint" FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO "patterns" ("fingerprint", "lesson_type", "stage", "root_cause", "first_seen_at", "last_seen_at", "created_at")
        VALUES (NEW."fingerprint", NEW."lesson_type", NEW."stage", NEW."root_cause", NEW."created_at", NEW."last_seen_at", NEW."created_at")
        ON CONFLICT ("fingerprint") DO NOTHING;
        SELECT "id", "merged_into" INTO v_id, v_merged
        FROM "patterns" WHERE "fingerprint" = NEW."fingerprint" FOR UPDATE;
    END IF;
    -- A merged fingerprint's survivor is a row of its own: hold it too, before the
    -- counters' probes (in the AFTER trigger) take their snapshot.
    IF v_merged IS NOT NULL THEN
        PERFORM 1 FROM "patterns" WHERE "id" = v_merged FOR UPDATE;
    END IF;
    NEW."pattern_id" := COALESCE(v_merged, v_id);
    RETURN NEW;
END
$$;

-- enable_seqscan off: every statement here is a lookup by an index, and the planner's
-- other choice, a scan of `lessons` until a first match, finds that match at the far end
-- of the table when the pattern's lessons are recent (a new pattern in an old journal).
CREATE OR REPLACE FUNCTION "lessons_rollup_change"() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT SET enable_seqscan = off AS $$
DECLARE
    v_day timestamp(3) := date_trunc('day', NEW."created_at");
    v_stage_key text := CASE WHEN NEW."stage" IS NULL THEN '' ELSE '.' || NEW."stage" END;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        -- A dedup bump: the same counters grow; nothing distinct changes.
        UPDATE "patterns" SET
            "occurrences" = "occurrences" + NEW."occurrences" - OLD."occurrences",
            "last_seen_at" = GREATEST("last_seen_at", NEW."last_seen_at")
        WHERE "id" = NEW."pattern_id";
        PERFORM pg_advisory_xact_lock(hashtextextended('lesson_days' || chr(31) || NEW."lesson_type" || chr(31) || v_stage_key, 0));
        WITH "days" AS (
            UPDATE "pattern_days" SET "occurrences" = "occurrences" + NEW."occurrences" - OLD."occurrences"
            WHERE "pattern_id" = NEW."pattern_id" AND "day" = v_day
            RETURNING 1)
        UPDATE "lesson_days" SET
            "occurrences" = "occurrences" + NEW."occurrences" - OLD."occurrences",
            "last_seen_at" = GREATEST("last_seen_at", NEW."last_seen_at")
        WHERE "day" = v_day AND "lesson_type" = NEW."lesson_type" AND "stage_key" = v_stage_key
          AND (("by_repo" = false AND "repo" = '') OR ("by_repo" = true AND "repo" = COALESCE(NEW."repo", '')));
        RETURN NULL;
    END IF;

    IF NEW."pattern_id" IS NOT NULL THEN
        -- The pattern's row is ours since the BEFORE trigger: this statement's snapshot
        -- sees every lesson of the pattern committed before it.
        WITH "counted" AS (
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
            WHERE "id" = NEW."pattern_id"
            RETURNING "id")
        INSERT INTO "pattern_days" ("pattern_id", "day", "lessons", "occurrences")
        SELECT "id", v_day, 1, NEW."occurrences" FROM "counted"
        ON CONFLICT ("pattern_id", "day") DO UPDATE SET
            "lessons" = "pattern_days"."lessons" + 1,
            "occurrences" = "pattern_days"."occurrences" + excluded."occurrences";
    END IF;

    PERFORM pg_advisory_xact_lock(hashtextextended('lesson_days' || chr(31) || NEW."lesson_type" || chr(31) || v_stage_key, 0));
    -- The key over every repo and per repo, in one statement: the work item's latest
    -- lesson of the key before this one (prev), its move out of an earlier day's cell,
    -- its new latest lesson, and this day's cells.
    WITH "keys" ("by_repo", "repo") AS (VALUES (false, ''), (true, COALESCE(NEW."repo", ''))),
    "prev" AS (
        SELECT k."by_repo", k."repo", m."last_at" AS "at"
        FROM "keys" AS k LEFT JOIN "lesson_members" AS m
          ON NEW."work_item_id" IS NOT NULL AND m."by_repo" = k."by_repo"
         AND m."lesson_type" = NEW."lesson_type" AND m."stage_key" = v_stage_key
         AND m."repo" = k."repo" AND m."work_item_id" = NEW."work_item_id"),
    "moved" AS (
        UPDATE "lesson_days" AS d SET "last_members" = d."last_members" - 1
        FROM "prev" AS p
        WHERE p."at" < NEW."created_at" AND date_trunc('day', p."at") <> v_day
          AND d."by_repo" = p."by_repo" AND d."day" = date_trunc('day', p."at")
          AND d."lesson_type" = NEW."lesson_type" AND d."stage_key" = v_stage_key AND d."repo" = p."repo"
        RETURNING 1),
    "latest" AS (
        INSERT INTO "lesson_members" ("by_repo", "lesson_type", "stage_key", "repo", "work_item_id", "last_at")
        SELECT p."by_repo", NEW."lesson_type", v_stage_key, p."repo", NEW."work_item_id", NEW."created_at"
        FROM "prev" AS p WHERE NEW."work_item_id" IS NOT NULL
        ON CONFLICT ("by_repo", "lesson_type", "stage_key", "repo", "work_item_id") DO UPDATE SET
            "last_at" = GREATEST("lesson_members"."last_at", excluded."last_at")
        RETURNING 1)
    INSERT INTO "lesson_days" ("by_repo", "day", "lesson_type", "stage_key", "repo", "lessons", "occurrences",
        "work_items", "last_members", "first_seen_at", "last_seen_at")
    SELECT p."by_repo", v_day, NEW."lesson_type", v_stage_key, p."repo", 1, NEW."occurrences",
        CASE WHEN NEW."work_item_id" IS NULL THEN 0
             WHEN p."at" IS NULL OR p."at" < v_day THEN 1
             WHEN p."at" < v_day + interval '1 day' THEN 0
             WHEN EXISTS (SELECT 1 FROM "lessons" AS l WHERE l."work_item_id" = NEW."work_item_id"
                AND l."lesson_type" = NEW."lesson_type" AND l."stage" IS NOT DISTINCT FROM NEW."stage"
                AND (NOT p."by_repo" OR l."repo" IS NOT DISTINCT FROM NEW."repo")
                AND l."created_at" >= v_day AND l."created_at" < v_day + interval '1 day'
                AND l."id" <> NEW."id") THEN 0
             ELSE 1 END,
        -- The work item's latest lesson moves into this day (from no day, or another one).
        CASE WHEN NEW."work_item_id" IS NOT NULL
              AND (p."at" IS NULL OR (p."at" < NEW."created_at" AND date_trunc('day', p."at") <> v_day))
             THEN 1 ELSE 0 END,
        NEW."created_at", NEW."last_seen_at"
    FROM "prev" AS p
    ON CONFLICT ("by_repo", "day", "lesson_type", "stage_key", "repo") DO UPDATE SET
        "lessons" = "lesson_days"."lessons" + 1,
        "occurrences" = "lesson_days"."occurrences" + excluded."occurrences",
        "work_items" = "lesson_days"."work_items" + excluded."work_items",
        "last_members" = "lesson_days"."last_members" + excluded."last_members",
        "first_seen_at" = LEAST("lesson_days"."first_seen_at", excluded."first_seen_at"),
        "last_seen_at" = GREATEST("lesson_days"."last_seen_at", excluded."last_seen_at");
    RETURN NULL;
END
$$;
