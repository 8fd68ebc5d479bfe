import type { DatasetRecord } from './records.js';
import type { PreparedRecord } from './cache/format.js';

/**
 * A classification task: class names in ascending severity (index = integer label, so the most
 * severe label of a patient is the largest integer) and the label of a record, or undefined
 * when the task excludes it (normals in benign-vs-malignant, BI-RADS 3 in a 1-2 vs 4-6 cut).
 */
export interface Task {
  name: string;
  classes: string[];
  labelOf(record: DatasetRecord): number | undefined;
}

export const normalVsAbnormal: Task = {
  name: 'normal-vs-abnormal',
  classes: ['normal', 'abnormal'],
  labelOf: (r) => (r.label === 'normal' ? 0 : r.label === 'benign' || r.label === 'malignant' ? 1 : undefined),
};

export const benignVsMalignant: Task = {
  name: 'benign-vs-malignant',
  classes: ['benign', 'malignant'],
  labelOf: (r) => (r.label === 'benign' ? 0 : r.label === 'malignant' ? 1 : undefined),
};

export const threeClass: Task = {
  name: 'three-class',
  classes: ['normal', 'benign', 'malignant'],
  labelOf: (r) => {
    const i = ['normal', 'benign', 'malignant'].indexOf(r.label);
    return i < 0 ? undefined : i;
  },
};

/**
 * A BI-RADS cut: `groups` maps each class (in ascending severity) to the BI-RADS categories it
 * takes. A category "4" matches the subcategories 4a/4b/4c; "4b" matches only 4b. Categories in
 * no group (3 in the default) and records without BI-RADS are excluded.
 */
export function biradsTask(
  groups: [string, string[]][] = [
    ['negative', ['1', '2']],
    ['positive', ['4', '5', '6']],
  ],
): Task {
  const classes = groups.map(([name]) => name);
  if (new Set(classes).size !== classes.length) throw new Error(`duplicate class in BI-RADS mapping: ${classes.join(', ')}`);
  const taken = new Map<string, string>();
  for (const [name, cats] of groups) {
    for (const cat of cats) {
      const c = cat.trim().toLowerCase();
      if (!/^[0-6][abc]?$/.test(c)) throw new Error(`bad BI-RADS category "${cat}"`);
      const other = taken.get(c);
      if (other !== undefined) throw new Error(`BI-RADS ${c} is mapped to both ${other} and ${name}`);
      taken.set(c, name);
    }
  }
  return {
    name: `birads(${groups.map(([n, c]) => `${c.join('+')}=${n}`).join(',')})`,
    classes,
    labelOf: (r) => {
      if (r.birads === undefined) return undefined;
      const b = r.birads.toLowerCase();
      // The exact subcategory wins over its main category.
      const name = taken.get(b) ?? taken.get(b[0]!);
      return name === undefined ? undefined : classes.indexOf(name);
    },
  };
}

/** The dataset's own labels as classes, in the order given (generic folders/manifests). */
export function labelTask(classes: string[], name = 'labels'): Task {
  return { name, classes, labelOf: (r) => (classes.includes(r.label) ? classes.indexOf(r.label) : undefined) };
}

export function taskByName(name: string): Task {
  switch (name) {
    case 'normal-vs-abnormal':
      return normalVsAbnormal;
    case 'benign-vs-malignant':
      return benignVsMalignant;
    case 'three-class':
      return threeClass;
    case 'birads':
      return biradsTask();
    default:
      throw new Error(`unknown task "${name}" (normal-vs-abnormal, benign-vs-malignant, three-class, birads)`);
  }
}

export interface Labeled<T> {
  item: T;
  label: number;
}

/** The records a task keeps, with their integer labels. */
export function applyTask<T extends DatasetRecord>(records: readonly T[], task: Task): Labeled<T>[] {
  return records.flatMap((item) => {
    const label = task.labelOf(item);
    return label === undefined ? [] : [{ item, label }];
  });
}

/** An image a task keeps: its row in the prepared file and its integer label. */
export interface LabeledItem {
  index: number;
  id: string;
  patientId: string;
  label: number;
}

export function labelItems(records: PreparedRecord[], taskName: string): { task: Task; items: LabeledItem[] } {
  const task = taskByName(taskName);
  const items: LabeledItem[] = [];
  records.forEach((r, index) => {
    const label = task.labelOf(r as unknown as DatasetRecord);
    if (label !== undefined) items.push({ index, id: r.id, patientId: r.patientId, label });
  });
  const present = new Set(items.map((i) => i.label));
  if (present.size < 2) throw new Error(`task ${task.name}: the dataset has ${items.length} usable images with ${present.size} class(es); at least two classes are needed`);
  return { task, items };
}
