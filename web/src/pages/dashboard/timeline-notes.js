// @ts-check
// The timeline notes of the document's period (get_timeline_notes): the trend's markers and the Notes card (notes.js,
// loaded on demand) both show them.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { fetchTimelineNotes } from '../../api.js';
import { describe } from '../../errors.js';

/** @typedef {import('../../dashboard-types').TimelineNote} TimelineNote */

/**
 * The notes of the document's period, loaded with it and again after a change.
 * @param {import('../../api.js').DashboardView | null} view @param {string | undefined} coachId
 */
export function useTimelineNotes(view, coachId) {
    const [notes, setNotes] = useState(/** @type {TimelineNote[] | null} */ (null));
    const [problem, setProblem] = useState(/** @type {string | null} */ (null));
    const period = view?.doc.period;
    const key = view ? `${coachId}|${period?.key}|${period?.start}|${period?.end}|${view.doc.last_updated}` : '';
    const reload = useCallback(() => {
        if (!period) return Promise.resolve();
        return fetchTimelineNotes({ coachId, period }).then((n) => { setNotes(n); setProblem(null); }, (e) => setProblem(describe(e).message));
    }, [key]);
    useEffect(() => {
        reload();
    }, [reload]);
    return { notes, problem, reload };
}
