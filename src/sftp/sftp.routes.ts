import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { actorOf } from '../platform/access.js';
import { errors, operatorSecurity } from '../platform/http/schemas.js';
import { CreateSftpLoginBody, CreatedSftpLogin, SftpLogin, UpdateSftpLoginBody } from './sftp-users.schemas.js';
import { createSftpLogin, getSftpLogin, updateSftpLogin } from './sftp-users.service.js';

const ChainIdParams = Type.Object({ chainId: Type.String({ format: 'uuid' }) });
const tags = ['Operator', 'SFTP'];

/** /platform/v1/chains/:chainId/sftp-login — the operator issues and manages a chain's SFTP login. */
export function sftpOperatorRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/chains/:chainId/sftp-login',
      {
        schema: {
          operationId: 'createSftpLogin',
          tags,
          summary: "Issue the chain's SFTP login (password and/or public keys; a password is generated when neither is given)",
          security: operatorSecurity,
          params: ChainIdParams,
          body: CreateSftpLoginBody,
          response: { 201: CreatedSftpLogin, ...errors('CHAIN_NOT_FOUND', 'SFTP_LOGIN_EXISTS', 'CONFLICT') },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return reply.status(201).send(await createSftpLogin(ctx, request.params.chainId, request.body, actorOf(request)));
      },
    );

    app.get(
      '/chains/:chainId/sftp-login',
      { schema: {
      operationId: 'getSftpLogin', tags, summary: "The chain's SFTP login (host, port, username, key fingerprints)", security: operatorSecurity, params: ChainIdParams, response: { 200: SftpLogin, ...errors('CHAIN_NOT_FOUND', 'SFTP_LOGIN_NOT_FOUND') } } },
      async (request) => getSftpLogin(ctx, request.params.chainId),
    );

    app.patch(
      '/chains/:chainId/sftp-login',
      {
        schema: {
          operationId: 'updateSftpLogin',
          tags,
          summary: 'Change the password, replace the public keys, or disable the login',
          security: operatorSecurity,
          params: ChainIdParams,
          body: UpdateSftpLoginBody,
          response: { 200: SftpLogin, ...errors('CHAIN_NOT_FOUND', 'SFTP_LOGIN_NOT_FOUND') },
        },
      },
      async (request) => updateSftpLogin(ctx, request.params.chainId, request.body, actorOf(request)),
    );
  };
}
