/**
 * Option parsing shared by the commands: commander gives strings, zod turns them into typed,
 * validated values with messages that name the option.
 */
import { z } from 'zod';

export function parseOptions<T extends z.ZodTypeAny>(schema: T, raw: unknown): z.infer<T> {
  const r = schema.safeParse(raw);
  if (!r.success) {
    const first = r.error.issues[0]!;
    const name = first.path.length ? `--${String(first.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : 'options';
    throw new Error(`${name}: ${first.message}`);
  }
  return r.data;
}

export const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);
export const num = (min: number, max = Number.MAX_VALUE) => z.coerce.number().min(min).max(max);
export const positive = () => z.coerce.number().positive();
/** A comma-separated list of numbers ("1,5,10"). */
export const numberList = (min: number, max: number) =>
  z.string().transform((s, ctx) => {
    const xs = s.split(',').map((x) => Number(x.trim()));
    if (xs.some((x) => !Number.isFinite(x) || x < min || x > max)) {
      ctx.addIssue({ code: 'custom', message: `expected comma-separated numbers in [${min}, ${max}], got '${s}'` });
      return z.NEVER;
    }
    return xs;
  });
