import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  consistencyProof,
  consistencyQuery,
  inclusionProof,
  inclusionQuery,
  ledgerCheckpointCreated,
  ledgerCheckpointPage,
  ledgerCheckpointQuery,
  ledgerEntryWithLeaf,
  ledgerPage,
  ledgerPublicKey,
  ledgerQuery,
  ledgerSeqParam,
  ledgerVerifyBody,
  ledgerVerifyResult,
} from '../../contracts/ledger.ts';
import { needs, PUBLIC } from '../../platform/authz/access.ts';
import type { App, AppDeps } from '../../platform/http/app.ts';
import { AppError } from '../../platform/http/errors.ts';
import { mapRows, sendTable } from '../../platform/http/export.ts';
import { exportEntries, listEntries } from './ledger.query.ts';
import { record, recordAlone } from './ledger.service.ts';
import { createCheckpoint, ensureTree, latestCheckpoint, listCheckpoints, type StoredCheckpoint } from './checkpoints.service.ts';
import { consistency, entryWithLeaf, inclusion, noCheckpoint } from './proofs.service.ts';
import { ledgerKeys, SigningKeyError } from './signing-key.ts';
import { parseVerifierKey } from './note.ts';
import { LedgerIntegrityError } from './tree.repo.ts';
import { UnreadableLeafError } from './leaf.ts';
import { verifyLedger } from './verify.ts';

const tags = ['操作记录'];
const EXPORT_COLUMNS = [
  { key: 'seq', header: '序号' },
  { key: 'at', header: '时间' },
  { key: 'actorName', header: '操作人' },
  { key: 'action', header: '操作' },
  { key: 'subjectType', header: '对象类型' },
  { key: 'subjectId', header: '对象编号' },
  { key: 'clientIp', header: 'IP地址' },
  { key: 'requestId', header: '请求编号' },
  { key: 'payload', header: '内容' },
] as const;

const b64 = (b: Buffer) => b.toString('base64');
/** `deep`: also check that every entry's search-hint columns agree with its leaf (README, Verification). */
const verifyBody = ledgerVerifyBody.extend({ deep: z.boolean().optional() });
const checkpointBody = (c: StoredCheckpoint) => ({ size: c.size, rootHash: b64(c.root), note: c.note, createdAt: c.createdAt.toISOString() });

/** Turns the ledger's own failures into answers an auditor can act on; the key path stays in the log. */
async function guarded<T>(request: FastifyRequest, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof LedgerIntegrityError || e instanceof UnreadableLeafError) throw new AppError(409, 'LEDGER_INCONSISTENT', e.message);
    if (e instanceof SigningKeyError) {
      request.log.error({ err: e }, 'ledger signing key unavailable');
      throw new AppError(500, 'LEDGER_KEY_UNAVAILABLE', '账本签名密钥不可用，请联系系统管理员检查服务器配置');
    }
    throw e;
  }
}

function sendNote(reply: FastifyReply, note: string) {
  return reply.type('text/plain; charset=utf-8').send(note);
}

export function registerLedgerRoutes(app: App, deps: AppDeps) {
  const db = deps.database.db;
  const keys = ledgerKeys(deps.config);
  // The operation record spans every unit and module; it is the auditor's, not scoped by unit.
  const view = { access: needs('log:operation:view', 'none') };
  const audit = { access: needs('ledger:verify', 'none') };

  // Entries are shown as their leaves encode them (never from the search-hint columns): a leaf
  // that is not its entry's record is an integrity failure, answered as one.
  app.get('/api/ledger/entries', { config: view, schema: { tags, summary: '操作记录', querystring: ledgerQuery, response: { 200: ledgerPage } } }, async (request) =>
    guarded(request, () => listEntries(db, request.query)),
  );
  app.get('/api/ledger/entries/export', { config: view, schema: { tags, summary: '导出操作记录', querystring: ledgerQuery } }, async (request, reply) => {
    const { page: _p, pageSize: _s, ...filter } = request.query;
    return sendTable(reply, '操作记录', EXPORT_COLUMNS, mapRows(exportEntries(db, filter), (e) => ({ ...e, payload: JSON.stringify(e.payload) })));
  });
  app.get('/api/ledger/entries/:seq', { config: view, schema: { tags, summary: '账本条目及其叶（规范 JSON）', params: ledgerSeqParam, response: { 200: ledgerEntryWithLeaf } } }, async (request) => {
    const e = await guarded(request, () => entryWithLeaf(db, request.params.seq));
    return { entry: e.entry, leafIndex: e.leafIndex, leaf: b64(e.leaf), leafHash: e.leafHash ? b64(e.leafHash) : null };
  });

  app.get('/api/ledger/checkpoint', { config: view, schema: { tags, summary: '最新检查点（签名文本）' } }, async (_request, reply) => {
    const latest = await latestCheckpoint(db);
    if (!latest) throw noCheckpoint();
    return sendNote(reply, latest.note);
  });
  app.get('/api/ledger/checkpoints', { config: view, schema: { tags, summary: '检查点列表', querystring: ledgerCheckpointQuery, response: { 200: ledgerCheckpointPage } } }, async (request) => {
    const { page, pageSize } = request.query;
    const { items, total } = await listCheckpoints(db, page, pageSize);
    return { items: items.map(checkpointBody), total, page, pageSize };
  });
  app.post('/api/ledger/checkpoints', { config: audit, schema: { tags, summary: '立即签发检查点（无新条目时返回最新检查点）', response: { 200: ledgerCheckpointCreated } } }, async (request) =>
    guarded(request, async () => {
      const { checkpoint, created } = await createCheckpoint(db, keys, (trx, cp) =>
        record(trx, request.ctx, { action: 'ledger.checkpoint.create', subjectType: 'ledgerCheckpoint', subjectId: cp.size, payload: { size: cp.size, rootHash: b64(cp.root) } }),
      );
      return { checkpoint: checkpointBody(checkpoint), created };
    }),
  );

  app.get('/api/ledger/proof/inclusion', { config: view, schema: { tags, summary: '包含证明', querystring: inclusionQuery, response: { 200: inclusionProof } } }, async (request) =>
    guarded(request, async () => {
      const p = await inclusion(db, request.query.seq, request.query.size);
      return { ...p, leafHash: b64(p.leafHash), rootHash: b64(p.rootHash), proof: p.proof.map(b64) };
    }),
  );
  const consistencyRoute = async (request: FastifyRequest<{ Querystring: z.output<typeof consistencyQuery> }>) =>
    guarded(request, async () => {
      const p = await consistency(db, request.query.from, request.query.to);
      return { ...p, fromRoot: b64(p.fromRoot), toRoot: b64(p.toRoot), proof: p.proof.map(b64) };
    });
  app.get('/api/ledger/proof/consistency', { config: view, schema: { tags, summary: '一致性证明', querystring: consistencyQuery, response: { 200: consistencyProof } } }, consistencyRoute);

  app.post('/api/ledger/verify', { config: audit, schema: { tags, summary: '核验账本（可附外部保存的检查点；deep 另核对检索字段）', body: verifyBody.optional(), response: { 200: ledgerVerifyResult } } }, async (request) =>
    guarded(request, async () => {
      await ensureTree(db);
      const body = request.body ?? {};
      const result = await verifyLedger(db, { origin: keys.origin, verifierKey: keys.verifierKey(), outsideCheckpoint: body.checkpoint, outsideKey: body.key, deep: body.deep });
      const summary = { ok: result.ok, entries: result.entries, checkpoints: result.checkpoints, problem: result.problem, outsideSize: result.outsideSize };
      // Verification is an audit act: who checked, and what they found, is on the record too.
      await recordAlone(db, request.ctx, { action: 'ledger.verify', subjectType: 'ledger', subjectId: keys.origin, payload: summary });
      return { ...result, rootHash: b64(result.rootHash) };
    }),
  );

  // Public by design: a key, a signed root and hashes reveal nothing of the entries, and are what
  // anyone outside needs to hold the brigade to its log.
  app.get('/api/ledger/public-key', { config: { access: PUBLIC }, schema: { tags, summary: '检查点验签公钥', response: { 200: ledgerPublicKey } } }, async (request) =>
    guarded(request, async () => {
      const vkey = parseVerifierKey(keys.verifierKey());
      return { origin: keys.origin, verifierKey: keys.verifierKey(), keyId: vkey.keyId.toString('hex'), publicKey: b64(vkey.publicKeyRaw) };
    }),
  );
  app.get('/api/public/ledger/checkpoint', { config: { access: PUBLIC }, schema: { tags, summary: '最新检查点（公开，免登录）' } }, async (_request, reply) => {
    const latest = await latestCheckpoint(db);
    if (!latest) throw noCheckpoint();
    return sendNote(reply, latest.note);
  });
  app.get(
    '/api/public/ledger/proof/consistency',
    {
      config: { access: PUBLIC, rateLimit: { max: 60, timeWindow: 60_000 } },
      schema: { tags, summary: '一致性证明（公开，免登录：持有旧检查点者可要求证明账本只增未改）', querystring: consistencyQuery, response: { 200: consistencyProof } },
    },
    consistencyRoute,
  );
}
