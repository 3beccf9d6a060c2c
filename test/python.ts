// For tests that need Python: python3 when it is there and new enough for the client
// (3.11: tomllib, datetime.UTC), else why not; and whether the run requires it
// (LESSONS_REQUIRE_PYTHON=1, as .ci/run sets), where that reason fails instead of skipping.
import { execFileSync } from 'node:child_process';

/** Why python3 can't be used here, or undefined when it can. */
export function pythonUnavailable(): string | undefined {
  try {
    const version = execFileSync('python3', ['-c', 'import sys; print(*sys.version_info[:2])'], {
      encoding: 'utf8',
    });
    const [major = 0, minor = 0] = version.trim().split(' ').map(Number);
    return major > 3 || (major === 3 && minor >= 11)
      ? undefined
      : `python3 is ${major}.${minor}; the client needs 3.11 or later`;
  } catch (error) {
    return `no python3 (${(error as Error).message.split('\n')[0]})`;
  }
}

export const PYTHON_REQUIRED = /^(1|true|yes|on)$/i.test(
  process.env.LESSONS_REQUIRE_PYTHON?.trim() ?? '',
);
