"""The canonical slugs, spelled exactly as the seed module spells them (and as the service's
`lessonSlugs` serves them). They are conventions, not enum constraints: any string is sent."""

from __future__ import annotations


class LessonType:
    """Canonical ``lesson_type`` slugs written by the auto-detectors (D3)."""

    GATE_FAILURE = "gate_failure"  # QG rollback to development
    MERGE_HOLD = "merge_hold"  # merge not verified -> task held on deploy
    TRANSIENT_RETRY = "transient_retry"  # transient retry budget exhausted
    DEPLOY_DEGRADED = "deploy_degraded"  # post-deploy DEGRADED -> repo freeze


class Attribution:
    """``attribution`` slugs (who a lesson is about; auto-records leave it None or ``unknown``)."""

    PLATFORM = "platform"
    PROJECT = "project"
    BOTH = "both"
    UNKNOWN = "unknown"


class Domain:
    """``target_domain`` slugs (which improvement axis a lesson touches)."""

    RELIABILITY = "reliability"
    QUALITY = "quality"
    ECONOMY = "economy"
    FEATURES = "features"
    SCALE = "scale"


class Status:
    """``status`` lifecycle slugs."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"
    LINKED = "linked"
