// @ts-check
// What issue 22 added to the page, one chunk loaded on demand (index.js and admin.js, through onDemand): the
// variants report, the Notes card, the cohorts and the admin's comparison of the coaches. One chunk rather than
// one per part: each split of the bundle is gzipped on its own, and a few small files cost more than they save.
export { VariantsSection } from './pages/dashboard/variants.js';
export { NotesCard } from './pages/dashboard/notes.js';
export { CohortsSection } from './pages/dashboard/cohorts.js';
export { CoachComparison } from './pages/admin-compare.js';
