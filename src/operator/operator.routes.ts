import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Chain, createChain, CreateChainBody, findChain, listChains } from '../chains/index.js';
import type { AppContext } from '../platform/context.js';
import { actorOf } from '../platform/access.js';
import { AppError } from '../platform/errors.js';
import { errors, operatorSecurity } from '../platform/http/schemas.js';
import { createUser, CreateUserBody, listChainUsers, User } from '../users/index.js';
import { createVendor, CreateVendorBody, listVendors, updateVendor, UpdateVendorBody, Vendor } from '../vendors/index.js';

const ChainIdParams = Type.Object({ chainId: Type.String({ format: 'uuid' }) });
const VendorRefParams = Type.Object({ chainId: Type.String({ format: 'uuid' }), vendorRef: Type.String({ minLength: 1, maxLength: 64 }) });
const tags = ['Operator'];

/** /platform/v1 — the marketplace operator's API (operator key). */
export function operatorRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/chains',
      { schema: {
      operationId: 'createChain', tags, summary: 'Create a chain (partner company)', security: operatorSecurity, body: CreateChainBody, response: { 201: Chain, ...errors() } } },
      async (request, reply) => reply.status(201).send(await createChain(ctx, request.body, actorOf(request))),
    );

    app.get(
      '/chains',
      { schema: {
      operationId: 'listChains', tags, summary: 'List chains', security: operatorSecurity, response: { 200: Type.Object({ chains: Type.Array(Chain) }), ...errors() } } },
      async () => ({ chains: await listChains(ctx.db) }),
    );

    app.get(
      '/chains/:chainId',
      { schema: {
      operationId: 'getChain', tags, summary: 'One chain', security: operatorSecurity, params: ChainIdParams, response: { 200: Chain, ...errors('CHAIN_NOT_FOUND') } } },
      async (request) => {
        const chain = await findChain(ctx.db, request.params.chainId);
        if (!chain) throw new AppError('CHAIN_NOT_FOUND');
        return chain;
      },
    );

    app.post(
      '/chains/:chainId/vendors',
      {
        schema: {
      operationId: 'createVendor', tags, summary: 'Create a vendor (store)', security: operatorSecurity, params: ChainIdParams, body: CreateVendorBody, response: { 201: Vendor, ...errors('CHAIN_NOT_FOUND', 'EXTERNAL_ID_TAKEN', 'CONFLICT') } },
      },
      async (request, reply) => reply.status(201).send(await createVendor(ctx, request.params.chainId, request.body, actorOf(request))),
    );

    app.get(
      '/chains/:chainId/vendors',
      { schema: {
      operationId: 'listChainVendors', tags, summary: "List a chain's vendors", security: operatorSecurity, params: ChainIdParams, response: { 200: Type.Object({ vendors: Type.Array(Vendor) }), ...errors('CHAIN_NOT_FOUND') } } },
      async (request) => {
        if (!(await findChain(ctx.db, request.params.chainId))) throw new AppError('CHAIN_NOT_FOUND');
        return { vendors: await listVendors(ctx.db, request.params.chainId) };
      },
    );

    app.patch(
      '/chains/:chainId/vendors/:vendorRef',
      {
        schema: {
          operationId: 'updateVendor',
          tags,
          summary: 'Change a vendor: integration type, external id mapping, test flag, name, time zone',
          security: operatorSecurity,
          params: VendorRefParams,
          body: UpdateVendorBody,
          response: { 200: Vendor, ...errors('CHAIN_NOT_FOUND', 'VENDOR_NOT_FOUND', 'EXTERNAL_ID_TAKEN', 'CONFLICT') },
        },
      },
      async (request) => updateVendor(ctx, request.params.chainId, request.params.vendorRef, request.body, actorOf(request)),
    );

    app.post(
      '/chains/:chainId/users',
      {
        schema: {
      operationId: 'createChainUser', tags, summary: 'Create a portal user of a chain (role admin or staff)', security: operatorSecurity, params: ChainIdParams, body: CreateUserBody, response: { 201: User, ...errors('CHAIN_NOT_FOUND', 'EMAIL_TAKEN', 'CONFLICT') } },
      },
      async (request, reply) => {
        const b = request.body;
        const user = await createUser(ctx, { email: b.email, name: b.name, password: b.password, role: b.role, chainId: request.params.chainId, isOperator: false, passwordField: 'body.password' }, actorOf(request));
        return reply.status(201).send(user);
      },
    );

    app.get(
      '/chains/:chainId/users',
      { schema: {
      operationId: 'listChainUsers', tags, summary: "List a chain's portal users", security: operatorSecurity, params: ChainIdParams, response: { 200: Type.Object({ users: Type.Array(User) }), ...errors('CHAIN_NOT_FOUND') } } },
      async (request) => {
        if (!(await findChain(ctx.db, request.params.chainId))) throw new AppError('CHAIN_NOT_FOUND');
        return { users: await listChainUsers(ctx.db, request.params.chainId) };
      },
    );

    app.post(
      '/users',
      {
        schema: {
      operationId: 'createOperatorUser', tags, summary: 'Create an operator portal user (sees every chain)', security: operatorSecurity, body: CreateUserBody, response: { 201: User, ...errors('EMAIL_TAKEN', 'CONFLICT') } },
      },
      async (request, reply) => {
        const b = request.body;
        const user = await createUser(ctx, { email: b.email, name: b.name, password: b.password, isOperator: true, passwordField: 'body.password' }, actorOf(request));
        return reply.status(201).send(user);
      },
    );
  };
}
