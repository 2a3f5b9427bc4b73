// The benchmarks' figures: quantiles of timings and a Markdown table row of
// them, as docs/benchmarks.md records them.

/** The q-quantile of `xs` (the smallest value with at least q of them at or below it). */
export const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};

/** Prints `| name | n | median | p95 | max | unit |`. */
export const row = (name, xs, unit = 'ms') => console.log(
  `| ${name} | ${xs.length} | ${quantile(xs, 0.5).toFixed(1)} | ${quantile(xs, 0.95).toFixed(1)} | ${Math.max(...xs).toFixed(1)} | ${unit} |`);
