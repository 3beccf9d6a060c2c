// The canonical slugs, in one place, shared by the code, the tests and the `lessonSlugs`
// query. Slugs are strings, never database enums: an unknown slug is stored as given, so
// a new kind of lesson needs no migration (forward-compatible, as in the original module).

/** `lesson_type`: what went off the happy path (written by the auto-detectors). */
export const LessonType = {
  /** A quality gate rolled a task back to development. */
  GATE_FAILURE: 'gate_failure',
  /** A merge was not verified; the task is held on deploy. */
  MERGE_HOLD: 'merge_hold',
  /** A transient retry budget ran out. */
  TRANSIENT_RETRY: 'transient_retry',
  /** A post-deploy verdict came back DEGRADED; the repo is frozen. */
  DEPLOY_DEGRADED: 'deploy_degraded',
} as const;

/** `attribution`: who a lesson is about (set later by a person or the retrospective agent). */
export const Attribution = {
  PLATFORM: 'platform',
  PROJECT: 'project',
  BOTH: 'both',
  UNKNOWN: 'unknown',
} as const;

/** `target_domain`: which improvement axis a lesson touches. */
export const Domain = {
  RELIABILITY: 'reliability',
  QUALITY: 'quality',
  ECONOMY: 'economy',
  FEATURES: 'features',
  SCALE: 'scale',
} as const;

/** `status`: the lifecycle of a lesson. */
export const Status = {
  NEW: 'new',
  IN_PROGRESS: 'in_progress',
  CLOSED: 'closed',
  LINKED: 'linked',
} as const;

/** `source`: auto records are deduplicated; manual ones never are. */
export const Source = {
  AUTO: 'auto',
  MANUAL: 'manual',
} as const;

/** Statuses that count as open in the snapshot. */
export const OPEN_STATUSES: readonly string[] = [Status.NEW, Status.IN_PROGRESS];

export interface Slugs {
  lessonTypes: string[];
  attributions: string[];
  domains: string[];
  statuses: string[];
  sources: string[];
}

export const SLUGS: Slugs = {
  lessonTypes: Object.values(LessonType),
  attributions: Object.values(Attribution),
  domains: Object.values(Domain),
  statuses: Object.values(Status),
  sources: Object.values(Source),
};
