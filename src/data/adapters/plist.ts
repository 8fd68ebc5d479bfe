/** A parsed Apple XML property list value (the format of INbreast's OsiriX ROI files). */
export type PlistValue = string | number | boolean | PlistValue[] | { [key: string]: PlistValue };

/**
 * Minimal XML plist parser: dict, array, string, integer, real, true, false, date, data.
 * Enough for OsiriX ROI exports; it does not validate. Nesting in those files is a few levels,
 * so the recursive descent below cannot run deep.
 */
export function parsePlist(xml: string): PlistValue {
  // Drop the XML declaration, DOCTYPE and comments before tokenising.
  const body = xml.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<![^>]*>/g, '');
  const tokens = [...body.matchAll(/<(\/?)([A-Za-z]+)[^>]*?(\/?)>|([^<]+)/g)].filter(
    (m) => !(m[4] !== undefined && m[4].trim() === '') && !(m[2] !== undefined && /^(xml|plist|DOCTYPE)$/i.test(m[2])),
  );
  let i = 0;
  const value = (): PlistValue => {
    const t = tokens[i++];
    if (!t || t[2] === undefined) throw new Error('plist: expected a tag');
    const tag = t[2];
    if (t[3] === '/') {
      if (tag === 'true') return true;
      if (tag === 'false') return false;
      return tag === 'dict' ? {} : tag === 'array' ? [] : '';
    }
    if (tag === 'dict') {
      const out: Record<string, PlistValue> = {};
      while (tokens[i] && !(tokens[i]![1] === '/' && tokens[i]![2] === 'dict')) {
        const k = tokens[i++]!;
        if (k[2] !== 'key') throw new Error('plist: expected <key>');
        const name = tokens[i]![4] !== undefined ? decode(tokens[i++]![4]!) : '';
        i++; // </key>
        out[name] = value();
      }
      i++;
      return out;
    }
    if (tag === 'array') {
      const out: PlistValue[] = [];
      while (tokens[i] && !(tokens[i]![1] === '/' && tokens[i]![2] === 'array')) out.push(value());
      i++;
      return out;
    }
    const text = tokens[i]![4] !== undefined ? decode(tokens[i++]![4]!) : '';
    i++; // closing tag
    if (tag === 'integer' || tag === 'real') return Number(text);
    return text;
  };
  return value();
}

function decode(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
