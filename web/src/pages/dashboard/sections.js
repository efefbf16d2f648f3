// @ts-check
// The dashboard's parts below the tiles: the follow-up list and the trend (under the tiles, below a phone's first
// screen), the brief's sections, the variants, the Notes card and the cohorts, one chunk loaded on demand (index.js,
// through onDemand; fetched as soon as the dashboard mounts, while its data loads). They stay out of the first load (its budget, and the script a phone
// parses before the tiles), and one chunk rather than one per part: each split of the bundle is gzipped on its own.
export { FollowUpCard } from './follow-up.js';
export { TrendCard } from './trend.js';
export { ActivitySection } from './activity.js';
export { ReplyRatesSection } from './reply-rates.js';
export { VariantsSection } from './variants.js';
export { QualificationSection } from './qualification.js';
export { DemographicsSection } from './demographics.js';
export { PipelineSection } from './pipeline.js';
export { PerformanceSection } from './performance.js';
export { NotesCard } from './notes.js';
export { CohortsSection } from './cohorts.js';
