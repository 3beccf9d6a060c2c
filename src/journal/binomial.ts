// binomial: the exact tails of a binomial distribution, for the analytics' p-values
// (riceInputs' trend test, a pattern's efficacy).
//
// Promise: P(K <= k) and P(K >= k) for K ~ Binomial(n, p), for any n the journal can hold,
// as finite numbers in [0, 1]: never NaN, never Infinity (a tail too small for a double is
// 0). Each tail is computed on its own (not as 1 minus the other), so a tiny upper tail
// keeps its digits. Through the regularised incomplete beta function of stdlib, a
// well-kept numerical library (P(K <= k) = I_{1-p}(n - k, k + 1)); summing n terms by hand
// would cost O(n) per group and lose digits.
import betainc from '@stdlib/math-base-special-betainc';

/** A finite probability: NaN (which must not happen) is taken as 1, the safe "no evidence". */
function probability(value: number): number {
  if (Number.isNaN(value)) return 1;
  return Math.min(1, Math.max(0, value));
}

/** P(K <= k) for K ~ Binomial(n, p). */
export function lowerTail(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  // k = 0 is (1 - p)^n itself (so 20 events before a fix and none after is exactly 0.5^20).
  if (k === 0) return probability((1 - p) ** n);
  return probability(betainc(1 - p, n - k, k + 1, true, false));
}

/** P(K >= k) for K ~ Binomial(n, p). */
export function upperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  if (k === n) return probability(p ** n);
  return probability(betainc(p, k, n - k + 1, true, false));
}

/** The two-sided exact test of k in n at p = 1/2: min(1, 2 min(P(K <= k), P(K >= k))). */
export function twoSidedHalf(k: number, n: number): number {
  return Math.min(1, 2 * Math.min(lowerTail(k, n, 0.5), upperTail(k, n, 0.5)));
}
