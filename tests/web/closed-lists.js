// The closed lists as /api/config serves them (unknown first), for the tests of the page's modules.
export const closedLists = {
  water_supply: ['unknown', 'network', 'wells', 'none'],
  sewerage: ['unknown', 'network', 'septic', 'none'],
  electricity: ['unknown', 'legal', 'partial', 'illegal', 'none'],
  legal_status: ['unknown', 'legalised', 'in_process', 'not_legalised'],
  yes_no: ['unknown', 'yes', 'no'],
};
