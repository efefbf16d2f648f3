#!/usr/bin/env node
// Prints the schema files (paths relative to the project) in the order Supabase loads them: [db.migrations] schema_paths of supabase/config.toml,
// each entry a file, a folder or a glob relative to supabase/, a glob's or folder's files sorted by name.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, dirname, basename, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// SUPABASE_DIR: another supabase/ folder (config.toml and the schema files), e.g. a test's altered copy
const supabase = process.env.SUPABASE_DIR ?? join(root, 'supabase');

export function schemaFiles() {
    const config = parse(readFileSync(join(supabase, 'config.toml'), 'utf8'));
    const paths = config.db?.migrations?.schema_paths ?? [];
    if (paths.length === 0) throw new Error('supabase/config.toml: [db.migrations] schema_paths is empty');
    const files = [];
    for (const p of paths) {
        const full = join(supabase, p);
        if (/[*?[]/.test(basename(full))) {
            const rx = new RegExp(`^${basename(full).replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
            const dir = dirname(full);
            for (const f of readdirSync(dir).filter((n) => rx.test(n)).sort()) files.push(join(dir, f));
        } else if (existsSync(full) && statSync(full).isDirectory()) {
            for (const f of readdirSync(full).filter((n) => n.endsWith('.sql')).sort()) files.push(join(full, f));
        } else {
            files.push(full);
        }
    }
    return [...new Set(files)].map((f) => (f.startsWith(`${root}/`) ? relative(root, f) : f));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(schemaFiles().join('\n'));
