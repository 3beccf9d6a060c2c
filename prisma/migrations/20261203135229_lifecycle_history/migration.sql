-- Written by hand where Prisma's diff would rebuild `lessons` and `patterns` (a copy of
-- every row, and the loss of their triggers): the same columns, added in place, which
-- SQLite does without touching a row. The resulting schema is the model's (the drift test
-- replays this history against prisma/schema.prisma).

-- AlterTable
ALTER TABLE "lessons" ADD COLUMN "recorded_at" DATETIME;
ALTER TABLE "lessons" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "lessons" ADD COLUMN "closed_at" DATETIME;
ALTER TABLE "lessons" ADD COLUMN "recorded_by" TEXT;

-- AlterTable
ALTER TABLE "patterns" ADD COLUMN "fixed_at" DATETIME;
ALTER TABLE "patterns" ADD COLUMN "fix_ref" TEXT;
ALTER TABLE "patterns" ADD COLUMN "regressed_at" DATETIME;
ALTER TABLE "patterns" ADD COLUMN "regression_count" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "patterns" ADD COLUMN "late_occurrences" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "patterns" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "history" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "entity" TEXT NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "changes" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "history_entity_idx" ON "history"("entity", "entity_id", "id");

-- Hand-written: lessons closed before the lifecycle get the time they were last changed
-- as the time they were closed (updateLesson stamped it), so that time to close counts
-- them; recorded_at stays null for them (the journal reads it as created_at: they arrived
-- when they happened).
UPDATE "lessons" SET "closed_at" = "updated_at" WHERE "status" = 'closed';
