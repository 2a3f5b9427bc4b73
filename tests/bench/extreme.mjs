// A session with every setting at the limit docs/session.md allows, on
// `quarterly`: the longest fitted tail (1,200 months, 1,200 extrapolation
// periods), the most periods, iterations and entries of every list, of
// origins, ages and diagonals the triangle does not have (each a warning).
// One drop short of the most, so that the clicked ratio fits.
// BENCH_LISTS=f scales the lists' lengths by f (0 for the tail and the
// numbers at their limits alone).
export function extremeSession() {
  const scale = Number(process.env.BENCH_LISTS ?? 1);
  const n = (k, f) => Array.from({ length: Math.round(k * scale) }, (_, i) => f(i));
  return [
    'segment: quarterly', 'measure: incurred', 'average: volume', 'n_periods: 1000',
    'tail_curve: exponential', 'tail_extrap_periods: 1200', 'tail_projection_months: 1200',
    'tail_fit_period: [3, 12000]', 'tail_constant: 100', 'benktander_iterations: 100',
    'cape_cod_trend: 10', 'default_apriori: 100', 'bootstrap_sims: 1000000',
    'drops:', ...n(999, (i) => `  - ["x${i}", ${1 + (i % 12_000)}]`),
    'drop_origins:', ...n(1_000, (i) => `  - "x${i}"`),
    'drop_valuations:', ...n(2_000, (i) => `  - "v${i}"`),
    'bf_apriori_by_uwy:', ...n(1_000, (i) => `  "x${i}": 100`),
    'selected_ultimate_by_uwy:', ...n(1_000, (i) => `  "x${i}": cape_cod`),
    'average_by_age:', ...n(1_000, (i) => `  ${12_000 - i}: {average: simple, n_periods: 1000}`),
    'ldf_by_age:', ...n(1_000, (i) => `  ${11_000 - i}: 10000`),
  ].join('\n') + '\n';
}


// Uploads the session at every limit into `page` (showing `quarterly`) and
// waits until it is loaded: the tail is the session's.
export async function loadExtreme(page) {
  await page.getByLabel('Upload session', { exact: true })
    .setInputFiles({ name: 'extreme.yml', mimeType: 'text/yaml', buffer: Buffer.from(extremeSession()) });
  await page.waitForFunction(() => document.querySelector('select[aria-label="Tail"]')?.value === 'exponential', null, { timeout: 30_000 });
}


// Opens `segment`'s Chain ladder view at `url` in `page`, waits for its
// first total, and with BENCH_EXTREME=1 loads the session at every limit:
// where the click benchmarks start.
export async function openChainLadder(page, url, segment = 'quarterly') {
  await page.goto(url + `#${segment}/chain-ladder`);
  await page.locator('.status .total').waitFor();
  if (process.env.BENCH_EXTREME) {
    await loadExtreme(page);
  }
}
