// Build-time constants injected by scripts/build-web.mjs (esbuild `define`).
declare const __SUPABASE_URL__: string;
declare const __SUPABASE_ANON_KEY__: string;
