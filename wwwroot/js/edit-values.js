// The edit form's values as the API takes them. Pure functions, no DOM.

/** The values of one edit form: only fields whose value differs from the settlement's are sent. */
export function changedProperties(fields, current, formValues) {
  const changed = {};
  for (const field of fields) {
    if (!(field.name in formValues)) continue;
    const value = formValues[field.name];
    const before = current[field.name] ?? null;
    if (String(value ?? '') !== String(before ?? '')) changed[field.name] = value;
  }
  return changed;
}

/** A form control's text as the API's JSON value for the field's kind ('' → null; numbers stay text when not numbers, so the server names the mistake). */
export function parseFieldValue(kind, text) {
  const trimmed = String(text ?? '').trim();
  if (kind === 'enum') return trimmed;
  if (trimmed === '') return null;
  if (kind === 'whole_number' || kind === 'number') {
    const number = Number(trimmed.replace(',', '.'));
    return Number.isFinite(number) ? number : trimmed;
  }
  return trimmed;
}
