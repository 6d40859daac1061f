#!/usr/bin/env node
// T-SQL grammar check: every statement of the dump parsed by node-sql-parser
// (database "TransactSQL").  See tests/tsql/rejections.txt.
'use strict';
const fs = require('fs');
const path = require('path');
const [dumpFile, rejFile, modDir] = process.argv.slice(2);
const { Parser } = require(path.resolve(modDir, 'node-sql-parser'));
const parser = new Parser();

// Placeholders as the server sees them (sp_prepare's @P1 …), skipping
// strings and [identifiers]; named binds (:schema) as @schema.
function tsqlParams(sql) {
  let out = '', k = 0;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === "'" || ch === '[') {
      const close = ch === "'" ? "'" : ']';
      let j = i + 1;
      while (j < sql.length && !(sql[j] === close && sql[j + 1] !== close)) j += sql[j] === close ? 2 : 1;
      out += sql.slice(i, j + 1);
      i = j;
    } else if (ch === '?') out += '@P' + (++k);
    else if (ch === ':' && /[A-Za-z_]/.test(sql[i + 1] || '') && sql[i - 1] !== ':') out += '@';
    else out += ch;
  }
  return out;
}

// rejections.txt: "rewrite<TAB>regex<TAB>replacement<TAB>reason" lines apply
// before parsing (a parser gap around a construct T-SQL has); "allow<TAB>
// regex<TAB>reason" accepts a rejected statement that matches.
const rewrites = [], allows = [];
for (const line of fs.readFileSync(rejFile, 'utf8').split('\n')) {
  if (!line.trim() || line.startsWith('#')) continue;
  const f = line.split('\t');
  if (f[0] === 'rewrite' && f.length === 4) rewrites.push({ re: new RegExp(f[1], 'g'), to: f[2], why: f[3], n: 0 });
  else if (f[0] === 'allow' && f.length === 3) allows.push({ re: new RegExp(f[1]), why: f[2], n: 0 });
  else { console.error('rejections.txt: bad line: ' + line); process.exit(2); }
}

// The parser must refuse what is not T-SQL, or the check proves nothing.
for (const bad of ['SELECT FROM WHERE', 'SELECT a FROM t LIMIT', 'INSERT INTO t VALUES (']) {
  let refused = false;
  try { parser.astify(bad, { database: 'TransactSQL' }); } catch (e) { refused = true; }
  if (!refused) { console.error('check_tsql: the parser accepts ' + bad); process.exit(2); }
}

const recs = fs.readFileSync(dumpFile, 'utf8').split('\x1e').filter((r) => r.length);
let ok = 0, allowed = 0;
const failures = [];
for (const rec of recs) {
  const [label, sql] = rec.split('\x1f');
  let s = tsqlParams(sql);
  for (const r of rewrites) {
    const t = s.replace(r.re, r.to);
    if (t !== s) r.n++;
    s = t;
  }
  try {
    parser.astify(s, { database: 'TransactSQL' });
    ok++;
  } catch (e) {
    const a = allows.find((x) => x.re.test(sql));
    if (a) { a.n++; allowed++; continue; }
    failures.push(label + '\n  ' + s.replace(/\n/g, '\n  ') + '\n  parser: ' + String(e.message).slice(0, 200));
  }
}
for (const f of failures) console.log('REJECTED ' + f);
for (const r of rewrites) console.log(`rewrite used ${r.n}x: ${r.why}`);
for (const a of allows) console.log(`allowed ${a.n}x: ${a.why}`);
console.log(`${recs.length} statements: ${ok} parsed, ${allowed} allowed rejections, ${failures.length} rejected`);
process.exit(failures.length ? 1 : 0);
