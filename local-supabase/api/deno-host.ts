// Runs one Supabase edge function under Deno for the local API stand-in (local-supabase/api/functions.js), the way the
// Supabase edge runtime does: the function's index.ts calls Deno.serve(handler); here that call listens on
// 127.0.0.1:$FUNCTION_PORT, and "listening" on stdout tells the API the function is ready.
//   deno run --config supabase/functions/<name>/deno.json ... local-supabase/api/deno-host.ts file:///…/<name>/index.ts
// The API holds this process's stdin open: when the API ends, however it ends (Ctrl-C, a crash, kill -9), stdin
// reaches its end and the function ends with it instead of listening on as an orphan.
const entry = Deno.args[0];
const port = Number(Deno.env.get('FUNCTION_PORT'));
const realServe = Deno.serve.bind(Deno);
let served = false;

(async () => {
    try {
        for await (const _ of Deno.stdin.readable) { /* the API never writes: only the end matters */ }
    } catch { /* a broken pipe is an end too */ }
    Deno.exit(0);
})();

// deno-lint-ignore no-explicit-any
function hostedServe(a: any, b?: any) {
    const handler = typeof a === 'function' ? a : (b ?? a?.handler);
    if (typeof handler !== 'function') throw new TypeError('Deno.serve: no handler');
    if (served) throw new Error('Deno.serve was called twice; an edge function serves once');
    served = true;
    return realServe({ port, hostname: '127.0.0.1', onListen: () => console.log(`listening on ${port}`) }, handler);
}
Object.defineProperty(Deno, 'serve', { value: hostedServe, configurable: true, writable: true });

await import(entry);
if (!served) {
    console.error(`${entry} did not call Deno.serve`);
    Deno.exit(1);
}
