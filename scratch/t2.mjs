import { PGlite } from '@electric-sql/pglite';
const pg = await PGlite.create();
console.log((await pg.query(`select 2 = ANY($1) as x, $2::text[] as y, $3::jsonb as z`, [[1,2],['a','b'], JSON.stringify({a:1})])).rows);
console.log((await pg.query(`select $1::jsonb as z`, [{a:1}])).rows);
