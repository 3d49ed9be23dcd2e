import { Command } from 'commander';
import { ConfigError, DEFAULT_DEMO_PASSWORD, loadConfig, type Config } from './config.ts';
import { MigrationError, migrate } from './platform/db/migrate.ts';
import { openDatabase } from './platform/db/database.ts';
import { prepareDatabase, startServer, VERSION } from './server.ts';
import path from 'node:path';
import { seedDemo, type DemoOptions } from './demo/index.ts';
import { buildWeb, webBuildIsStale } from './web-build.ts';
import { CliError, createFirstAdmin } from './cli/admin.ts';
import { resetDatabase } from './cli/reset.ts';
import { ledgerCheckpoint, ledgerProve, ledgerPublicKey, ledgerVerify } from './cli/ledger.ts';
import { ledgerKeys } from './modules/ledger/signing-key.ts';
import { AppError } from './platform/http/errors.ts';
import { SheetError } from './platform/sheets/index.ts';
import { importLookupsFile, importRecordsFile } from './cli/import.ts';

function config(): Config {
  return loadConfig();
}

function where(cfg: Config): string {
  return cfg.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `PGlite 嵌入式数据库 ${cfg.dataDir}/pglite`;
}

function demoBanner(password: string, fromEnv: boolean, url: string) {
  const line = '='.repeat(72);
  console.log(`\n${line}\n  演示模式 DEMO MODE — 仅供体验，切勿用于生产环境 / never use in production\n${line}`);
  console.log(`  控制台 Console: ${url}`);
  console.log(`  演示账号 Demo accounts (密码 password: ${fromEnv ? '来自 DEMO_PASSWORD' : password}):`);
  console.log('    admin 系统管理员 · auditor 审计管理员 · leader 大队领导 · squadron_leader 中队长');
  console.log('    legal 法制员 · inspector 督察/纪检 · officer 民警 · auxiliary 辅警');
  console.log(`${line}\n`);
}

/** The demo's enforcement records and look-ups, with progress lines while they load (minutes on PGlite). */
function demoRecords(cfg: Config): DemoOptions {
  let shown = 0;
  let shownLookups = 0;
  return {
    enforcement: 'full',
    groundTruthFile: path.join(cfg.dataDir, 'demo-ground-truth.json'),
    // the look-ups' subjects are encrypted with the key kept in DATA_DIR
    dataDir: cfg.dataDir,
    onProgress: (stored) => {
      if (stored - shown < 50_000 && stored < 205_000) return;
      shown = stored;
      console.log(`  正在生成演示执法记录（经规则判定入库）：已入库 ${stored.toLocaleString('en-US')} 条…`);
    },
    onLookupProgress: (stored) => {
      if (stored - shownLookups < 50_000) return;
      shownLookups = stored;
      console.log(`  正在生成演示数据查询日志（经审计规则检测）：已入库 ${stored.toLocaleString('en-US')} 条…`);
    },
  };
}

const program = new Command('clearlane')
  .description('Clearlane 交警执法监督平台 — enforcement supervision for a traffic police brigade')
  .version(VERSION);

program
  .command('start')
  .description('start the server (applies migrations first); --demo seeds the demo brigade into an empty database')
  .option('--demo', 'seed demo data on first start and print the demo accounts')
  .option('--no-build', 'do not build the web console even if its build is missing or stale')
  .action(async (opts: { demo?: boolean; build: boolean }) => {
    const cfg = config();
    if (opts.build && webBuildIsStale()) {
      console.log('正在构建 Web 控制台 (building the web console)…');
      await buildWeb();
    }
    const database = await prepareDatabase(cfg);
    const password = cfg.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD;
    if (opts.demo) {
      const summary = await seedDemo(database, password, demoRecords(cfg));
      if (summary.seeded) console.log(`已生成演示数据：${summary.units} 个单位，${summary.people} 名人员，${summary.records} 条执法记录，${summary.lookups ?? 0} 条数据查询日志。`);
    }
    const server = await startServer(cfg, database);
    console.log(`Clearlane ${VERSION} 已启动：${server.url}（${where(cfg)}）`);
    if (opts.demo) demoBanner(password, cfg.DEMO_PASSWORD !== undefined, `http://${cfg.HOST}:${cfg.PORT}`);
    const stop = async () => {
      await server.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(async () => {
    const cfg = config();
    const database = await openDatabase(cfg);
    try {
      const applied = await migrate(database);
      console.log(applied.length ? `已执行迁移：${applied.join(', ')}` : '数据库结构已是最新。');
    } finally {
      await database.close();
    }
  });

program
  .command('demo')
  .description('seed the deterministic demo brigade into an empty database (--reset wipes the database first)')
  .option('--reset', 'DELETE ALL DATA in the configured database, then seed the demo again')
  .action(async (opts: { reset?: boolean }) => {
    const cfg = config();
    if (opts.reset) await resetDatabase(cfg);
    const database = await prepareDatabase(cfg);
    try {
      const summary = await seedDemo(database, cfg.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD, demoRecords(cfg));
      console.log(summary.seeded
        ? `已生成演示数据：${summary.units} 个单位，${summary.people} 名人员，${summary.records} 条执法记录，${summary.lookups ?? 0} 条数据查询日志，账号 ${summary.accounts.join(', ')}。`
        : '数据库中已有数据，未生成演示数据（如需重建请加 --reset，这会删除全部数据）。');
    } finally {
      await database.close();
    }
  });

program
  .command('admin')
  .description('administrator bootstrap')
  .command('create')
  .description('create the first administrator (and the top unit if there is none); prints a one-time password that must be changed at first login')
  .requiredOption('--username <username>', 'login name, e.g. admin')
  .requiredOption('--name <name>', 'the person\'s name')
  .requiredOption('--badge-no <badgeNo>', '警号 of the person')
  .option('--unit-name <name>', 'name of the top unit to create when the database has none', '交通警察大队')
  .action(async (opts: { username: string; name: string; badgeNo: string; unitName: string }) => {
    const database = await prepareDatabase(config());
    try {
      const { password } = await createFirstAdmin(database, opts);
      console.log(`已创建管理员账号 ${opts.username}。一次性密码（首次登录后必须修改）：\n\n  ${password}\n`);
    } finally {
      await database.close();
    }
  });

const imports = program.command('import').description('import data files');

imports
  .command('records <file>')
  .description('import enforcement records from a .csv or .xlsx file (streaming; idempotent on 外部编号)')
  .action(async (file: string) => {
    const database = await prepareDatabase(config());
    try {
      const { report, lines } = await importRecordsFile(database, file, { progress: process.stderr.isTTY });
      console.log(lines.join('\n'));
      if (report.rejected > 0) process.exitCode = 2;
    } finally {
      await database.close();
    }
  });

imports
  .command('lookups <file>')
  .description('import the look-up log (查询日志) from a .csv or .xlsx file (streaming; idempotent on 外部编号)')
  .action(async (file: string) => {
    const cfg = config();
    const database = await prepareDatabase(cfg);
    try {
      const { report, lines } = await importLookupsFile(database, cfg, file, { progress: process.stderr.isTTY });
      console.log(lines.join('\n'));
      if (report.rejected > 0) process.exitCode = 2;
    } finally {
      await database.close();
    }
  });

const ledger = program.command('ledger').description('the tamper-evident ledger: verify, checkpoints, proofs, public key');

ledger
  .command('verify')
  .description('recompute every leaf, tree node and checkpoint from the rows; exits non-zero naming the first entry that does not match')
  .option('--checkpoint <file>', 'a signed checkpoint kept outside (e.g. by the discipline office): prove the log still extends it')
  .option('--key <vkey-or-file>', 'verifier key the outside checkpoint was signed with (default: this server\'s key)')
  .option('--deep', 'also check every entry\'s search-hint columns (what the console filters on) against its leaf')
  .action(async (opts: { checkpoint?: string; key?: string; deep?: boolean }) => {
    const cfg = config();
    const database = await prepareDatabase(cfg);
    try {
      const { ok, lines } = await ledgerVerify(database, ledgerKeys(cfg), { ...opts, progress: process.stderr.isTTY });
      if (!ok) throw new CliError(lines.join('\n'));
      console.log(lines.join('\n'));
    } finally {
      await database.close();
    }
  });

ledger
  .command('checkpoint')
  .description('print the latest signed checkpoint (signing one if there is none)')
  .option('--new', 'sign a checkpoint of the log as it is now, if it grew since the latest')
  .action(async (opts: { new?: boolean }) => {
    const cfg = config();
    const database = await prepareDatabase(cfg);
    try {
      process.stdout.write(await ledgerCheckpoint(database, ledgerKeys(cfg), { fresh: opts.new }));
    } finally {
      await database.close();
    }
  });

ledger
  .command('prove')
  .description('print the inclusion proof of entry <seq> (JSON, base64 hashes) against the latest checkpoint or --size')
  .argument('<seq>', 'entry sequence number (1-based)')
  .option('--size <n>', 'tree size to prove against')
  .action(async (seq: string, opts: { size?: string }) => {
    const database = await prepareDatabase(config());
    try {
      console.log(await ledgerProve(database, Number(seq), opts.size === undefined ? undefined : Number(opts.size)));
    } finally {
      await database.close();
    }
  });

ledger
  .command('public-key')
  .description('print the checkpoint verifier key (signed-note format) to give to auditors')
  .action(() => {
    console.log(ledgerPublicKey(ledgerKeys(config())));
  });

program
  .command('build-web')
  .description('build the web console into web/dist')
  .action(async () => {
    await buildWeb();
    console.log('Web 控制台已构建：web/dist');
  });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof ConfigError || e instanceof MigrationError) {
    console.error(`启动失败：${e.message}`);
  } else if (e instanceof AppError || e instanceof SheetError) {
    // what a user can fix (a bad file, missing set-up): the message, never a stack
    console.error(e.message);
  } else if (e instanceof Error && (e.name === 'CliError' || e.name === 'SigningKeyError' || e.name === 'LedgerIntegrityError' || e.message.startsWith('无法连接 PostgreSQL'))) {
    console.error(e.message);
  } else {
    console.error(e);
  }
  process.exit(1);
}
