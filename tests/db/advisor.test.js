// scripts/advisor.mjs's verdict: findings are accepted only by lint and object name with a reason, the two
// security-definer lints never, and an accepted finding that is no longer reported fails the check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exposedSchemas, loadAccepted, verdict } from '../../scripts/advisor.mjs';

const finding = (lint, object) => ({ lint, object, message: `${lint} on ${object}`, level: 'warning' });
const list = (...accepted) => JSON.stringify({ accepted });

test('a finding is accepted by its lint and object name, not by its lint alone', () => {
    const v = verdict(
        [finding('function_search_path_mutable', 'public.a'), finding('function_search_path_mutable', 'public.b')],
        loadAccepted(list({ lint: 'function_search_path_mutable', object: 'public.a', reason: 'inlined' })),
    );
    assert.deepEqual(v.acceptedFound.map((f) => f.object), ['public.a']);
    assert.deepEqual(v.unaccepted.map((f) => f.object), ['public.b']);
    assert.deepEqual([v.stale, v.problems], [[], []]);
});

test('the security-definer lints can never be accepted', () => {
    for (const lint of ['anon_security_definer_function_executable', 'authenticated_security_definer_function_executable']) {
        const v = verdict([finding(lint, 'public.get_dashboard')], loadAccepted(list({ lint, object: 'public.get_dashboard', reason: 'please' })));
        assert.equal(v.unaccepted.length, 1, lint);
        assert.match(v.problems[0], /can never be accepted/);
    }
});

test('an entry without a reason is invalid; an entry no longer reported is stale', () => {
    const v = verdict([], loadAccepted(list(
        { lint: 'extension_in_public', object: 'public.pg_cron', reason: '' },
        { lint: 'function_search_path_mutable', object: 'public.gone', reason: 'was inlined' },
    )));
    assert.match(v.problems[0], /without a reason/);
    assert.deepEqual(v.stale, ['extension_in_public public.pg_cron', 'function_search_path_mutable public.gone']);
});

test('the project list accepts only function_search_path_mutable, each with a reason', () => {
    const { accepted, problems } = loadAccepted();
    assert.deepEqual(problems, []);
    assert.ok(accepted.every((a) => a.lint === 'function_search_path_mutable' && a.reason.length > 40));
});

test('the exposed schemas come from supabase/config.toml', () => {
    assert.deepEqual(exposedSchemas(), ['public', 'graphql_public']);
    assert.deepEqual(exposedSchemas('[api]\nenabled = true\nschemas = ["public", "api"]\n[db]\n'), ['public', 'api']);
});
