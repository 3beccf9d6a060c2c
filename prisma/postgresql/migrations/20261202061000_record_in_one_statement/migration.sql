-- PostgreSQL only, hand-written: a deduplicated record in one statement, so one round trip
-- from the service instead of three or four (take the key's lock, insert unless a duplicate
-- exists, else bump it, give the lock back).
--
-- The record (src/journal/record.ts) is `WITH bumped AS (SELECT lessons_bump_duplicate(...)
-- AS id), inserted AS (INSERT INTO lessons ... SELECT ... FROM bumped WHERE bumped.id IS NULL
-- RETURNING ...) SELECT ... FROM bumped LEFT JOIN inserted ON true`: the inserted lesson, or
-- the id of the lesson the record folded into.
--
-- The function takes the dedup key's advisory lock for the rest of the statement's
-- transaction (autocommit: until the lesson is committed), then bumps the newest duplicate:
-- an earlier auto lesson with the same work item, type and stage (null equal to null),
-- created at or after p_since; its occurrences go up by one and its last_seen_at becomes
-- p_now, never earlier than it was. It returns that lesson's id, or null when there was
-- none, and the INSERT then runs. Why a function: its statements are VOLATILE, so each
-- takes its snapshot after the lock is held and sees a duplicate another writer committed
-- while this one waited; the INSERT's own snapshot, taken before, would not. The journal's
-- SQLite backend runs the same rule as two statements in one write (src/journal/record.ts).
CREATE FUNCTION "lessons_bump_duplicate"(
    p_key text, p_work_item_id text, p_lesson_type text, p_stage text,
    p_since timestamp(3), p_now timestamp(3)
) RETURNS integer LANGUAGE plpgsql VOLATILE SET search_path FROM CURRENT AS $$
DECLARE
    v_id integer;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(p_key, 0));
    IF p_work_item_id IS NOT NULL AND p_stage IS NOT NULL THEN
        -- The usual key: a plan cached with the function, an index range of
        -- lessons_dedup_key_idx read newest first.
        SELECT "id" INTO v_id FROM "lessons"
        WHERE "work_item_id" = p_work_item_id AND "lesson_type" = p_lesson_type
          AND "stage" = p_stage AND "source" = 'auto' AND "created_at" >= p_since
        ORDER BY "created_at" DESC, "id" DESC LIMIT 1;
    ELSE
        -- A null part: `IS NULL` written out, so that it is an index condition too, and
        -- the order given as the whole index key (the same order here: the key's columns
        -- are constant), since the planner does not take `IS NULL` as an equality that
        -- lets it read the index backwards without a sort.
        EXECUTE 'SELECT "id" FROM "lessons"
            WHERE ' || CASE WHEN p_work_item_id IS NULL THEN '"work_item_id" IS NULL' ELSE '"work_item_id" = $1' END || '
              AND "lesson_type" = $2
              AND ' || CASE WHEN p_stage IS NULL THEN '"stage" IS NULL' ELSE '"stage" = $3' END || '
              AND "source" = ''auto'' AND "created_at" >= $4
            ORDER BY "work_item_id" DESC, "lesson_type" DESC, "stage" DESC, "created_at" DESC, "id" DESC
            LIMIT 1'
        INTO v_id USING p_work_item_id, p_lesson_type, p_stage, p_since;
    END IF;
    IF v_id IS NOT NULL THEN
        UPDATE "lessons" SET "occurrences" = "occurrences" + 1,
            "last_seen_at" = GREATEST("last_seen_at", p_now)
        WHERE "id" = v_id;
    END IF;
    RETURN v_id;
END
$$;
