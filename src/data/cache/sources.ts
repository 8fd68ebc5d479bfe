/** Turns `<adapter> <path>` into the records to prepare and how to obtain each image. */
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { loadCbisDdsm, loadGeneric, loadInbreast, loadKau, loadMias, loadUnlabeled, loadVindr } from '../adapters/index.js';
import { planPhantomDataset } from '../phantom/index.js';
import type { Seed } from '../rng.js';
import type { DatasetRecord, Problem } from '../records.js';
import type { TaskInput } from './task.js';

export const ADAPTERS = ['mias', 'cbis-ddsm', 'inbreast', 'vindr', 'kau', 'folder', 'csv', 'unlabeled', 'phantom'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

/** Default phantom set when `phantom` gets no patient count. */
export const DEFAULT_PHANTOM_PATIENTS = 100;
/** Phantoms are rendered at max(this, largest requested size), so no size is an upsampling. */
export const DEFAULT_PHANTOM_RENDER = 256;

export interface PrepareItem {
  record: DatasetRecord;
  input: TaskInput;
}

export interface PrepareSource {
  adapter: string;
  /** The input as given (recorded in the metadata). */
  input: string;
  /** Folder that record sources are made relative to; undefined for phantoms. */
  root?: string;
  /** Default file name stem. */
  defaultName: string;
  items: PrepareItem[];
  problems: Problem[];
  phantom?: { seed: Seed; patients: number; renderSize: number; lesionScale?: number };
}

export interface SourceOptions {
  /** Phantom seed. Default 1. */
  seed?: Seed;
  /** The sizes to prepare: phantoms render at least this large. */
  sizes?: number[];
  /** Phantom lesion size relative to the default (PhantomSpec.lesionScale). */
  lesionScale?: number;
}

const DEFAULT_NAMES: Partial<Record<AdapterName, string>> = {
  mias: 'mini-mias', 'cbis-ddsm': 'cbis-ddsm', inbreast: 'inbreast', vindr: 'vindr-mammo', kau: 'kau-bcmd', phantom: 'phantom',
};

export async function collectSource(adapter: AdapterName, path: string, options: SourceOptions = {}): Promise<PrepareSource> {
  if (adapter === 'phantom') return phantomSource(path, options);
  const abs = resolve(path);
  let info;
  try {
    info = await stat(abs);
  } catch {
    throw new Error(`${path}: no such file or folder`);
  }
  if (adapter === 'csv' && !info.isFile()) throw new Error(`csv adapter: ${path} must be a manifest file (path,label,patient_id[,split])`);
  if (adapter !== 'csv' && !info.isDirectory()) throw new Error(`${adapter} adapter: ${path} must be a folder`);
  const result = await load(adapter, abs);
  const root = adapter === 'csv' ? resolve(abs, '..') : abs;
  const stem = basename(abs).replace(/\.[^.]+$/, '') || 'dataset';
  return {
    adapter,
    input: path,
    root,
    defaultName: DEFAULT_NAMES[adapter] ?? stem,
    items: result.records.map((record) => ({ record, input: { kind: 'file', path: record.imagePath } })),
    problems: result.problems,
  };
}

function load(adapter: Exclude<AdapterName, 'phantom'>, abs: string) {
  switch (adapter) {
    case 'mias': return loadMias(abs);
    case 'cbis-ddsm': return loadCbisDdsm(abs);
    case 'inbreast': return loadInbreast(abs);
    case 'vindr': return loadVindr(abs);
    case 'kau': return loadKau(abs);
    // loadGeneric picks manifest vs folder-per-class from the path; the checks above make the choice explicit.
    case 'folder':
    case 'csv': return loadGeneric(abs);
    case 'unlabeled': return loadUnlabeled(abs);
  }
}

function phantomSource(path: string, options: SourceOptions): PrepareSource {
  const n = Number(path);
  const patients = /^\d+$/.test(path.trim()) && n >= 1 ? n : DEFAULT_PHANTOM_PATIENTS;
  const seed = options.seed ?? 1;
  const renderSize = Math.max(DEFAULT_PHANTOM_RENDER, ...(options.sizes ?? []));
  const plan = planPhantomDataset({ patients, seed });
  return {
    adapter: 'phantom',
    input: path,
    defaultName: 'phantom',
    items: plan.map((p) => ({
      record: p.record,
      input: { kind: 'phantom', spec: { seed, index: p.index, label: p.label, laterality: p.laterality, size: renderSize, lesionScale: options.lesionScale } },
    })),
    problems: [],
    phantom: { seed, patients, renderSize, ...(options.lesionScale ? { lesionScale: options.lesionScale } : {}) },
  };
}
