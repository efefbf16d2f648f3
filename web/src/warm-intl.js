// A classic script that index.html loads `async`, apart from the page's modules: it runs as soon as it arrives, while
// the page's own script is still downloading, and makes one French number, date and relative-time format (and the
// ISO day format of period.js). The first Intl format a page makes loads ICU's data, which costs tens of
// milliseconds on a phone (about 15 times more than any format made after it): here that happens while the main thread
// has nothing else to do, rather than in the first render that shows a number or a date. The page does not depend on
// it: without it, its own first format loads the same data.
for (const make of [
    () => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 }).format(1234.5),
    () => new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(0),
    () => new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(0),
    () => new Intl.RelativeTimeFormat('fr', { numeric: 'auto', style: 'short' }).format(-1, 'minute'),
]) {
    try {
        make();
    } catch {
        // a browser without one of them: the page makes do without it
    }
}
