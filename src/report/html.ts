/**
 * Escaping for the HTML report. Every value that comes from the data (column names, categories,
 * labels) reaches the page through `esc` or the `html` tagged template, which escapes each
 * interpolation unless it is already `Html` (markup built by this module or the SVG helpers).
 *
 *   html`<td>${column}</td>`          -> column is escaped
 *   html`<div>${html`<b>x</b>`}</div>` -> nested markup kept
 *   html`<ul>${items.map(...)}</ul>`   -> arrays joined, each element escaped unless Html
 *
 * The same escaping is safe in element content and in double- or single-quoted attribute values
 * (HTML and SVG): it replaces & < > " ' and leaves nothing that can end a quoted attribute or open a tag.
 */

/** Markup that is already safe to insert (built from escaped parts). */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for element content or a quoted attribute value. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** What may be interpolated: text (escaped), numbers, Html (kept), arrays of those, null/undefined/false (dropped). */
export type Interpolation = Html | string | number | null | undefined | false | readonly Interpolation[];

function render(v: Interpolation): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return esc(v);
}

/** Tagged template: literal parts kept, interpolations escaped unless `Html`. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Mark a trusted constant string (never data) as markup. */
export function raw(trusted: string): Html {
  return new Html(trusted);
}

/** Join markup fragments. */
export function join(parts: readonly Interpolation[], sep = ''): Html {
  return new Html(parts.map(render).join(sep));
}
