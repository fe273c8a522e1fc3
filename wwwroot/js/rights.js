// Who may edit where, as the page decides it (the server decides again on every write): a signed-in
// administrator everywhere, a coordinator in their own municipalities, nobody while the map shows a past day.
// One rule for settlements (editing.js) and their measures (measures.js); no DOM, so node tests import it.
import { store } from './store.js';
import { inPast } from './as-of.js';

/** Whether the signed-in user may edit what belongs to the municipality with this code. */
export function canEditIn(municipalityCode) {
  const user = store.get('user');
  if (!user || !user.signed_in || inPast()) return false;
  return user.role === 'administrator' || user.municipalities.includes(municipalityCode);
}
