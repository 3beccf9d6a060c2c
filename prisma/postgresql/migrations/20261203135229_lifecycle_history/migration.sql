-- AlterTable
ALTER TABLE "lessons" ADD COLUMN     "closed_at" TIMESTAMP(3),
ADD COLUMN     "recorded_at" TIMESTAMP(3),
ADD COLUMN     "recorded_by" TEXT,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "patterns" ADD COLUMN     "fix_ref" TEXT,
ADD COLUMN     "fixed_at" TIMESTAMP(3),
ADD COLUMN     "late_occurrences" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "regressed_at" TIMESTAMP(3),
ADD COLUMN     "regression_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "history" (
    "id" SERIAL NOT NULL,
    "entity" TEXT NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "changes" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "history_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "history_entity_idx" ON "history"("entity", "entity_id", "id");

-- Hand-written below.
--
-- Lessons closed before the lifecycle get the time they were last changed as the time they
-- were closed (updateLesson stamped it), so that time to close counts them; recorded_at
-- stays null for them (the journal reads it as created_at: they arrived when they happened).
UPDATE "lessons" SET "closed_at" = "updated_at" WHERE "status" = 'closed';

-- An occurrence's effect on its pattern, for the record that is one statement
-- (src/journal/record.ts calls it after the insert or the bump, in the same statement).
-- The rule is src/journal/occurrence.ts's, which the SQLite backend runs as statements of
-- the record's write: when the lesson's pattern is closed, an occurrence dated at or
-- after p_due (its fixed_at plus LESSONS_REGRESSION_GRACE_S, given as the occurrence time
-- minus the grace) regresses it (status, regressed_at, regression_count, version, and one
-- history event by `system`), an earlier one counts in late_occurrences; a pattern in any
-- other status is left alone. Returns 'regressed', 'late' or null.
-- Why a function: its statements are VOLATILE, so the UPDATE runs after the record's bump
-- or insert has locked the pattern's row (the bump's trigger, the insert's BEFORE trigger)
-- and sees what another writer committed meanwhile: of 50 concurrent recurrences, from any
-- number of replicas, exactly one finds the pattern closed.
CREATE FUNCTION "lessons_occurred"(
    p_lesson_id integer, p_at timestamp(3), p_due timestamp(3), p_now timestamp(3), p_reason text
) RETURNS text LANGUAGE plpgsql VOLATILE SET search_path FROM CURRENT AS $$
DECLARE
    v_id integer;
    v_status text;
    v_version integer;
    v_count integer;
BEGIN
    UPDATE "patterns" SET
        "status" = CASE WHEN "fixed_at" <= p_due THEN 'regressed' ELSE "status" END,
        "regressed_at" = CASE WHEN "fixed_at" <= p_due THEN p_at ELSE "regressed_at" END,
        "regression_count" = "regression_count" + CASE WHEN "fixed_at" <= p_due THEN 1 ELSE 0 END,
        "late_occurrences" = "late_occurrences" + CASE WHEN "fixed_at" <= p_due THEN 0 ELSE 1 END,
        "version" = "version" + CASE WHEN "fixed_at" <= p_due THEN 1 ELSE 0 END
    WHERE "id" = (SELECT "pattern_id" FROM "lessons" WHERE "id" = p_lesson_id) AND "status" = 'closed'
    RETURNING "id", "status", "version", "regression_count" INTO v_id, v_status, v_version, v_count;
    IF v_id IS NULL THEN
        RETURN NULL;
    END IF;
    IF v_status <> 'regressed' THEN
        RETURN 'late';
    END IF;
    INSERT INTO "history" ("entity", "entity_id", "version", "kind", "actor", "reason", "changes", "at")
    VALUES ('pattern', v_id, v_version, 'regressed', 'system', p_reason,
        json_build_array(
            json_build_object('field', 'status', 'from', 'closed', 'to', 'regressed'),
            json_build_object('field', 'regressionCount', 'from', (v_count - 1)::text, 'to', v_count::text)
        )::text,
        p_now);
    RETURN 'regressed';
END
$$;
