-- DropIndex
DROP INDEX "lessons_dedup_key_idx";

-- CreateIndex
CREATE INDEX "lessons_dedup_key_idx" ON "lessons"("work_item_id", "lesson_type", "stage", "created_at", "id");
