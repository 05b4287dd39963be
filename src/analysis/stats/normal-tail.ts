// SPDX-License-Identifier: Apache-2.0
// The Gaussian upper tail Q(z) = P(Z > z) = erfc(z / √2) / 2, with the Chebyshev fit of erfc from Numerical Recipes
// (`erfcc`, relative error below 1.2e-7 everywhere), which is enough for probabilities down to 1e-10.

/** Complementary error function. */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 +
    t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}

/** Upper tail probability of the standard normal distribution at z. */
export function normalTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}
