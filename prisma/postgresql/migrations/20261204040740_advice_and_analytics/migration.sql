-- DropIndex
DROP INDEX "lessons_pattern_repo_idx";

-- CreateTable
CREATE TABLE "advisories" (
    "id" SERIAL NOT NULL,
    "pattern_id" INTEGER NOT NULL,
    "stage" TEXT NOT NULL,
    "repo" TEXT,
    "agent" TEXT,
    "work_item_id" TEXT,
    "score" DOUBLE PRECISION NOT NULL,
    "shown_at" TIMESTAMP(3) NOT NULL,
    "verdict" TEXT,
    "answered_at" TIMESTAMP(3),

    CONSTRAINT "advisories_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "advisories_pattern_shown_idx" ON "advisories"("pattern_id", "shown_at");

-- CreateIndex
CREATE INDEX "lessons_pattern_repo_idx" ON "lessons"("pattern_id", "repo", "attribution");

-- CreateIndex
CREATE INDEX "patterns_stage_status_idx" ON "patterns"("stage", "status");
