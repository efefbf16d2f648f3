// @ts-check
// What every section of the dashboard reads: the document, its glossary, the period picked, and how to open the
// leads behind a count. One context instead of the same five props through every component.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/** @typedef {import('../../api.js').DashboardView} DashboardView */
/**
 * @typedef {DashboardView & {
 *   period: import('../../period.js').PeriodOption,
 *   coachId: string | undefined,
 *   readOnly: boolean,
 *   drill: (kpi: string, label: string) => void,
 * }} DashboardContextValue
 */

export const DashboardContext = createContext(/** @type {DashboardContextValue | null} */ (null));

export const useDashboard = () => /** @type {DashboardContextValue} */ (useContext(DashboardContext));
