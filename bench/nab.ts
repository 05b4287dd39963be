// SPDX-License-Identifier: Apache-2.0
// `npm run bench:nab`: runs the streaming anomaly detector over a corpus laid out as NAB's (data/<category>/*.csv,
// a combined_windows.json and a profiles.json) and prints the three NAB v1.1 scores, with the threshold swept per
// profile over the whole corpus (how NAB reports every published detector) and at the product's fixed default
// threshold, plus the detector's throughput. The corpus is read in place; nothing is copied.
//
//   node --import tsx bench/nab.ts [--data DIR] [--windows FILE] [--profiles FILE] [--json] [--per-file]
//
// It also scores two fixed halves of the corpus (files sorted by name, alternately) on their own: a change to the
// detector should help, or at least not hurt, on both halves.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DEFAULT_ANOMALY_THRESHOLD,
  parseSeriesCsv,
  scoreSeries,
  type AnomalyDetectorOptions,
  type ParsedSeries,
} from '../src/analysis/anomalies/index.ts';
import {
  labelCorpus,
  parseNabProfiles,
  parseNabWindows,
  scoreAtThreshold,
  scoreCorpusAt,
  scoreCorpusSwept,
  splitHalves,
  STANDARD_PROFILES,
  type NabProfile,
  type NabWindow,
  type ProfileScore,
} from '../src/analysis/nab/index.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NAB_DIR = join(ROOT, '..', 'shared', 'nab');

export interface NabBenchOptions {
  /** Folder of `<category>/<file>.csv` series (default ../shared/nab/data). */
  readonly dataDir?: string;
  /** combined_windows.json (default ../shared/nab/labels/combined_windows.json). */
  readonly windowsFile?: string;
  /** profiles.json (default ../shared/nab/config/profiles.json, else NAB's three standard profiles). */
  readonly profilesFile?: string;
  /** Detector option overrides, for sensitivity studies (default: the product's defaults). */
  readonly detector?: Partial<AnomalyDetectorOptions>;
}

export interface NabFileResult {
  readonly file: string;
  readonly rows: number;
  readonly windows: number;
  /** Raw standard-profile score of this file at the swept standard threshold. */
  readonly rawStandardScore: number;
  readonly truePositives: number;
  readonly falseNegatives: number;
  readonly falsePositives: number;
}

export interface NabBenchReport {
  readonly files: number;
  readonly points: number;
  readonly windows: number;
  readonly profilesSource: string;
  readonly skippedFiles: readonly string[];
  readonly swept: readonly ProfileScore[];
  readonly fixedThreshold: number;
  readonly fixed: readonly ProfileScore[];
  /** Steady-state detector throughput (second pass), and the first pass including JIT warm-up. */
  readonly pointsPerSecond: number;
  readonly firstPassPointsPerSecond: number;
  readonly perFile: readonly NabFileResult[];
  /** The corpus cut in two fixed halves (files sorted by name, alternating), each scored on its own: a change to the
   * detector should help, or at least not hurt, on both, or it is fitted to a few files. */
  readonly halves: readonly NabHalfResult[];
}

export interface NabHalfResult {
  readonly half: 'A' | 'B';
  readonly files: readonly string[];
  readonly swept: readonly ProfileScore[];
  readonly fixed: readonly ProfileScore[];
}

interface CorpusFile {
  readonly name: string;
  readonly series: ParsedSeries;
  readonly windows: readonly NabWindow[];
}

function listCsv(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) listCsv(path, out);
    else if (name.endsWith('.csv')) out.push(path);
  }
  return out;
}

function loadCorpus(dataDir: string, windowsFile: string): { files: CorpusFile[]; skipped: string[] } {
  const windows = parseNabWindows(JSON.parse(readFileSync(windowsFile, 'utf8')) as unknown);
  const files: CorpusFile[] = [];
  const skipped: string[] = [];
  for (const path of listCsv(dataDir)) {
    const name = relative(dataDir, path).split(sep).join('/');
    const fileWindows = windows.get(name);
    if (!fileWindows) {
      skipped.push(name);
      continue;
    }
    try {
      files.push({ name, series: parseSeriesCsv(readFileSync(path, 'utf8')), windows: fileWindows });
    } catch (err) {
      throw new Error(`${name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  return { files, skipped };
}

function loadProfiles(profilesFile: string | undefined): { profiles: readonly NabProfile[]; source: string } {
  const path = profilesFile ?? join(NAB_DIR, 'config', 'profiles.json');
  if (!profilesFile && !existsSync(path)) return { profiles: STANDARD_PROFILES, source: 'embedded NAB v1.1 profiles' };
  return { profiles: parseNabProfiles(JSON.parse(readFileSync(path, 'utf8')) as unknown), source: path };
}

function scoreAll(files: readonly CorpusFile[], detector: Partial<AnomalyDetectorOptions> = {}): { scores: Float64Array[]; seconds: number } {
  const t0 = performance.now();
  const scores = files.map((f) => scoreSeries(f.series, detector));
  return { scores, seconds: (performance.now() - t0) / 1000 };
}

function perFileResults(
  labelled: ReturnType<typeof labelCorpus>,
  files: readonly CorpusFile[],
  standard: { profile: NabProfile; threshold: number },
): NabFileResult[] {
  return labelled.map((rows, i) => {
    const raw = scoreAtThreshold([rows], standard.profile.costMatrix, standard.threshold);
    const file = files[i] as CorpusFile;
    return {
      file: file.name,
      rows: rows.kinds.length,
      windows: file.windows.length,
      rawStandardScore: raw.rawScore,
      truePositives: raw.truePositives,
      falseNegatives: raw.falseNegatives,
      falsePositives: raw.falsePositives,
    };
  });
}

/** The two fixed halves of the corpus (splitHalves: by file name, alternately), each scored on its own. */
function halfResults(labelled: ReturnType<typeof labelCorpus>, files: readonly CorpusFile[], profiles: readonly NabProfile[]): NabHalfResult[] {
  const { a, b } = splitHalves(files.map((f) => f.name));
  return ([['A', a], ['B', b]] as const).map(([half, members]) => {
    const rows = members.map((i) => labelled[i] as (typeof labelled)[number]);
    return {
      half,
      files: members.map((i) => (files[i] as CorpusFile).name),
      swept: scoreCorpusSwept(rows, profiles),
      fixed: scoreCorpusAt(rows, profiles, DEFAULT_ANOMALY_THRESHOLD),
    };
  });
}

/** Scores the corpus and returns the report (no printing). */
export function runNabBench(options: NabBenchOptions = {}): NabBenchReport {
  const dataDir = options.dataDir ?? join(NAB_DIR, 'data');
  const windowsFile = options.windowsFile ?? join(NAB_DIR, 'labels', 'combined_windows.json');
  const { files, skipped } = loadCorpus(dataDir, windowsFile);
  const { profiles, source } = loadProfiles(options.profilesFile);
  const points = files.reduce((sum, f) => sum + f.series.values.length, 0);
  const first = scoreAll(files, options.detector);
  const second = scoreAll(files, options.detector);
  const labelled = labelCorpus(
    files.map((f, i) => ({ name: f.name, timestampsMs: f.series.timestampsMs, scores: first.scores[i] as Float64Array, windows: f.windows })),
  );
  const swept = scoreCorpusSwept(labelled, profiles);
  const standardIndex = Math.max(0, profiles.findIndex((p) => p.name === 'standard'));
  const standard = { profile: profiles[standardIndex] as NabProfile, threshold: (swept[standardIndex] as ProfileScore).threshold };
  return {
    files: files.length,
    points,
    windows: files.reduce((sum, f) => sum + f.windows.length, 0),
    profilesSource: source,
    skippedFiles: skipped,
    swept,
    fixedThreshold: DEFAULT_ANOMALY_THRESHOLD,
    fixed: scoreCorpusAt(labelled, profiles, DEFAULT_ANOMALY_THRESHOLD),
    pointsPerSecond: points / second.seconds,
    firstPassPointsPerSecond: points / first.seconds,
    perFile: perFileResults(labelled, files, standard),
    halves: halfResults(labelled, files, profiles),
  };
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
}

function scoreTable(title: string, scores: readonly ProfileScore[]): string[] {
  const widths = [20, 8, 10, 4, 4, 4];
  const lines = [title, row(['profile', 'score', 'threshold', 'TP', 'FN', 'FP'], widths)];
  for (const s of scores) {
    const cells = [s.profile, s.score.toFixed(2), s.threshold.toFixed(4), `${s.truePositives}`, `${s.falseNegatives}`, `${s.falsePositives}`];
    lines.push(row(cells, widths));
  }
  return lines;
}

/** Human-readable report. */
export function formatNabReport(report: NabBenchReport, opts: { perFile?: boolean } = {}): string {
  const lines = [
    `NAB v1.1 scores: ${report.files} files, ${report.points} points, ${report.windows} windows (profiles: ${report.profilesSource})`,
    '',
    ...scoreTable('threshold swept per profile over the corpus (as NAB reports published detectors)', report.swept),
    '',
    ...scoreTable(`fixed default threshold ${report.fixedThreshold.toFixed(4)} (the product's rule: p <= 1e-5)`, report.fixed),
    '',
    `speed: ${Math.round(report.pointsPerSecond)} points/s steady state, ${Math.round(report.firstPassPointsPerSecond)} points/s first pass (one core)`,
  ];
  for (const h of report.halves) {
    const cells = h.swept.map((s, i) => `${s.profile} ${s.score.toFixed(2)} / ${(h.fixed[i] as ProfileScore).score.toFixed(2)}`);
    lines.push(`half ${h.half} (${h.files.length} file${h.files.length === 1 ? '' : 's'}; swept / fixed): ${cells.join(', ')}`);
  }
  if (report.skippedFiles.length > 0) lines.push(`skipped (not in the windows file): ${report.skippedFiles.join(', ')}`);
  if (opts.perFile) {
    lines.push('', 'per file at the swept standard threshold (raw score, TP/FN/FP):');
    for (const f of report.perFile) {
      lines.push(`  ${f.file.padEnd(58)} ${f.rawStandardScore.toFixed(3).padStart(7)}  ${f.truePositives}/${f.falseNegatives}/${f.falsePositives}`);
    }
  }
  return lines.join('\n');
}

function main(argv: readonly string[]): number {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      data: { type: 'string' },
      windows: { type: 'string' },
      profiles: { type: 'string' },
      json: { type: 'boolean', default: false },
      'per-file': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const report = runNabBench({ dataDir: values.data, windowsFile: values.windows, profilesFile: values.profiles });
  console.log(values.json ? JSON.stringify(report, null, 2) : formatNabReport(report, { perFile: values['per-file'] }));
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    console.error(`bench:nab failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  }
}
