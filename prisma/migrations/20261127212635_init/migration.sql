-- CreateTable
CREATE TABLE "lessons" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    "last_seen_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
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
