// The SQL the operator documents tell you to run is valid against the migrated database: every ```sql block of
// docs/deployment.md, docs/troubleshooting.md, docs/admin-guide.md and docs/n8n.md runs (inside a transaction rolled back).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import pg from 'pg';

const url = process.env.DATABASE_URL;
const docs = ['deployment.md', 'troubleshooting.md', 'admin-guide.md', 'n8n.md'];

for (const name of docs) {
  test(`the SQL of docs/${name} runs`, async () => {
    assert.ok(url, 'DATABASE_URL is set by scripts/test.sh');
    const text = readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8');
    const blocks = [...text.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]);
    assert.ok(blocks.length > 0, `docs/${name} has SQL blocks`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const sql of blocks) {
        // inline code spans of the prose are not in blocks; each block may hold several statements
        await client.query('begin');
        try {
          await client.query(sql);
        } catch (error) {
          assert.fail(`docs/${name}: ${error.message}\n${sql}`);
        } finally {
          await client.query('rollback');
        }
      }
    } finally {
      await client.end();
    }
  });
}
