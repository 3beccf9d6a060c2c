-- CreateTable
CREATE TABLE "lessons" (
    "id" SERIAL NOT NULL,
    "lesson_type" TEXT NOT NULL,
    "work_item_id" TEXT,
    "task_id" TEXT,
    "stage" TEXT,
    "agent" TEXT,
    "repo" TEXT,
    "root_cause" TEXT,
    "suggestion" TEXT,
    "status" TEXT NOT NULL DEFAULT 'new',
    "related_task" TEXT,
    "attribution" TEXT,
    "target_repo" TEXT,
    "target_domain" TEXT,
    "source" TEXT NOT NULL DEFAULT 'auto',
    "detail" JSONB,
    "occurrences" INTEGER NOT NULL DEFAULT 1,
    "last_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lessons_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lesson_counts" (
    "repo" TEXT NOT NULL,
    "lesson_type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "target_domain" TEXT NOT NULL,
    "attribution" TEXT NOT NULL,
    "lessons" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "lesson_counts_pkey" PRIMARY KEY ("repo","lesson_type","status","target_domain","attribution")
);

-- CreateIndex
CREATE INDEX "lessons_dedup_key_idx" ON "lessons"("work_item_id", "lesson_type", "stage", "created_at");

-- CreateIndex
CREATE INDEX "lessons_created_idx" ON "lessons"("created_at", "id");

-- CreateIndex
CREATE INDEX "lessons_type_created_idx" ON "lessons"("lesson_type", "created_at");

-- CreateIndex
CREATE INDEX "lessons_status_created_idx" ON "lessons"("status", "created_at");

-- CreateIndex
CREATE INDEX "lessons_repo_created_idx" ON "lessons"("repo", "created_at");

-- CreateIndex
CREATE INDEX "lessons_type_stage_created_idx" ON "lessons"("lesson_type", "stage", "created_at", "repo", "occurrences", "last_seen_at", "work_item_id");


-- Keep lesson_counts exact: every insert, re-classification and delete of a lesson moves
-- its count, inside the statement that changes the lesson. '' stands for null.
CREATE FUNCTION "lessons_count_change"() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE "lesson_counts" SET "lessons" = "lessons" - 1
        WHERE "repo" = COALESCE(OLD."repo", '') AND "lesson_type" = OLD."lesson_type" AND "status" = OLD."status"
          AND "target_domain" = COALESCE(OLD."target_domain", '') AND "attribution" = COALESCE(OLD."attribution", '');
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO "lesson_counts" ("repo", "lesson_type", "status", "target_domain", "attribution", "lessons")
        VALUES (COALESCE(NEW."repo", ''), NEW."lesson_type", NEW."status", COALESCE(NEW."target_domain", ''), COALESCE(NEW."attribution", ''), 1)
        ON CONFLICT ("repo", "lesson_type", "status", "target_domain", "attribution")
        DO UPDATE SET "lessons" = "lesson_counts"."lessons" + 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER "lessons_count_insert_delete" AFTER INSERT OR DELETE ON "lessons"
    FOR EACH ROW EXECUTE FUNCTION "lessons_count_change"();

CREATE TRIGGER "lessons_count_update" AFTER UPDATE OF "repo", "lesson_type", "status", "target_domain", "attribution" ON "lessons"
    FOR EACH ROW EXECUTE FUNCTION "lessons_count_change"();
