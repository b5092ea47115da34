import { describe, expect, it } from 'vitest';

import {
  definitionsListReducer,
  initialDefinitionsListState,
} from '@/features/definitions/hooks/definitions-list-reducer';

describe('definitionsListReducer', () => {
  it('searches and toggles archived from the first page', () => {
    const paged = definitionsListReducer(initialDefinitionsListState, { type: 'pageChanged', page: 4 });
    const typed = definitionsListReducer(paged, { type: 'searchChanged', search: ' onboard ' });
    expect(definitionsListReducer(typed, { type: 'searchSubmitted' })).toMatchObject({ q: 'onboard', page: 1 });
    expect(definitionsListReducer(paged, { type: 'archivedToggled' })).toMatchObject({ archived: true, page: 1 });
    expect(definitionsListReducer(paged, { type: 'pageChanged', page: 0 })).toBe(paged);
  });
});
